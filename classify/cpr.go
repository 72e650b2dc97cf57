package classify

// CPR numbers (Danish personal identification numbers) are DDMMYY-SSSS. The
// first digit of SSSS and YY give the century; the date must be real. Numbers
// issued since 2007 need not pass the old modulus 11 check, so it is never
// required: it only raises confidence for bare ten-digit runs.
// Source: CPR-kontoret, "Personnummeret i CPR" (2008).

// ValidCPR reports whether the ten digits d (values 0–9) form a CPR number
// with a real birth date, and whether it passes modulus 11.
func ValidCPR(d *[10]byte) (valid, mod11 bool) {
	day := int(d[0])*10 + int(d[1])
	month := int(d[2])*10 + int(d[3])
	yy := int(d[4])*10 + int(d[5])
	year := century(yy, d[6]) + yy
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return false, false
	}
	sum := 0
	for i, w := range [10]int{4, 3, 2, 7, 6, 5, 4, 3, 2, 1} {
		sum += w * int(d[i])
	}
	return true, sum%11 == 0
}

// century applies the CPR rule for the seventh digit.
func century(yy int, d7 byte) int {
	switch {
	case d7 <= 3:
		return 1900
	case d7 == 4 || d7 == 9:
		if yy <= 36 {
			return 2000
		}
		return 1900
	default: // 5–8
		if yy <= 57 {
			return 2000
		}
		return 1800
	}
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// cprTracker finds CPR numbers in normalised text, one byte at a time.
//
// Digits are collected into groups separated by short runs of ' ', '-', '.'
// or '/'; a line break inside a number has become ' ' by then. Every run of
// consecutive groups holding exactly ten digits is a candidate, so a number
// is found even when glued to other numbers ("Kunde 4711 010285-1234") or
// split oddly. A candidate with the usual shape (6+4 digits, 2+2+2+4, or a
// '-' after the sixth digit) counts when its date is real; any other shape,
// a bare ten-digit run included, also needs modulus 11 or a CPR keyword just
// before it, because bank and order numbers come in that shape.
type cprTracker struct {
	// The run's last groups: their lengths (each at most 10) and whether
	// a '-' stood in the separator before each.
	lens   [maxGroups]uint8
	dashes [maxGroups]bool
	n      int
	// hist holds the last digits of the run: digit number i (counting
	// every digit fed) at hist[i%len(hist)]. The digits of a candidate
	// are always the last ten fed.
	hist    [16]byte
	nd      uint
	curLen  int  // digits in the open group
	curDash bool // a '-' stood before the open group
	inGroup bool
	sepLen  int
	sepDash bool
	active  bool
	// bare is set when a candidate had a real date but nothing else for
	// it (no usual shape, no modulus 11, no keyword): the scanner counts
	// it when a person's name stands right beside it (bareNumber).
	bare bool
}

const maxGroups = 10

// idle reports whether only a digit can change the tracker's state.
func (t *cprTracker) idle() bool { return !t.inGroup && !t.active }

// digit consumes one normalised digit, d = b - '0'.
func (t *cprTracker) digit(d byte) {
	if !t.inGroup {
		t.curLen, t.curDash = 0, t.sepDash
		t.inGroup = true
	}
	t.hist[t.nd%uint(len(t.hist))] = d
	t.nd++
	t.curLen++
	t.sepLen, t.sepDash = 0, false
}

// feed consumes one normalised byte. It returns the number of CPR numbers
// completed by it; keywordNear says whether a CPR keyword ended just before.
func (t *cprTracker) feed(b byte, keywordNear bool) int {
	switch {
	case b >= '0' && b <= '9':
		t.digit(b - '0')
		return 0
	case b == ' ' || b == '-' || b == '.' || b == '/':
		found := 0
		if t.inGroup {
			found = t.closeGroup(keywordNear)
		}
		if t.active {
			t.sepLen++
			if b == '-' {
				t.sepDash = true
			}
			if t.sepLen > 3 {
				t.endRun()
			}
		}
		return found
	default:
		found := 0
		if t.inGroup {
			found = t.closeGroup(keywordNear)
		}
		t.endRun()
		return found
	}
}

// flush ends the text.
func (t *cprTracker) flush(keywordNear bool) int {
	found := 0
	if t.inGroup {
		found = t.closeGroup(keywordNear)
	}
	t.endRun()
	return found
}

func (t *cprTracker) endRun() {
	t.n, t.active, t.sepLen, t.sepDash, t.inGroup = 0, false, 0, false, false
}

func (t *cprTracker) closeGroup(keywordNear bool) int {
	t.inGroup = false
	t.active = true
	if t.curLen > 10 {
		// Part of a longer number: nothing before it can join what follows.
		t.n = 0
		return 0
	}
	if t.n == maxGroups {
		copy(t.lens[:], t.lens[1:])
		copy(t.dashes[:], t.dashes[1:])
		t.n--
	}
	t.lens[t.n], t.dashes[t.n] = uint8(t.curLen), t.curDash
	t.n++
	sum := 0
	for j := t.n - 1; j >= 0; j-- {
		sum += int(t.lens[j])
		if sum == 10 {
			return t.candidate(j, keywordNear)
		}
		if sum > 10 {
			break
		}
	}
	return 0
}

// candidate judges the groups from j to the last, which hold ten digits.
func (t *cprTracker) candidate(j int, keywordNear bool) int {
	var d [10]byte
	for k := range d {
		d[k] = t.hist[(t.nd-10+uint(k))%uint(len(t.hist))]
	}
	lens, dashes := t.lens[j:t.n], t.dashes[j:t.n]
	strong := false
	k := 0
	for i, l := range lens {
		if k == 6 && dashes[i] {
			strong = true
		}
		k += int(l)
	}
	switch len(lens) {
	case 2:
		strong = strong || lens[0] == 6
	case 4:
		strong = strong || (lens[0] == 2 && lens[1] == 2 && lens[2] == 2)
	}
	valid, mod11 := ValidCPR(&d)
	if valid && (strong || mod11 || keywordNear) {
		return 1
	}
	t.bare = valid
	return 0
}
