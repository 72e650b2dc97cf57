package classify

import (
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
	if n.ncarry > 0 {
		// Complete the rune left over from the previous chunk.
		for len(p) > 0 && n.ncarry < utf8.UTFMax && !utf8.FullRune(n.carry[:n.ncarry]) {
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
