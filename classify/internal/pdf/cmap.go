package pdf

// ToUnicode CMaps (PDF §9.10.3): codespace ranges tell how many bytes a
// character code has, bfchar and bfrange entries what text it stands for.

import "unicode/utf16"

// cmap is a parsed ToUnicode map.
type cmap struct {
	uni   map[uint32]string
	wide  []bfRange   // bfranges too long to expand into uni
	space []codeRange // codespace ranges; empty: the font's default widths
}

// bfRange maps lo…hi to dst, dst's last unit counting up. Tesseract's
// invisible OCR font maps all 65536 codes with one such range.
type bfRange struct {
	lo, hi uint32
	dst    []byte
}

// maxExpand is the longest bfrange expanded into the code map.
const maxExpand = 256

// lookup returns the text of code c.
func (m *cmap) lookup(c uint32) (string, bool) {
	if t, ok := m.uni[c]; ok {
		return t, true
	}
	for _, r := range m.wide {
		if c >= r.lo && c <= r.hi {
			return utf16BE(countUp(r.dst, c-r.lo)), true
		}
	}
	return "", false
}

// codeRange is one codespace range: codes of n bytes from lo to hi.
type codeRange struct {
	n      int
	lo, hi uint32
}

const maxCMapEntries = 1 << 20 // bfchar and bfrange codes over a whole file

// parseCMap reads a ToUnicode CMap stream. work counts entries over the
// whole document against maxCMapEntries.
func parseCMap(b []byte, work *int) *cmap {
	m := &cmap{uni: map[uint32]string{}}
	p := parser{b: b}
	var stack []any
	for {
		v, ok := p.value(0)
		if !ok {
			return m
		}
		o, isOp := v.(op)
		if !isOp {
			if len(stack) < 3*10000 {
				stack = append(stack, v)
			}
			continue
		}
		switch o {
		case "endcodespacerange":
			m.codespace(stack)
		case "endbfchar":
			m.bfchar(stack, work)
		case "endbfrange":
			m.bfrange(stack, work)
		}
		stack = stack[:0]
	}
}

func code(s str) uint32 {
	var c uint32
	for _, b := range s {
		c = c<<8 | uint32(b)
	}
	return c
}

func (m *cmap) codespace(st []any) {
	for i := 0; i+1 < len(st); i += 2 {
		lo, ok1 := st[i].(str)
		hi, ok2 := st[i+1].(str)
		if ok1 && ok2 && len(lo) == len(hi) && len(lo) >= 1 && len(lo) <= 4 {
			m.space = append(m.space, codeRange{len(lo), code(lo), code(hi)})
		}
	}
}

func (m *cmap) bfchar(st []any, work *int) {
	for i := 0; i+1 < len(st) && *work < maxCMapEntries; i += 2 {
		src, ok1 := st[i].(str)
		dst, ok2 := st[i+1].(str)
		if ok1 && ok2 && len(src) >= 1 && len(src) <= 4 {
			*work++
			m.uni[code(src)] = utf16BE(dst)
		}
	}
}

// bfrange handles both forms: "<lo> <hi> <dst>", where the last byte of
// dst counts up, and "<lo> <hi> [<d1> <d2> …]".
func (m *cmap) bfrange(st []any, work *int) {
	for i := 0; i+2 < len(st); i += 3 {
		lo, ok1 := st[i].(str)
		hi, ok2 := st[i+1].(str)
		if !ok1 || !ok2 || len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
			continue
		}
		a, z := code(lo), code(hi)
		switch dst := st[i+2].(type) {
		case str:
			m.rangeOf(a, z, dst, work)
		case []any:
			for k, d := range dst {
				s, ok := d.(str)
				if !ok || a+uint32(k) > z || *work >= maxCMapEntries {
					break
				}
				*work++
				m.uni[a+uint32(k)] = utf16BE(s)
			}
		}
	}
}

func (m *cmap) rangeOf(a, z uint32, dst str, work *int) {
	if len(dst) == 0 || z < a || *work >= maxCMapEntries {
		return
	}
	if z-a >= maxExpand {
		*work += maxExpand
		m.wide = append(m.wide, bfRange{a, z, dst})
		return
	}
	for c := a; c <= z && *work < maxCMapEntries; c++ {
		*work++
		m.uni[c] = utf16BE(countUp(dst, c-a))
	}
}

// countUp adds off to the last UTF-16 unit (two bytes) of dst, so a range
// may cross a 256 boundary as producers expect.
func countUp(dst []byte, off uint32) []byte {
	d := append([]byte(nil), dst...)
	if len(d) >= 2 {
		u := uint32(d[len(d)-2])<<8 | uint32(d[len(d)-1]) + off
		d[len(d)-2], d[len(d)-1] = byte(u>>8), byte(u)
	} else {
		d[0] += byte(off)
	}
	return d
}

// utf16BE decodes a CMap destination: UTF-16BE, no byte order mark.
func utf16BE(b []byte) string {
	if len(b) == 1 {
		return string(rune(b[0]))
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// width returns the length of the code starting s under the codespace
// ranges, or def when none matches.
func (m *cmap) width(s []byte, def int) int {
	for _, r := range m.space {
		if r.n <= len(s) {
			if c := code(s[:r.n]); c >= r.lo && c <= r.hi {
				return r.n
			}
		}
	}
	return def
}
