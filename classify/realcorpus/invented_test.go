package realcorpus

import (
	"regexp"
	"strconv"
	"testing"
)

// cprShape finds CPR-shaped numbers in PAYLOADS.tsv: six digits, an
// optional dash or space, four digits.
var cprShape = regexp.MustCompile(`\b(\d{6})[- ]?(\d{4})\b`)

// TestPayloadsInvented checks that no fixture holds a number a living
// person could have: a number passing modulus 11 must be born in 2037-2057
// (7th digit 5-8), one failing it must not be born on 1 January (the only
// birthdays for which the CPR office has issued numbers failing modulus 11).
func TestPayloadsInvented(t *testing.T) {
	n := 0
	for _, fs := range readTSV(t, "PAYLOADS.tsv", 2) {
		for _, m := range cprShape.FindAllStringSubmatch(fs[1], -1) {
			d := m[1] + m[2]
			day, month, yy := atoi(d[0:2]), atoi(d[2:4]), atoi(d[4:6])
			if day < 1 || day > 31 || month < 1 || month > 12 {
				continue // not a date: not a CPR number
			}
			n++
			d7 := atoi(d[6:7])
			if mod11(d) && !(d7 >= 5 && d7 <= 8 && yy >= 37 && yy <= 57) {
				t.Errorf("%s: %s passes modulus 11 with a birth date a living person may have", fs[0], m[0])
			}
			if !mod11(d) && day == 1 && month == 1 {
				t.Errorf("%s: %s fails modulus 11 on 1 January, a birthday such numbers are issued for", fs[0], m[0])
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d CPR numbers in PAYLOADS.tsv", n)
	}
}

func mod11(d string) bool {
	w := []int{4, 3, 2, 7, 6, 5, 4, 3, 2, 1}
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * w[i]
	}
	return sum%11 == 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
