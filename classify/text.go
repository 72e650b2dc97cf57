package classify

import (
	"unicode"
	"unicode/utf8"
)

// textScanner finds CPR numbers and sensitive terms in one unit of text (a
// header value, a part's body) written to it in chunks of any size.
type textScanner struct {
	m   *matcher // nil: CPR only
	res *Result

	norm  normalizer
	buf   []byte
	pos   int64  // bytes of normalised text seen
	state uint32 // of m; see matcher.delta
	// word[pos&ringMask] says whether the normalised byte at pos belonged
	// to a word (letter, digit or mark), for the boundary before a match.
	word     [ringSize]bool
	curWord  bool    // class of the rune being read
	pending  []int32 // matches that need a boundary after them
	lastHit  []int64 // per category: end of the last hit, to count a spot once
	lastKey  int64   // end of the last CPR keyword
	cpr      cprTracker
	cprCat   int // category index of CPR keywords, or -1
	keyReach int64
	ctx      contextState // weak terms, cues and exceptions; see context.go
}

const (
	ringSize = 256
	ringMask = ringSize - 1
	// keywordReach is how far (in normalised bytes) a CPR keyword may stand
	// before a bare ten-digit number: "CPR-nr.: " and some spaces.
	keywordReach = 40
)

func newTextScanner(m *matcher, res *Result) *textScanner {
	t := &textScanner{m: m, res: res, cprCat: -1, keyReach: keywordReach}
	if m != nil {
		t.lastHit = make([]int64, len(m.cats))
		for i, c := range m.cats {
			if c == CategoryCPR {
				t.cprCat = i
			}
		}
	}
	t.reset()
	return t
}

// reset starts a new unit of text.
func (t *textScanner) reset() {
	t.norm.reset()
	t.pos, t.state, t.curWord = 0, 0, false
	t.word = [ringSize]bool{}
	t.pending = t.pending[:0]
	for i := range t.lastHit {
		t.lastHit[i] = -1
	}
	t.lastKey = -1 << 40
	t.cpr.endRun()
	t.ctx.reset()
}

// Write implements io.Writer; it never fails.
//
// It does what t.scan(t.norm.append(nil, p)) does (the general path), but
// runs of ASCII, most of any text, are normalised and scanned in one tight
// loop, scanASCII, without the intermediate buffer.
func (t *textScanner) Write(p []byte) (int, error) {
	n := len(p)
	t.res.TextBytes += int64(n)
	if t.norm.ncarry > 0 {
		t.buf, p = t.norm.completeCarry(t.buf[:0], p)
		t.scan(t.buf)
	}
	for len(p) > 0 {
		p = p[t.scanASCII(p):]
		if len(p) == 0 {
			break
		}
		j := segmentEnd(p)
		if t.m == nil && isLatin1(p[:j]) {
			// The wire pass: to the CPR tracker these letters are
			// just not digits or separators (see latin1).
			t.norm.lastSpace = false
			if !t.cpr.idle() {
				t.res.CPR += t.cpr.feed(0, false)
			}
		} else {
			t.buf = t.norm.segment(t.buf[:0], p[:j], j == len(p))
			t.scan(t.buf)
		}
		p = p[j:]
	}
	return n, nil
}

// WriteString writes s.
func (t *textScanner) WriteString(s string) {
	t.Write([]byte(s))
}

// end finishes the unit: pending matches meet the end of text, which is a
// boundary, and an open digit group is closed.
func (t *textScanner) end() {
	for _, pi := range t.pending {
		t.hit(pi)
	}
	t.pending = t.pending[:0]
	t.settle(true)
	t.res.CPR += t.cpr.flush(t.pos-t.lastKey <= t.keyReach)
	t.bareNumber()
	t.reset()
}

func (t *textScanner) scan(p []byte) {
	m := t.m
	for i, b := range p {
		if b < utf8.RuneSelf {
			t.curWord = asciiWord[b]
		} else if (b == 0xc2 || b == 0xc3) && i+1 < len(p) && p[i+1]&0xc0 == 0x80 {
			t.curWord = latin1Word[(b&1)<<6|p[i+1]&0x3f] // U+0080–U+00FF
		} else if utf8.RuneStart(b) {
			r, _ := utf8.DecodeRune(p[i:])
			t.curWord = isWordRune(r)
		}
		if len(t.pending) > 0 && utf8.RuneStart(b) {
			t.endPending(t.curWord)
		}
		t.pos++
		t.word[t.pos&ringMask] = t.curWord
		if m != nil {
			t.state = m.delta[t.state|uint32(b)]
			if t.state >= m.firstOut {
				t.matched(m.out[t.state>>8])
			}
		}
		// Outside a digit run only a digit matters to the CPR tracker.
		if t.cpr.idle() && (b < '0' || b > '9') {
			continue
		}
		if b >= utf8.RuneSelf {
			b = 0
		}
		t.res.CPR += t.cpr.feed(b, t.pos-t.lastKey <= t.keyReach)
		t.bareNumber()
	}
}

// endPending settles the matches waiting for the rune after them: they
// count when that rune is not part of a word.
func (t *textScanner) endPending(word bool) {
	if !word {
		for _, pi := range t.pending {
			t.hit(pi)
		}
	}
	t.pending = t.pending[:0]
}

// matched checks the boundaries of patterns that end at t.pos.
func (t *textScanner) matched(outs []int32) {
	for _, pi := range outs {
		p := &t.m.pats[pi]
		if p.startBound {
			before := t.pos - int64(len(p.text))
			if before > 0 && t.word[before&ringMask] {
				continue
			}
		}
		if p.endBound {
			t.pending = append(t.pending, pi)
			continue
		}
		t.hit(pi)
	}
}

// hit takes a match of pattern pi that ends at t.pos and met its word
// boundaries. A plain term counts at once; cues, exceptions and held
// matches go to context.go.
func (t *textScanner) hit(pi int32) {
	p := &t.m.pats[pi]
	if p.cat == t.cprCat {
		t.lastKey = t.pos
	}
	if len(t.ctx.held) > 0 {
		t.settle(false)
	}
	switch {
	case p.role == kindCue:
		t.cue(p)
	case p.role == kindException:
		t.exception(p)
	case t.m.hold[pi]:
		t.holdMatch(p)
	default:
		t.count(p.cat, t.pos)
	}
}

// count records a finding of category cat at end.
func (t *textScanner) count(cat int, end int64) {
	// Two patterns of one category ending at the same byte ("sygdom" and
	// "*sygdom*") are one finding.
	if t.lastHit[cat] == end {
		return
	}
	t.lastHit[cat] = end
	if t.res.Terms == nil {
		t.res.Terms = map[string]int{}
	}
	t.res.Terms[t.m.cats[cat]]++
}

// isWordRune says whether r belongs to a word: a letter, a digit or a
// combining mark.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// latin1Word is isWordRune for U+0080–U+00FF, indexed by r-0x80.
var latin1Word = func() (w [0x80]bool) {
	for i := range w {
		w[i] = isWordRune(rune(0x80 + i))
	}
	return w
}()

var asciiWord = func() (w [128]bool) {
	for b := 0; b < 128; b++ {
		w[b] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
	}
	return w
}()
