package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizer turns UTF-8 text into the form the matchers see: Unicode NFKC
// (full-width and other compatibility digits and letters become plain ones),
// lower case, format characters (zero-width space, soft hyphen, bidi marks)
// and control characters removed, every run of white space one ' ', every
// dash '-', and every decimal digit of any script an ASCII digit. Removing
// rather than replacing invisible characters is what joins "01\u200b02".
//
// It works on chunks: a rune split across two writes is carried over. It
// never fails; invalid UTF-8 bytes are dropped.
type normalizer struct {
	carry     [utf8.UTFMax]byte
	ncarry    int
	lastSpace bool
	scratch   []byte
	pre       []byte
}

// asciiMap maps each ASCII byte to its normalised byte; 0 drops it.
var asciiMap = func() (m [128]byte) {
	for b := 0; b < 128; b++ {
		switch {
		case b >= 'A' && b <= 'Z':
			m[b] = byte(b) + 'a' - 'A'
		case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f':
			m[b] = ' '
		case b < 0x20 || b == 0x7f:
			m[b] = 0
		default:
			m[b] = byte(b)
		}
	}
	return m
}()

func (n *normalizer) reset() {
	n.ncarry = 0
	n.lastSpace = false
}

// append normalises p and appends the result to dst.
func (n *normalizer) append(dst, p []byte) []byte {
	dst, p = n.completeCarry(dst, p)
	for len(p) > 0 {
		var i int
		dst, i = n.appendASCII(dst, p)
		p = p[i:]
		if len(p) == 0 {
			break
		}
		j := segmentEnd(p)
		dst = n.segment(dst, p[:j], j == len(p))
		p = p[j:]
	}
	return dst
}

// completeCarry completes the rune left over from the previous chunk with
// the first bytes of p and returns the rest of p. Only continuation bytes
// are taken: any other byte starts a rune of its own, as it would in the
// text read whole, and the carried bytes are then invalid and dropped.
// (Taking it would swallow the next character: "\xef" + "５" lost the
// digit, and a CPR number with it, when a chunk ended after the "\xef".)
func (n *normalizer) completeCarry(dst, p []byte) ([]byte, []byte) {
	if n.ncarry == 0 {
		return dst, p
	}
	for len(p) > 0 && n.ncarry < utf8.UTFMax && !utf8.FullRune(n.carry[:n.ncarry]) && !utf8.RuneStart(p[0]) {
		n.carry[n.ncarry] = p[0]
		n.ncarry++
		p = p[1:]
	}
	if !utf8.FullRune(n.carry[:n.ncarry]) && len(p) == 0 {
		return dst, p
	}
	// Complete, or cut short by a byte that starts a rune.
	dst = n.nonASCII(dst, n.carry[:n.ncarry])
	n.ncarry = 0
	return dst, p
}

// appendASCII normalises the ASCII bytes at the start of p; it returns the
// index of the first non-ASCII byte (len(p) if none).
func (n *normalizer) appendASCII(dst, p []byte) ([]byte, int) {
	for i, b := range p {
		if b >= utf8.RuneSelf {
			return dst, i
		}
		c := asciiMap[b]
		if c == 0 || (c == ' ' && n.lastSpace) {
			continue
		}
		n.lastSpace = c == ' '
		dst = append(dst, c)
	}
	return dst, len(p)
}

// segmentEnd returns the end of the non-ASCII segment p starts with. ASCII
// control characters, which are dropped, stay inside the segment: NFKC
// must see the marks on either side of them together.
func segmentEnd(p []byte) int {
	j := 1
	for j < len(p) && (p[j] >= utf8.RuneSelf || asciiMap[p[j]] == 0) {
		j++
	}
	return j
}

// segment normalises a non-ASCII segment (see segmentEnd). When it ends
// the chunk (last), an incomplete last rune is kept for the next chunk.
func (n *normalizer) segment(dst, seg []byte, last bool) []byte {
	if last {
		k := len(seg) - 1
		for k > 0 && !utf8.RuneStart(seg[k]) {
			k--
		}
		if !utf8.FullRune(seg[k:]) && len(seg)-k < utf8.UTFMax {
			n.ncarry = copy(n.carry[:], seg[k:])
			seg = seg[:k]
		}
	}
	if d, ok := appendLatin1(dst, seg); ok {
		n.lastSpace = false
		return d
	}
	return n.nonASCII(dst, seg)
}

// latin1 holds, for each rune U+0080–U+00FF that NFKC leaves alone and that
// never combines with what stands before it (æ, ø, å, é, ü …), what
// nonASCII turns it into, so the common Latin-1 letters of Danish text skip
// NFKC. A segment of such runes normalises rune by rune: none of them joins
// its predecessor, and what follows the segment is ASCII, which joins
// nothing (or the next chunk, which nonASCII never sees together with this
// one either). Computed with nonASCII itself, so the two cannot disagree.
var latin1 = func() (t [0x80]string) {
	for r := rune(0x80); r <= 0xff; r++ {
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		if norm.NFKC.String(s) != s || p.CCC() != 0 || !p.BoundaryBefore() {
			continue
		}
		var n normalizer
		out := string(n.nonASCII(nil, []byte(s)))
		// Spaces and dropped characters depend on the state; leave them
		// to the general path.
		if out == "" || strings.ContainsRune(out, ' ') || n.lastSpace {
			continue
		}
		t[r-0x80] = out
	}
	return t
}()

// isLatin1 reports whether seg holds only runes of the latin1 table.
func isLatin1(seg []byte) bool {
	if len(seg)%2 != 0 {
		return false
	}
	for i := 0; i < len(seg); i += 2 {
		if (seg[i] != 0xc2 && seg[i] != 0xc3) || seg[i+1]&0xc0 != 0x80 ||
			latin1[rune(seg[i]&0x1f)<<6|rune(seg[i+1]&0x3f)-0x80] == "" {
			return false
		}
	}
	return true
}

// appendLatin1 appends the normal form of seg if seg holds only runes of
// the latin1 table; ok is false (and nothing appended) otherwise.
func appendLatin1(dst, seg []byte) (_ []byte, ok bool) {
	if !isLatin1(seg) {
		return dst, false
	}
	for i := 0; i < len(seg); i += 2 {
		dst = append(dst, latin1[rune(seg[i]&0x1f)<<6|rune(seg[i+1]&0x3f)-0x80]...)
	}
	return dst, true
}

// nonASCII normalises a run of non-ASCII bytes.
func (n *normalizer) nonASCII(dst, seg []byte) []byte {
	if len(seg) == 0 {
		return dst
	}
	// Drop invalid bytes and invisible characters before NFKC, not after:
	// removed between two combining marks they would leave the marks out
	// of canonical order, and a second pass would reorder them (found by
	// FuzzNormalize).
	n.pre = n.pre[:0]
	for s := seg; len(s) > 0; {
		r, size := utf8.DecodeRune(s)
		if !(r == utf8.RuneError && size <= 1) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) {
			n.pre = append(n.pre, s[:size]...)
		}
		s = s[size:]
	}
	n.scratch = norm.NFKC.Append(n.scratch[:0], n.pre...)
	for s := n.scratch; len(s) > 0; {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		switch {
		case r < utf8.RuneSelf:
			c := asciiMap[r]
			if c == 0 || (c == ' ' && n.lastSpace) {
				continue
			}
			n.lastSpace = c == ' '
			dst = append(dst, c)
			continue
		case r == utf8.RuneError && size <= 1, unicode.Is(unicode.Cf, r), unicode.IsControl(r):
			continue
		case unicode.IsSpace(r):
			if !n.lastSpace {
				dst = append(dst, ' ')
				n.lastSpace = true
			}
			continue
		case unicode.Is(unicode.Pd, r) || r == '\u2212':
			r = '-'
		case unicode.Is(unicode.Nd, r):
			r = '0' + digitValue(r)
		default:
			r = unicode.ToLower(r)
		}
		n.lastSpace = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// digitValue returns the value of a decimal digit of any script: Unicode
// lays each script's digits out as a contiguous 0–9 run (UAX #44, Nd).
func digitValue(r rune) rune {
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return (r - rune(rg.Lo)) % 10
		}
	}
	return 0
}

// Normalize returns s as the matchers see it. Exported for the rules
// package's tests and the check command; see normalizer.
func Normalize(s string) string {
	var n normalizer
	return string(n.append(nil, []byte(s)))
}
