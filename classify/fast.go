package classify

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"
)

// scanASCII normalises and scans the ASCII bytes at the start of p, as
// norm.appendASCII followed by scan would, and returns the index of the
// first non-ASCII byte (len(p) if none). The state it touches on every byte
// is kept in local variables and written back at the end or before a call
// that reads it.
func (t *textScanner) scanASCII(p []byte) int {
	if t.m == nil {
		return t.scanASCIICPR(p)
	}
	delta, firstOut := t.m.delta, t.m.firstOut
	state, pos, lastSpace, word := t.state, t.pos, t.norm.lastSpace, t.curWord
	busy := !t.cpr.idle() // the CPR tracker needs every byte
	i := 0
	for ; i < len(p); i++ {
		if !busy {
			t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
			i += t.scanLetters(p[i:])
			state, pos, lastSpace, word = t.state, t.pos, t.norm.lastSpace, t.curWord
			if i == len(p) {
				break
			}
		}
		b := p[i]
		if b >= utf8.RuneSelf {
			// Latin-1 letters (æ, ø, å) are scanned here too, the
			// general way, so Danish text stays in this loop.
			n := latin1Segment(p[i:])
			if n == 0 {
				break
			}
			t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
			t.buf, _ = appendLatin1(t.buf[:0], p[i:i+n])
			t.norm.lastSpace = false
			t.scan(t.buf)
			state, pos, lastSpace, word = t.state, t.pos, false, t.curWord
			busy = !t.cpr.idle()
			i += n - 1
			continue
		}
		c := asciiMap[b]
		if c == 0 || (c == ' ' && lastSpace) {
			continue
		}
		lastSpace = c == ' '
		word = asciiWord[c]
		if len(t.pending) > 0 {
			t.pos = pos
			t.endPending(word)
		}
		pos++
		t.word[pos&ringMask] = word
		state = delta[state|uint32(c)]
		if state >= firstOut {
			t.pos, t.state = pos, state
			t.matched(t.m.out[state>>8])
		}
		if c >= '0' && c <= '9' {
			// An idle tracker gets here only with a digit run that
			// scanLetters found could hold a CPR number.
			t.cpr.digit(c - '0')
			busy = true
			continue
		}
		if busy {
			t.pos = pos
			t.res.CPR += t.cpr.feed(c, pos-t.lastKey <= t.keyReach)
			if t.cpr.bare {
				t.bareNumber()
			}
			busy = !t.cpr.idle()
		}
	}
	t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
	return i
}

// scanLetters is scanASCII's inner loop, for the common case while the CPR
// tracker is idle: letters, spaces, punctuation, Latin-1 letters alone in
// their segment (see latin1Fast), and runs of digits that cannot hold a CPR
// number (see shortDigitRun). It stops at a byte that needs the general way
// and returns the number of bytes it took. It is a function of its own so
// that its few variables stay in registers.
func (t *textScanner) scanLetters(p []byte) int {
	delta, firstOut := t.m.delta, t.m.firstOut
	state, pos, lastSpace := t.state, t.pos, t.norm.lastSpace
	word := t.curWord
	pend := len(t.pending) > 0
	quiet := 0 // p[:quiet] is a short digit run, not fed to the tracker
	i := 0
	for ; i < len(p); i++ {
		b := p[i]
		c := plainMap[b]
		if c == 0 {
			switch {
			case digitByte[b]:
				if i >= quiet {
					end, ok := shortDigitRun(p[i:])
					if !ok {
						t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
						return i
					}
					quiet = i + end
				}
				c = b
			case b < utf8.RuneSelf:
				continue // dropped by the normaliser
			default:
				// A Latin-1 letter alone in its segment: its
				// first normalised byte is fed here, the second
				// below. (The step is written out twice: a
				// loop over the two bytes costs 8%.)
				if b != 0xc2 && b != 0xc3 || i+2 >= len(p) || plainMap[p[i+2]] == 0 && !digitByte[p[i+2]] {
					t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
					return i
				}
				l := latin1Fast[(b&1)<<6|p[i+1]&0x3f]
				if l.word == 0 || p[i+1]&0xc0 != 0x80 {
					t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
					return i
				}
				i++
				lastSpace, word = false, l.word == 2
				if pend {
					t.pos = pos
					t.endPending(word)
					pend = false
				}
				pos++
				t.word[pos&ringMask] = word
				state = delta[state|uint32(l.lead)]
				if state >= firstOut {
					t.pos, t.state = pos, state
					t.matched(t.m.out[state>>8])
					pend = len(t.pending) > 0
				}
				c = l.cont
			}
		}
		if c == ' ' {
			if lastSpace {
				continue
			}
			lastSpace, word = true, false
		} else if c < utf8.RuneSelf {
			// (A Latin-1 letter's second byte keeps the class of
			// its rune.)
			lastSpace, word = false, asciiWord[c]
		}
		if pend {
			t.pos = pos
			t.endPending(word)
			pend = false
		}
		pos++
		t.word[pos&ringMask] = word
		state = delta[state|uint32(c)]
		if state >= firstOut {
			t.pos, t.state = pos, state
			t.matched(t.m.out[state>>8])
			pend = len(t.pending) > 0
		}
	}
	t.state, t.pos, t.norm.lastSpace, t.curWord = state, pos, lastSpace, word
	return i
}

// scanASCIICPR is scanASCII without a term matcher (the pass over the wire
// form): only the CPR tracker reads the text, and while it is idle it
// ignores everything but digits, so the bytes up to the next ASCII digit or
// non-ASCII byte (which may normalise to a digit) are skipped unread. The
// position, the word ring and curWord are not kept: without a matcher
// nothing reads them, and no CPR keyword can be near.
func (t *textScanner) scanASCIICPR(p []byte) int {
	lastSpace := t.norm.lastSpace
	busy := !t.cpr.idle()
	i := 0
	for i < len(p) {
		if !busy {
			k := i + nextDigitOrHigh(p[i:])
			lastSpace = lastSpaceAfter(p[i:k], lastSpace)
			i = k
			if i == len(p) {
				break
			}
		}
		b := p[i]
		if b >= utf8.RuneSelf {
			// Latin-1 letters are neither digits nor separators to
			// the tracker (see latin1).
			n := latin1Segment(p[i:])
			if n == 0 {
				break
			}
			lastSpace = false
			if busy {
				t.res.CPR += t.cpr.feed(0, false)
				busy = false
			}
			i += n
			continue
		}
		if !busy {
			if end, ok := shortDigitRun(p[i:]); ok {
				lastSpace = lastSpaceAfter(p[i:i+end], lastSpace)
				i += end
				continue
			}
		}
		i++
		c := asciiMap[b]
		if c == 0 || (c == ' ' && lastSpace) {
			continue
		}
		lastSpace = c == ' '
		if c >= '0' && c <= '9' {
			t.cpr.digit(c - '0')
			busy = true
			continue
		}
		t.res.CPR += t.cpr.feed(c, false)
		busy = !t.cpr.idle()
	}
	t.norm.lastSpace = lastSpace
	return i
}

// latin1Segment returns the length of the non-ASCII segment p starts with
// (see segmentEnd) if it holds only runes of the latin1 table, else 0.
func latin1Segment(p []byte) int {
	j := segmentEnd(p)
	if !isLatin1(p[:j]) {
		return 0
	}
	return j
}

// nextDigitOrHigh returns the index of the first ASCII digit or non-ASCII
// byte in p (len(p) if none), looking at eight bytes at a time.
func nextDigitOrHigh(p []byte) int {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(p); i += 8 {
		x := binary.LittleEndian.Uint64(p[i:])
		// Below the high bit of each byte, adding 0x80-'0' carries into
		// it for bytes >= '0', adding 0x80-('9'+1) for bytes > '9'; no
		// carry crosses into the next byte.
		low := x &^ high
		digit := (low + (0x80-'0')*ones) &^ (low + (0x80-'9'-1)*ones)
		if (digit|x)&high != 0 {
			break
		}
	}
	for i < len(p) && !digitOrHigh[p[i]] {
		i++
	}
	return i
}

// plainMap is asciiMap for the bytes scanASCII's inner loop takes: ASCII
// other than digits and the control characters the normaliser drops. The
// rest map to 0. Letters map below 0x80, so c >= 0x80 never holds for them;
// the test is there to keep word's expression branch-free.
var plainMap = func() (m [256]byte) {
	for b := range utf8.RuneSelf {
		if c := asciiMap[b]; c != 0 && (c < '0' || c > '9') {
			m[b] = c
		}
	}
	return m
}()

// latin1Fast is the latin1 table for scanASCII's inner loop: for each rune
// U+0080–U+00FF whose normalised form is one two-byte rune other than a
// digit, the form's bytes and whether it is part of a word (word 2) or not
// (word 1). The rest have word 0 and go the general way.
var latin1Fast = func() (t [0x80]struct{ lead, cont, word byte }) {
	for i, out := range latin1 {
		r, n := utf8.DecodeRuneInString(out)
		if len(out) != 2 || n != 2 || unicode.IsDigit(r) || out[0] != 0xc2 && out[0] != 0xc3 {
			continue
		}
		t[i].lead, t[i].cont, t[i].word = out[0], out[1], 1
		if isWordRune(r) {
			t[i].word = 2
		}
	}
	return t
}()

var digitByte = func() (d [256]bool) {
	for b := '0'; b <= '9'; b++ {
		d[b] = true
	}
	return d
}()

// digitOrHigh marks ASCII digits and the bytes of non-ASCII characters.
var digitOrHigh = func() (d [256]bool) {
	for b := range d {
		d[b] = b >= '0' && b <= '9' || b >= utf8.RuneSelf
	}
	return d
}()

// lastSpaceAfter returns the normaliser's lastSpace after the ASCII run p:
// whether the last byte it does not drop is white space.
func lastSpaceAfter(p []byte, lastSpace bool) bool {
	for k := len(p) - 1; k >= 0; k-- {
		if c := asciiMap[p[k]]; c != 0 {
			return c == ' '
		}
	}
	return lastSpace
}

// Classes of bytes for shortDigitRun.
const (
	runEnd   = iota // ends a run of digits: ASCII other than below
	runDigit        // ASCII digit
	runSep          // separator, white space or dropped control character
	runOpen         // non-ASCII: may be a digit or a separator once normalised
)

var runClass = func() (c [256]uint8) {
	for b := range c {
		switch {
		case b >= utf8.RuneSelf:
			c[b] = runOpen
		case b >= '0' && b <= '9':
			c[b] = runDigit
		case asciiMap[b] == 0 || asciiMap[b] == ' ' || b == '-' || b == '.' || b == '/':
			c[b] = runSep
		default:
			c[b] = runEnd
		}
	}
	return c
}()

// shortDigitRun looks at the run of digits and separators that p starts
// with, p[0] being a digit and the CPR tracker idle. If the run holds fewer
// than ten digits and ends inside p at an ASCII byte that ends any run (a
// letter, ',' …), no CPR number can be found in it and the tracker is idle
// again after it, as if it had never seen it: ok is true and end is the
// index of that byte. Anything else (ten digits or more, a non-ASCII byte,
// the end of p) is left to the tracker.
func shortDigitRun(p []byte) (end int, ok bool) {
	digits := 0
	for i, b := range p {
		switch runClass[b] {
		case runDigit:
			digits++
			if digits >= 10 {
				return 0, false
			}
		case runSep:
		case runEnd:
			return i, true
		default:
			return 0, false
		}
	}
	return 0, false
}
