package holdout

import (
	"path/filepath"
	"strconv"
	"testing"
)

// TestPayloadsInvented checks that no fixture holds a number a living
// person could have: a number passing modulus 11 is born 2037-2057 (seventh
// digit 5-8); one failing it is not born on 1 January (the only birthdays
// for which such numbers are issued).
func TestPayloadsInvented(t *testing.T) {
	for _, r := range rounds {
		t.Run(filepath.Base(r.dir), func(t *testing.T) { payloadsInvented(t, r.dir) })
	}
}

func payloadsInvented(t *testing.T, dir string) {
	n := 0
	for _, fs := range readTSV(t, dir, "PAYLOADS.tsv", 2) {
		for _, m := range cprShape.FindAllStringSubmatch(fs[1], -1) {
			d := m[1] + m[2]
			day, month, yy := atoi(d[0:2]), atoi(d[2:4]), atoi(d[4:6])
			if day < 1 || day > 31 || month < 1 || month > 12 {
				continue
			}
			n++
			d7 := atoi(d[6:7])
			if mod11(d) && (d7 < 5 || d7 > 8 || yy < 37 || yy > 57) {
				t.Errorf("%s: a number passing modulus 11 with a birth date a living person may have", fs[0])
			}
			if !mod11(d) && day == 1 && month == 1 {
				t.Errorf("%s: a number failing modulus 11 on 1 January", fs[0])
			}
		}
	}
	if n < 30 {
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
