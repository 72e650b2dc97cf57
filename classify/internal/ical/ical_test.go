package ical

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func text(t testing.TB, in string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Text(strings.NewReader(in), &out)
	return strings.Join(strings.Fields(out.String()), " "), err
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // in the text
		not      []string // not in it
	}{
		{"folded number", "BEGIN:VEVENT\r\nDESCRIPTION:CPR 0101\r\n 90-1234\r\nEND:VEVENT\r\n", []string{"CPR 010190-1234"}, nil},
		{"folded word with tab", "BEGIN:VEVENT\r\nSUMMARY:Syge\r\n\tmelding\r\nEND:VEVENT\r\n", []string{"Sygemelding"}, nil},
		{"escapes", `DESCRIPTION:Hanne\,010190\;1234\nSyg\\dom` + "\r\n", []string{"Hanne,010190;1234 Syg\\dom"}, []string{`\,`, `\n`}},
		{"fold inside an escape", "DESCRIPTION:a\\\r\n ,b\r\n", []string{"a,b"}, nil},
		{"folded UTF-8", "SUMMARY:Hj\xc3\r\n \xa6rte\r\n", []string{"Hjærte"}, nil},
		{"LF only", "SUMMARY:a\n b\nDESCRIPTION:c\n", []string{"ab", "c"}, nil},
		{"parameters", "ATTENDEE;CN=\"Hanne: syg\";ROLE=REQ-PARTICIPANT:mailto:h@x.dk\r\n", []string{`CN="Hanne: syg"`, "mailto:h@x.dk"}, nil},
		{"vcard 2.1 quoted-printable", "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:CPR 010190=2D12=\r\n34 hj=E6rte\r\nEND:VCARD\r\n",
			[]string{"CPR 010190-1234 hjærte"}, nil},
		{"photo skipped", "BEGIN:VCARD\r\nPHOTO;ENCODING=b;TYPE=JPEG:MIICajCC\r\n AdOgAwIBAgICBEUwDQYJ\r\nFN:Hanne\r\nEND:VCARD\r\n", []string{"FN: Hanne"}, []string{"MIICajCC"}},
	}
	for _, tc := range tests {
		got, err := text(t, tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q not in %q", tc.name, w, got)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: %q in %q", tc.name, n, got)
			}
		}
	}
}

func TestBinary(t *testing.T) {
	in := "BEGIN:VEVENT\r\nATTACH;FMTTYPE=application/pdf;ENCODING=BASE64;VALUE=BINARY:JVBERi0x\r\n LjQK\r\nSUMMARY:Moede\r\nEND:VEVENT\r\n"
	got, err := text(t, in)
	if !errors.Is(err, ErrBinary) {
		t.Errorf("inline attachment: err %v, want ErrBinary", err)
	}
	if !strings.Contains(got, "Moede") {
		t.Errorf("text after the attachment not read: %q", got)
	}
}

func TestTooLong(t *testing.T) {
	long := "DESCRIPTION:" + strings.Repeat("a", MaxLine+10) + "\r\n"
	if _, err := text(t, long); !errors.Is(err, ErrTooLong) {
		t.Errorf("long line: %v", err)
	}
	folded := "PHOTO;ENCODING=b:" + strings.Repeat("QUFB\r\n ", MaxLine/4) + "\r\nFN:x\r\n"
	got, err := text(t, folded)
	if err != nil || !strings.Contains(got, "FN: x") || strings.Contains(got, "QUFB") {
		t.Errorf("long photo: %v, %.40q", err, got)
	}
}

// FuzzText: unfolding never loses a value's characters other than the
// fold itself, and never panics.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:CPR 0101\r\n 90-1234\\, syg\\ndom\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=3D\r\nEND:VCARD\r\n",
		"PHOTO;ENCODING=b:AAAA\r\n BBBB\r\n",
		"ATTACH;VALUE=BINARY;ENCODING=BASE64:AAAA\r\n",
		"X;Y=\"a:b\":c\\",
		"\r\n \r\n\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		Text(strings.NewReader(in), &out)
		// A digit in a simple property with neither folds nor escapes
		// reaches the text.
		if !strings.ContainsAny(in, "\r\n\\=\"") && strings.HasPrefix(in, "SUMMARY:") && !strings.Contains(out.String(), in[8:]) {
			t.Errorf("%q: value lost: %q", in, out.String())
		}
	})
}
