package classify

import "testing"

func digits(s string) *[10]byte {
	var d [10]byte
	for i := range d {
		d[i] = s[i] - '0'
	}
	return &d
}

func TestValidCPR(t *testing.T) {
	tests := []struct {
		in           string
		valid, mod11 bool
	}{
		{"0102851239", true, false},  // 1985
		{"0102851234", true, true},   // 110 = 10·11
		{"0707614285", true, true},   // passes modulus 11
		{"2902001234", true, false},  // 29 Feb 1900 does not exist (d7=1 → 1900)
		{"2902004234", true, false},  // d7=4, yy=00 → 2000, a leap year
		{"2902014234", false, false}, // 2001 is not a leap year
		{"3104851234", false, false}, // 31 April
		{"0013851234", false, false}, // month 13
		{"0001851234", false, false}, // day 0
		{"3112995234", true, false},  // d7=5, yy=99 → 1899
		{"3112575235", true, false},  // d7=5, yy=57 → 2057
		{"2902605235", true, false},  // d7=5, yy=60 → 1860, leap
		{"2902615234", false, false}, // 1861
		{"2902969234", true, false},  // d7=9, yy=96 → 1996, leap
	}
	for _, tc := range tests {
		// 2902001234: 1900 is not a leap year.
		if tc.in == "2902001234" {
			tc.valid = false
		}
		valid, mod11 := ValidCPR(digits(tc.in))
		if valid != tc.valid || (valid && mod11 != tc.mod11) {
			t.Errorf("ValidCPR(%s) = %v, %v; want %v, %v", tc.in, valid, mod11, tc.valid, tc.mod11)
		}
	}
}

func cprCount(t *testing.T, s string) int {
	t.Helper()
	res := &Result{}
	ts := newTextScanner(nil, res)
	ts.WriteString(s)
	ts.end()
	return res.CPR
}

func TestCPRInText(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"CPR 010285-1234 tak", 1},
		{"010285 1234", 1},
		{"01.02.85-1234", 1},
		{"01.02.85 1234", 1},
		{"010285.1234", 1},
		{"0102851239", 0},              // bare, no keyword, fails modulus 11
		{"0707614285", 1},              // bare, passes modulus 11
		{"010285-\n1234", 1},           // line break inside
		{"010285  -  1234", 1},         // extra spaces
		{"0102 85-1234", 1},            // '-' after the sixth digit
		{"Kunde 4711 010285-1234", 1},  // glued to another number
		{"01０2８5-1234", 1},             // full-width digits
		{"0102\u200b85-12\u200d34", 1}, // zero-width characters
		{"013285-1234", 0},             // day 32... month 32
		{"Faktura 2024-00123", 0},
		{"Tlf. +45 12 34 56 78", 0},
		{"Tlf. 33 12 34 56 og 20 30 40 50", 0},
		{"Reg.nr. 1234 kontonr. 0012345678", 0},
		{"Dato 22.03.2024 kl. 10.30", 0},
		{"IBAN DK50 0040 0440 1162 43", 0},
		{"Ordrenr. 98765432101", 0},
		{"12345678901 010285-1234", 1},
		{"010285-1234 og 020385-4321", 2},
	}
	for _, tc := range tests {
		if got := cprCount(t, tc.in); got != tc.want {
			t.Errorf("CPR count in %q = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestCPRChunked(t *testing.T) {
	// A number split across writes, even inside a multi-byte rune, is found;
	// so is one after a stray lead byte cut off from it (it once swallowed
	// the full-width digit after it).
	for _, in := range []string{"x 01０285-1234 y", "CPR \xef０１０２８５-1234", "\xf0\xef０１０２８５-1234", "\xe2\x80０１０２８５-1234"} {
		cprChunked(t, []byte(in))
	}
}

func cprChunked(t *testing.T, in []byte) {
	t.Helper()
	for cut := 1; cut < len(in); cut++ {
		res := &Result{}
		ts := newTextScanner(nil, res)
		ts.Write(in[:cut])
		ts.Write(in[cut:])
		ts.end()
		if res.CPR != 1 {
			t.Errorf("%q cut at %d: CPR = %d, want 1", in, cut, res.CPR)
		}
	}
}
