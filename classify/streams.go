package classify

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The term automaton is one dependent table load per byte: each step needs
// the state the step before produced, so the loop runs at the latency of
// a load, whatever else the processor could do meanwhile. scanLetters
// therefore works in three passes over a block of text. It normalises the
// block into a buffer first (no dependency from byte to byte but the white
// space flag); then it runs the automaton over four quarters of the
// buffer at once, four independent chains of loads, noting where a state
// with output is reached; then it replays those matches in order, with the
// position, the word ring and the pending matches as the byte-at-a-time
// loop had them, so match handling (matched, endPending, hit) sees exactly
// what it saw before.
//
// A quarter's automaton starts at the root the pattern depth before its
// first byte: the state of an Aho-Corasick automaton after some text is
// that of the longest suffix of the text that is a prefix of a pattern,
// which is no longer than the longest pattern, so those bytes give the
// same state as all the text before them. (Matches ending inside that
// warm-up belong to the quarter before and are not noted twice.)

// fastBuf is scanLetters' working memory.
type fastBuf struct {
	nb    []byte    // the normalised block
	ev    [4][]step // per quarter: where a state with output was reached
	depth int       // longest pattern, in bytes; 0 until known
}

// step is a state with output reached at nb[at].
type step struct {
	at    int32
	state uint32
}

// fastBlock bounds the block scanLetters takes at once, and so the memory
// it keeps per scanner; below minBlock bytes it goes a byte at a time
// (scanLettersOne).
const (
	fastBlock = 8 << 10
	minBlock  = 512
)

// scanLetters is scanASCII's inner loop, for the common case while the CPR
// tracker is idle: letters, spaces, punctuation, Latin-1 letters alone in
// their segment (see latin1Fast), and runs of digits that cannot hold a CPR
// number (see shortDigitRun). It stops at a byte that needs the general way
// (or after fastBlock bytes) and returns the number of bytes it took. Its
// three passes are described above; a short p goes the one-pass way.
func (t *textScanner) scanLetters(p []byte) int {
	if len(p) < minBlock {
		return t.scanLettersOne(p)
	}
	f := &t.fast
	k := t.normLetters(p[:min(len(p), fastBlock)])
	n := len(f.nb)
	if n == 0 {
		return k
	}
	pos0 := t.pos
	final := t.runQuarters()
	t.replay(pos0)
	t.pos, t.state = pos0+int64(n), final
	return k
}

// normLetters normalises the bytes at the start of p that scanLetters
// takes into f.nb, as norm.appendASCII and the Latin-1 table
// would, and returns how many it took. The common byte (a letter, a space,
// punctuation) takes no branch: it is written, and kept unless it is a
// space after a space.
func (t *textScanner) normLetters(p []byte) int {
	f := &t.fast
	if cap(f.nb) < len(p) {
		f.nb = make([]byte, 0, len(p))
	}
	nb := f.nb[:len(p)]
	lastSpace := t.norm.lastSpace
	quiet := 0 // p[:quiet] is a short digit run, not fed to the tracker
	n, i, retry := 0, 0, 0
loop:
	for ; i < len(p); i++ {
		for i >= retry && i+8 <= len(p) {
			// (n <= i, so nb has room for eight bytes at n.)
			y, k := plain8(binary.LittleEndian.Uint64(p[i:]), lastSpace)
			if k > 0 {
				binary.LittleEndian.PutUint64(nb[n:], y)
				n, i = n+k, i+k
				lastSpace = byte(y>>(8*(k-1))) == ' '
			}
			if k < 8 {
				// Digits and such come in runs: a few bytes the
				// byte way before the next try.
				retry = i + 4
				break
			}
		}
		if i == len(p) {
			break
		}
		b := p[i]
		c := plainMap[b]
		if c == 0 {
			switch {
			case digitByte[b]:
				if i >= quiet {
					end, ok := shortDigitRun(p[i:])
					if !ok {
						break loop
					}
					quiet = i + end
				}
				c = b
			case b < utf8.RuneSelf:
				continue // dropped by the normaliser
			default:
				// A Latin-1 letter alone in its segment.
				if b != 0xc2 && b != 0xc3 || i+2 >= len(p) || plainMap[p[i+2]] == 0 && !digitByte[p[i+2]] {
					break loop
				}
				l := latin1Fast[(b&1)<<6|p[i+1]&0x3f]
				if l.word == 0 || p[i+1]&0xc0 != 0x80 || n+2 > len(nb) {
					break loop
				}
				i++
				nb[n], nb[n+1] = l.lead, l.cont
				n += 2
				lastSpace = false
				continue
			}
		}
		space := c == ' '
		nb[n] = c
		if !(space && lastSpace) {
			n++
		}
		lastSpace = space
	}
	f.nb = nb[:n]
	t.norm.lastSpace = lastSpace
	if n > 0 {
		t.curWord = wordAt(f.nb, n-1)
	}
	return i
}

// plain8 normalises eight bytes at once and returns how many of them, k,
// from the first, are plain: ASCII letters, punctuation, and spaces no two
// of which are adjacent (nor the first after a space, lastSpace). The
// first k bytes of y are their normalised form; the byte loop takes the
// rest.
func plain8(x uint64, lastSpace bool) (y uint64, k int) {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	// ge(k): the high bit of each byte set where the byte is >= k. Exact
	// for every byte below the first non-ASCII one: a carry only goes
	// up, to later bytes.
	ge := func(k uint64) uint64 { return x + (0x80-k)*ones }
	space := ^ge(' '+1) & high
	prev := space << 8
	if lastSpace {
		prev |= 0x80
	}
	// Non-ASCII, control character, DEL, digit, or a space after a space.
	bad := (x|^ge(' ')|ge(0x7f)|ge('0')&^ge('9'+1))&high | space&prev
	upper := ge('A') &^ ge('Z'+1) & high
	return x | upper>>2, bits.TrailingZeros64(bad) / 8
}

// wordAt says whether nb[j] belongs to a word, as textScanner.word does:
// an ASCII byte by its own class, either byte of a Latin-1 letter (a
// two-byte rune from latin1Fast) by its rune's.
func wordAt(nb []byte, j int) bool {
	switch b := nb[j]; {
	case b < utf8.RuneSelf:
		return asciiWord[b]
	case b >= 0xc0: // lead byte
		return latin1Word[(b&1)<<6|nb[j+1]&0x3f]
	default: // continuation byte
		return latin1Word[(nb[j-1]&1)<<6|b&0x3f]
	}
}

// runQuarters runs the automaton over f.nb from t.state, noting the steps
// that reach a state with output in f.ev, and returns the state after it.
func (t *textScanner) runQuarters() uint32 {
	f := &t.fast
	delta, firstOut := t.m.delta, t.m.firstOut
	if f.depth == 0 {
		for _, p := range t.m.pats {
			f.depth = max(f.depth, len(p.text))
		}
	}
	nb := f.nb
	for i := range f.ev {
		f.ev[i] = f.ev[i][:0]
	}
	q := len(nb) / 4
	if q < f.depth+16 {
		return t.runHalves()
	}
	b0, b1, b2, b3 := nb[:q], nb[q:2*q], nb[2*q:3*q], nb[3*q:4*q]
	b1, b2, b3 = b1[:len(b0)], b2[:len(b0)], b3[:len(b0)]
	s0 := t.state
	s1, s2, s3 := warm(delta, nb[q-f.depth:q], nb[2*q-f.depth:2*q], nb[3*q-f.depth:3*q])
	for j := range b0 {
		s0 = delta[s0|uint32(b0[j])]
		s1 = delta[s1|uint32(b1[j])]
		s2 = delta[s2|uint32(b2[j])]
		s3 = delta[s3|uint32(b3[j])]
		if max(s0, s1, s2, s3) >= firstOut {
			f.note(firstOut, j, q, s0, s1, s2, s3)
		}
	}
	return runOne(delta, firstOut, s3, nb[4*q:], 4*q, &f.ev[3])
}

// runHalves is runQuarters with two streams, for a block too short for
// four.
func (t *textScanner) runHalves() uint32 {
	f := &t.fast
	delta, firstOut := t.m.delta, t.m.firstOut
	nb := f.nb
	h := len(nb) / 2
	if h < f.depth+16 {
		return runOne(delta, firstOut, t.state, nb, 0, &f.ev[0])
	}
	b0, b1 := nb[:h], nb[h:2*h]
	b1 = b1[:len(b0)]
	s0, s1 := t.state, uint32(0)
	for _, c := range nb[h-f.depth : h] {
		s1 = delta[s1|uint32(c)]
	}
	for j := range b0 {
		s0 = delta[s0|uint32(b0[j])]
		s1 = delta[s1|uint32(b1[j])]
		if max(s0, s1) >= firstOut {
			f.note(firstOut, j, h, s0, s1)
		}
	}
	return runOne(delta, firstOut, s1, nb[2*h:], 2*h, &f.ev[1])
}

// note records the quarters' states with output after step j.
func (f *fastBuf) note(firstOut uint32, j, q int, s ...uint32) {
	for k, st := range s {
		if st >= firstOut {
			f.ev[k] = append(f.ev[k], step{int32(k*q + j), st})
		}
	}
}

// runOne runs the automaton over nb from state s, nb[0] being f.nb[off].
func runOne(delta []uint32, firstOut, s uint32, nb []byte, off int, ev *[]step) uint32 {
	for j, c := range nb {
		s = delta[s|uint32(c)]
		if s >= firstOut {
			*ev = append(*ev, step{int32(off + j), s})
		}
	}
	return s
}

// warm returns the states after each of three runs of equal length from
// the root, stepped together.
func warm(delta []uint32, a, b, c []byte) (sa, sb, sc uint32) {
	b, c = b[:len(a)], c[:len(a)]
	for j := range a {
		sa = delta[sa|uint32(a[j])]
		sb = delta[sb|uint32(b[j])]
		sc = delta[sc|uint32(c[j])]
	}
	return sa, sb, sc
}

// replay hands the noted matches to matched in order, as the byte-at-a-
// time loop did: t.pos and t.state at the match, pending matches settled
// by the byte after them, and the word ring right where matched reads it:
// the byte before each pattern that ends there and needs a boundary
// before it. The ring is otherwise left as it was until the end of the
// block, where its last depth+1 bytes are written: nothing reads further
// back (a match reads at most its length back). pos0 is t.pos before
// f.nb.
func (t *textScanner) replay(pos0 int64) {
	f := &t.fast
	nb := f.nb
	if len(t.pending) > 0 {
		t.endPending(wordAt(nb, 0))
	}
	for _, ev := range f.ev {
		for _, e := range ev {
			at := pos0 + int64(e.at) + 1
			outs := t.m.out[e.state>>8]
			for _, pi := range outs {
				p := &t.m.pats[pi]
				if b := at - int64(len(p.text)); p.startBound && b > pos0 {
					t.word[b&ringMask] = wordAt(nb, int(b-pos0-1))
				}
			}
			t.pos, t.state = at, e.state
			t.matched(outs)
			if len(t.pending) > 0 && int(e.at)+1 < len(nb) {
				t.endPending(wordAt(nb, int(e.at)+1))
			}
		}
	}
	end := pos0 + int64(len(nb))
	for p := max(pos0, end-int64(f.depth)-1) + 1; p <= end; p++ {
		t.word[p&ringMask] = wordAt(nb, int(p-pos0-1))
	}
}
