package office

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNumFmt(t *testing.T) {
	tests := []struct {
		code string
		v    float64
		want string
	}{
		{"", 101901234, "101901234"},
		{"General", 1234.5, "1234.5"},
		{"000000-0000", 101901234, "010190-1234"},
		{`000000\-0000`, 101901234, "010190-1234"},
		{`"CPR "000000-0000`, 101901234, "CPR 010190-1234"},
		{"00000000", 1234567, "01234567"},
		{"0000000000", 101901234, "0101901234"},
		{"00 00 00 00", 12345678, "12 34 56 78"},
		{"0", 1234.6, "1235"},
		{"0.00", 2.5, "2.50"},
		{"#,##0", 1234567, "1,234,567"},
		{"#,##0.00", 1234567.5, "1,234,567.50"},
		{"#,##0", -1234, "-1,234"},
		{"#,##0;(#,##0)", -1234, "(1,234)"},
		{`#,##0 "kr.";-#,##0 "kr.";"-"`, 0, "-"},
		{"0%", 0.25, "25%"},
		{"#,##0,", 1234567, "1,235"},
		{"@", 101901234, "101901234"},
		{"[Red]000000-0000", 101901234, "010190-1234"},
		{"[$kr-406] #,##0.00", 10, "kr 10.00"},
		{"#.##", 0.5, ".5"},
		{"0.0#", 1.5, "1.5"},
		{"0.00E+00", 12345, "12345"},
		{"ddmmyy", 32874, "010190"},
		{"dd-mm-yyyy", 45352, "01-03-2024"},
		{"mm-dd-yy", 45352, "03-01-24"},
		{"d/m/yyyy h:mm", 45352.5, "1/3/2024 12:00"},
		{"h:mm AM/PM", 0.75, "6:00 PM"},
		{"[h]:mm:ss", 1.5, "36:00:00"},
		{"mmm yyyy", 45352, "Mar 2024"},
	}
	for _, tc := range tests {
		if got := parseNumFmt(tc.code).show(tc.v, false); got != tc.want {
			t.Errorf("%q of %v: %q, want %q", tc.code, tc.v, got, tc.want)
		}
	}
	if got := parseNumFmt("dd-mm-yyyy").show(0, true); got != "01-01-1904" {
		t.Errorf("1904 system: %q", got)
	}
	for id, code := range builtinFormats {
		parseNumFmt(code).show(1234.5, false) // must not panic
		_ = id
	}
}

// FuzzNumFmt: any format code and value give a string without panicking;
// a format of digit placeholders only shows every digit of an integer.
func FuzzNumFmt(f *testing.F) {
	for _, c := range []string{"000000-0000", `"x"0;[Red]-0;"zero";@`, "#,##0.00_);(#,##0.00)", "[$-406]dd-mm-yyyy",
		"yyyy-mm-dd hh:mm:ss AM/PM", "# ?/?", "0.00E+00", `\`, `"`, "[", "*", "_", "0,,", "[h]:mm"} {
		f.Add(c, 101901234.0)
	}
	f.Fuzz(func(t *testing.T, code string, v float64) {
		s := parseNumFmt(code).show(v, false)
		if !utf8.ValidString(s) && utf8.ValidString(code) {
			t.Errorf("%q of %v: invalid UTF-8 %q", code, v, s)
		}
		if strings.Trim(code, "0") == "" && code != "" && v >= 0 && v < 1e15 && v == float64(int64(v)) {
			want := strconv.FormatInt(int64(v), 10)
			for len(want) < len(code) {
				want = "0" + want
			}
			if s != want {
				t.Errorf("%q of %v: %q, want %q", code, v, s, want)
			}
		}
	})
}

func TestODSStyle(t *testing.T) {
	s := odsStyles{}
	err := s.read(strings.NewReader(`<office:document-styles><office:styles>
<number:number-style style:name="N144"><number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="10"><number:embedded-text number:position="4">-</number:embedded-text></number:number></number:number-style>
<number:number-style style:name="N5"><number:text>Nr. </number:text><number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/><number:text> kr.</number:text></number:number-style>
<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N144"/>
<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N5"/>
</office:styles></office:document-styles>`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		style string
		v     float64
		want  string
	}{
		{"ce1", 101901234, "010190-1234"},
		{"ce2", 1234567.5, "Nr. 1,234,567.50 kr."},
	} {
		if got, ok := s.show(tc.style, tc.v); !ok || got != tc.want {
			t.Errorf("%s of %v: %q, %v; want %q", tc.style, tc.v, got, ok, tc.want)
		}
	}
	if _, ok := s.show("ce9", 1); ok {
		t.Error("unknown style shown")
	}
}
