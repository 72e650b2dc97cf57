package classify

import "unicode/utf8"

// refAppend is normalizer.append as it was before the ASCII and Latin-1
// fast paths (commit 38950a9), with one later fix: completing the carried
// rune takes only continuation bytes (see completeCarry).
func (n *normalizer) refAppend(dst, p []byte) []byte {
	if n.ncarry > 0 {
		// Complete the rune left over from the previous chunk.
		for len(p) > 0 && n.ncarry < utf8.UTFMax && !utf8.FullRune(n.carry[:n.ncarry]) && !utf8.RuneStart(p[0]) {
			n.carry[n.ncarry] = p[0]
			n.ncarry++
			p = p[1:]
		}
		if !utf8.FullRune(n.carry[:n.ncarry]) && len(p) == 0 {
			return dst
		}
		dst = n.nonASCII(dst, n.carry[:n.ncarry])
		n.ncarry = 0
	}
	for i := 0; i < len(p); {
		b := p[i]
		if b < utf8.RuneSelf {
			c := asciiMap[b]
			i++
			if c == 0 || (c == ' ' && n.lastSpace) {
				continue
			}
			n.lastSpace = c == ' '
			dst = append(dst, c)
			continue
		}
		// ASCII control characters, which are dropped, stay inside the
		// run: NFKC must see the marks on either side of them together.
		j := i + 1
		for j < len(p) && (p[j] >= utf8.RuneSelf || asciiMap[p[j]] == 0) {
			j++
		}
		seg := p[i:j]
		if j == len(p) {
			// Keep an incomplete last rune for the next chunk.
			k := len(seg) - 1
			for k > 0 && !utf8.RuneStart(seg[k]) {
				k--
			}
			if !utf8.FullRune(seg[k:]) && len(seg)-k < utf8.UTFMax {
				n.ncarry = copy(n.carry[:], seg[k:])
				seg = seg[:k]
			}
		}
		dst = n.nonASCII(dst, seg)
		i = j
	}
	return dst
}

// refTracker is cprTracker as it was before the speed work of issue 5
// (commit 38950a9), kept as the reference the differential tests compare
// the faster tracker and scanner with.
type refTracker struct {
	groups  [refMaxGroups]refGroup
	n       int
	cur     refGroup
	inGroup bool
	sepLen  int
	sepDash bool
	active  bool
}

const refMaxGroups = 10

type refGroup struct {
	len      int
	digits   [10]byte
	dashFore bool // a '-' stood in the separator before this group
}

// feed consumes one normalised byte. It returns the number of CPR numbers
// completed by it; keywordNear says whether a CPR keyword ended just before.
func (t *refTracker) feed(b byte, keywordNear bool) int {
	switch {
	case b >= '0' && b <= '9':
		if !t.inGroup {
			t.cur = refGroup{dashFore: t.sepDash}
			t.inGroup = true
		}
		if t.cur.len < 10 {
			t.cur.digits[t.cur.len] = b - '0'
		}
		t.cur.len++
		t.sepLen, t.sepDash = 0, false
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
func (t *refTracker) flush(keywordNear bool) int {
	found := 0
	if t.inGroup {
		found = t.closeGroup(keywordNear)
	}
	t.endRun()
	return found
}

func (t *refTracker) endRun() {
	t.n, t.active, t.sepLen, t.sepDash, t.inGroup = 0, false, 0, false, false
}

func (t *refTracker) closeGroup(keywordNear bool) int {
	t.inGroup = false
	t.active = true
	if t.cur.len > 10 {
		// Part of a longer number: nothing before it can join what follows.
		t.n = 0
		return 0
	}
	if t.n == refMaxGroups {
		copy(t.groups[:], t.groups[1:])
		t.n--
	}
	t.groups[t.n] = t.cur
	t.n++
	sum := 0
	for j := t.n - 1; j >= 0; j-- {
		sum += t.groups[j].len
		if sum == 10 {
			return t.candidate(t.groups[j:t.n], keywordNear)
		}
		if sum > 10 {
			break
		}
	}
	return 0
}

func (t *refTracker) candidate(gs []refGroup, keywordNear bool) int {
	var d [10]byte
	k := 0
	strong := false
	for _, g := range gs {
		if k == 6 && g.dashFore {
			strong = true
		}
		k += copy(d[k:], g.digits[:g.len])
	}
	switch len(gs) {
	case 2:
		strong = strong || gs[0].len == 6
	case 4:
		strong = strong || (gs[0].len == 2 && gs[1].len == 2 && gs[2].len == 2)
	}
	valid, mod11 := ValidCPR(&d)
	if valid && (strong || mod11 || keywordNear) {
		return 1
	}
	return 0
}
