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
		if i == len(p) || p[i] >= utf8.RuneSelf {
			return i
		}
		j := runEnd10(p[i:])
		if j < 0 {
			return i
		}
		// Every digit before the runEnd byte at i+j has it within nine
		// bytes too: the run is skipped whole, up to a non-ASCII byte
		// in it, if any.
		i += nextHigh(p[i+1:i+j]) + 1
	}
}

// runEnd10 returns the index of the first runEnd byte in p[1:10], or -1.
func runEnd10(p []byte) int {
	for k, b := range p[1:min(len(p), 10)] {
		if runClass[b] == runEnd {
			return k + 1
		}
	}
	return -1
}

// nextHigh returns the index of the first non-ASCII byte in p, len(p) if
// none.
func nextHigh(p []byte) int {
	for k, b := range p {
		if b >= utf8.RuneSelf {
			return k
		}
	}
	return len(p)
}

// endWithin reports whether one of p[1:n] is a runEnd byte.
func endWithin(p []byte, n int) bool {
	for _, b := range p[1:min(len(p), n)] {
		if runClass[b] == runEnd {
			return true
		}
	}
	return false
}

// nextDigitPair returns the index of the first byte of p that is
// non-ASCII, or an ASCII digit followed by three bytes other than runEnd
// (fewer at the end of p); len(p) if none. It looks at eight bytes at a
// time. (In base64 a digit comes every six bytes or so, one followed by
// three such bytes every 800.)
func nextDigitPair(p []byte) int {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	// ge(v, k) has the high bit of each byte set where the byte's low
	// seven bits are >= k: adding 0x80-k carries into the high bit, and
	// no further.
	ge := func(v uint64, k uint64) uint64 { return v + (0x80-k)*ones }
	// open has the high bit of each byte of v set that is not runEnd:
	// below '!' (white space, control characters), '-' to '9' ('-', '.',
	// '/' and the digits), DEL, non-ASCII.
	open := func(v uint64) uint64 {
		l := v &^ high
		return ^ge(l, ' '+1) | ge(l, '-')&^ge(l, '9'+1) | ge(l, 0x7f) | v
	}
	i := 0
	for ; i+11 <= len(p); i += 8 {
		x := binary.LittleEndian.Uint64(p[i:])
		lx := x &^ high
		digit := ge(lx, '0') &^ ge(lx, '9'+1) &^ x
		if (digit|x)&high == 0 {
			continue // no digit, no non-ASCII byte: most words of prose
		}
		next := open(binary.LittleEndian.Uint64(p[i+1:])) &
			open(binary.LittleEndian.Uint64(p[i+2:])) &
			open(binary.LittleEndian.Uint64(p[i+3:]))
		if m := (x | digit&next) & high; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(p); i++ {
		if b := p[i]; b >= utf8.RuneSelf || digitByte[b] && !endWithin(p[i:], 4) {
			return i
		}
	}
	return i
}
