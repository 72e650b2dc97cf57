package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The fast paths (scanASCII, the Latin-1 table, the rewritten CPR tracker)
// must not change what is found. These tests compare them with the
// general path as it was before them: refAppend followed by scan, and
// refTracker.

// refWrite is textScanner.Write along the general path.
func (t *textScanner) refWrite(p []byte) {
	t.buf = t.norm.refAppend(t.buf[:0], p)
	t.scan(t.buf)
	t.res.TextBytes += int64(len(p))
}

// pieces are what the random texts are made of: ordinary and odd ASCII,
// Latin-1 letters with and without combining marks, digits of other
// scripts, invisible characters, invalid and truncated UTF-8, terms and
// CPR numbers in several shapes.
var pieces = []string{
	"a", "B", "z", "Q", " ", "  ", "\t", "\r\n", "\n", "\x00", "\x01", "\x7f", "\v", ".", "-", "/", ",", ":", "+",
	"0", "1", "2", "5", "9", "12", "85", "1234", "010285", "0102851234", "0707614285", "010285-1234",
	"01.02.85", "29.02.2000-4321", "311299 9999", "12345678901",
	"æ", "ø", "å", "Æ", "Ø", "Å", "é", "ü", "ß", "µ", "ÿ", "\u00a0", "\u00ad", "×", "¹", "½",
	"\u0301", "\u030a", "o\u0308", "ø\u0301", "\u00c5\u0301", "\x00\u0301", "ø\x00\u0301",
	"\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u3000", "\u2013", "\u2212", "\u2028",
	"０", "１", "８", "５", "－", "٠", "٣", "۴", "४", "໙", "𝟗", "ﬁ", "Ａ", "Ⅻ", "①", "İ", "ǅ",
	"\xff", "\xc3", "\xe2\x80", "\xf0\x9f", "\x80", "\xc3\x28", "\xed\xa0\x80",
	"helbred", "HELBRED", "sygdom", "sygdommen", "hiv", "arkivet", "sick leave", "sick\nleave",
	"fagforening", "cpr", "CPR-nr.", "cpr-nr", "personnummer", "personnr", " cpr: ",
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// chunkings returns ways to cut s: whole, 1-byte, 7-byte and random pieces.
func chunkings(r *rand.Rand, s string) map[string][]string {
	cut := func(size func() int) []string {
		var out []string
		for rest := s; len(rest) > 0; {
			n := min(size(), len(rest))
			out = append(out, rest[:n])
			rest = rest[n:]
		}
		return out
	}
	return map[string][]string{
		"whole":  {s},
		"1-byte": cut(func() int { return 1 }),
		"7-byte": cut(func() int { return 7 }),
		"random": cut(func() int { return 1 + r.IntN(40) }),
	}
}

// compareFastPath scans the chunks along both paths, with and without a
// term matcher, and reports any difference in the Result.
func compareFastPath(t *testing.T, m *matcher, chunks []string) {
	t.Helper()
	for _, mm := range []*matcher{m, nil} {
		var fast, gen Result
		tf, tg := newTextScanner(mm, &fast), newTextScanner(mm, &gen)
		for _, c := range chunks {
			tf.Write([]byte(c))
			tg.refWrite([]byte(c))
		}
		tf.end()
		tg.end()
		if diff := cmp.Diff(gen, fast); diff != "" {
			t.Fatalf("matcher %v, chunks %q: fast path differs (-general +fast):\n%s", mm != nil, chunks, diff)
		}
	}
}

func TestFastPathMatchesGeneral(t *testing.T) {
	c := newTest(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		s := randomText(r, 1+r.IntN(60))
		if i%10 == 0 {
			s = strings.Repeat(s, 8) // long enough for the ring and the group shift
		}
		for _, chunks := range chunkings(r, s) {
			compareFastPath(t, c.m, chunks)
		}
	}
}

// TestFastPathAdversarial covers the cases the fast paths were written
// around, each written whole, byte by byte, 7 bytes at a time and in
// random pieces.
func TestFastPathAdversarial(t *testing.T) {
	c := newTest(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range []string{
		"CPR 010285-1234 tak", "cpr-nr.: 0102851239", "cpr-nr.:" + strings.Repeat(" ", 40) + "0102851239",
		"01０2８5-1234", "0102\u200b85-12\u200d34", "٠١٠٢٨٥-١٢٣٤", "०१०२८५ १२३४", "01\u00ad02\u00ad85\u00ad1234",
		"ø\u0301 helbred", "Sygdom\u0301", "helbredø", "øhelbred", "helbred\u00a0x", "sick\u00a0leave", "hiv\u200b",
		"æøå ÆØÅ " + strings.Repeat("0", 25) + " 010285-1234", "010285-\r\n1234", "010285 - - - 1234", "010285    1234",
		"1 2 3 4 5 6 7 8 9 0 1 2", "010285/1234", "12345678901 010285-1234", strings.Repeat("1-", 30) + "010285-1234",
		"\xc3" + "010285-1234", "0102\xc385-1234", "0102\xe2\x80" + "85-1234", "ﬁle 010285–1234 ﬁ", "Ⅻ010285−1234",
		strings.Repeat("é", 300) + "010285-1234" + strings.Repeat("ø", 300),
	} {
		for _, chunks := range chunkings(r, s) {
			compareFastPath(t, c.m, chunks)
		}
	}
}

// TestLatin1Table checks every entry of the Latin-1 table against nonASCII,
// alone and in pairs, which is what appendLatin1 relies on.
func TestLatin1Table(t *testing.T) {
	var runes []rune
	for i, s := range latin1 {
		if s != "" {
			runes = append(runes, rune(i+0x80))
		}
	}
	if len(runes) < 60 {
		t.Fatalf("only %d runes in the Latin-1 table", len(runes))
	}
	for _, a := range runes {
		for _, b := range append([]rune{-1}, runes...) {
			seg := string(a)
			if b >= 0 {
				seg += string(b)
			}
			var n1 normalizer
			want := string(n1.nonASCII(nil, []byte(seg)))
			got, ok := appendLatin1(nil, []byte(seg))
			if !ok || string(got) != want || n1.lastSpace {
				t.Fatalf("%q: appendLatin1 = %q, %v; nonASCII = %q", seg, got, ok, want)
			}
		}
		// The wire pass skips these letters: to the CPR tracker, whose
		// digits and separators are ASCII, they must be "other".
		if out := latin1[a-0x80]; strings.IndexFunc(out, func(r rune) bool { return r < utf8.RuneSelf }) >= 0 {
			t.Errorf("%q normalises to %q, which holds ASCII", a, out)
		}
	}
}

// TestScanLatin1Word checks scan's shortcut for the word class of two-byte
// runes against decoding them.
func TestScanLatin1Word(t *testing.T) {
	for r := rune(0x80); r <= 0xff; r++ {
		var ws [2]bool
		for i, m := range []*matcher{nil, newTest(t).m} {
			ts := newTextScanner(m, &Result{})
			ts.scan([]byte(string(r)))
			ws[i] = ts.curWord
		}
		if want := isWordRune(r); ws[0] != want || ws[1] != want {
			t.Errorf("%q: scan says word %v, want %v", r, ws, want)
		}
	}
}

// TestTrackerMatchesReference feeds random normalised text to cprTracker
// and refTracker and compares every answer.
func TestTrackerMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("0123456789012345678901234567890123456789 -./ -./x\x80")
	for range 2000 {
		var nt cprTracker
		var rt refTracker
		n := r.IntN(400)
		for i := range n {
			b := alphabet[r.IntN(len(alphabet))]
			kw := r.IntN(4) == 0
			got, want := nt.feed(b, kw), rt.feed(b, kw)
			if got != want {
				t.Fatalf("byte %d (%q): cprTracker found %d, refTracker %d", i, b, got, want)
			}
			if nt.idle() != (!rt.inGroup && !rt.active) {
				t.Fatalf("byte %d: idle differs", i)
			}
		}
		if got, want := nt.flush(true), rt.flush(true); got != want {
			t.Fatalf("flush: cprTracker found %d, refTracker %d", got, want)
		}
	}
}

// FuzzFastPath compares the fast and the general path on any text cut
// anywhere.
func FuzzFastPath(f *testing.F) {
	f.Add("Hej 010285-1234 helbred æøå", []byte{3, 1, 7})
	f.Add("01０2８5\u200b-1234 ø\u0301 cpr-nr. 0102851239", []byte{1, 1, 1, 2})
	f.Add("\xc3\xe2\x80 sick\r\nleave ٠١٠٢٨٥-١٢٣٤", []byte{5})
	// A Latin-1 character that is not a letter before a term: the
	// second byte of "×" must keep its rune's class (a bug once).
	f.Add("×HELBRED ø1234,5 æ\x01b", []byte{})
	c := fuzzClassifier(f)
	f.Fuzz(func(t *testing.T, s string, cuts []byte) {
		var chunks []string
		for _, k := range cuts {
			n := int(k) % (len(s) + 1)
			chunks = append(chunks, s[:n])
			s = s[n:]
		}
		compareFastPath(t, c.m, append(chunks, s))
	})
}

// TestNextCPRStart checks the eight-byte loop of nextDigitPair, and
// nextCPRStart, against their definitions byte by byte.
func TestNextCPRStart(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const chars = "ABCxyz+=,:;01234567895-./ \t\r\n\x00\x7f"
	for range 50000 {
		p := make([]byte, r.IntN(48))
		for i := range p {
			switch k := r.IntN(10); {
			case k == 0:
				p[i] = byte(r.IntN(256))
			case k < 4:
				p[i] = byte(' ' + r.IntN(95)) // printable ASCII
			default:
				p[i] = chars[r.IntN(len(chars))]
			}
		}
		pair, start := len(p), len(p)
		for i := len(p) - 1; i >= 0; i-- {
			b := p[i]
			end := func(n int) bool {
				for k := i + 1; k < min(len(p), i+n); k++ {
					if runClass[p[k]] == runEnd {
						return true
					}
				}
				return false
			}
			if b >= utf8.RuneSelf || b >= '0' && b <= '9' && !end(4) {
				pair = i
			}
			if b >= utf8.RuneSelf || b >= '0' && b <= '9' && !end(10) {
				start = i
			}
		}
		if got := nextDigitPair(p); got != pair {
			t.Fatalf("nextDigitPair(%q) = %d, want %d", p, got, pair)
		}
		if got := nextCPRStart(p); got != start {
			t.Fatalf("nextCPRStart(%q) = %d, want %d", p, got, start)
		}
	}
}
