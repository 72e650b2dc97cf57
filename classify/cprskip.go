package classify

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The wire pass over a base64 body meets an ASCII digit every six bytes or
// so; stopping at each to ask shortDigitRun cost a third of the time of a
// large attachment. nextCPRStart stops only where a CPR number can begin.
//
// A CPR number's ten digits, with whatever stands between them (digits,
// separators, dropped control characters, non-ASCII bytes that may
// normalise to any of those), form a run of at least ten bytes none of
// which is a runEnd byte: no rune normalises to more digits than it has
// bytes. So an idle tracker can skip an ASCII digit when a runEnd byte
// follows it within the next nine bytes of p: the run from that digit
// holds fewer than ten digits and ends inside p, so the tracker would be
// idle after it having found nothing, as if it had never seen it. (A
// non-ASCII byte in such a run is still stopped at: the general path reads
// it with the tracker idle, which ends in the same state, since a run of
// fewer than ten digits completes no candidate.) An earlier digit of the
// same run is never skipped while a later one is not: the later one's nine
// bytes lie within the earlier one's run.

// nextCPRStart returns the index of the first byte of p that is non-ASCII,
// or an ASCII digit not followed within nine bytes by a runEnd byte (the
// end of p counts as no runEnd byte); len(p) if none.
func nextCPRStart(p []byte) int {
	i := 0
	for {
		i += nextDigitPair(p[i:])
		if i == len(p) || p[i] >= utf8.RuneSelf || !endWithinNine(p[i:]) {
			return i
		}
		i++
	}
}

// endWithinNine reports whether one of p[1:10] is a runEnd byte.
func endWithinNine(p []byte) bool {
	for _, b := range p[1:min(len(p), 10)] {
		if runClass[b] == runEnd {
			return true
		}
	}
	return false
}

// nextDigitPair returns the index of the first byte of p that is
// non-ASCII, or an ASCII digit followed by a byte other than runEnd or by
// the end of p; len(p) if none. It looks at eight bytes at a time.
func nextDigitPair(p []byte) int {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	// ge(v, k) has the high bit of each byte set where the byte's low
	// seven bits are >= k: adding 0x80-k carries into the high bit, and
	// no further.
	ge := func(v uint64, k uint64) uint64 { return v + (0x80-k)*ones }
	i := 0
	for ; i+9 <= len(p); i += 8 {
		x := binary.LittleEndian.Uint64(p[i:])
		y := binary.LittleEndian.Uint64(p[i+1:]) // the byte after each of x's
		lx, ly := x&^high, y&^high
		digit := ge(lx, '0') &^ ge(lx, '9'+1) &^ x
		// Not runEnd: below '!' (white space, control characters), '-'
		// to '9' ('-', '.', '/' and the digits), DEL, non-ASCII.
		open := ^ge(ly, ' '+1) | ge(ly, '-')&^ge(ly, '9'+1) | ge(ly, 0x7f) | y
		if m := (x | digit&open) & high; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(p); i++ {
		b := p[i]
		if b >= utf8.RuneSelf || digitByte[b] && (i+1 == len(p) || runClass[p[i+1]] != runEnd) {
			return i
		}
	}
	return i
}
