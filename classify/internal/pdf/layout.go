package pdf

// Layout, as far as a filter needs it: where a shown string starts
// relative to where the previous one ended decides whether a line break, a
// word space or nothing separates them (PDF §9.4.2, §9.4.4). Producers
// that place every glyph or every word on its own (Chrome and Google Docs
// through Skia, Ghostscript, OCR layers) would otherwise come out as
// letters on separate lines, or as words run together, and hide numbers
// and words from the classifier.

import "math"

// matrix is a PDF transformation matrix [a b c d e f] (PDF §8.3.3).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// matrixOf reads six numbers from the top of the operand stack.
func matrixOf(st []any) (matrix, bool) {
	if len(st) < 6 {
		return matrix{}, false
	}
	var m matrix
	for i, v := range st[len(st)-6:] {
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return matrix{}, false
		}
		m[i] = f
	}
	return m, true
}

// textState is the text part of the graphics state (PDF §9.3).
type textState struct {
	tm, tlm  matrix // text matrix and text line matrix
	ctm      matrix
	size     float64 // Tf
	charSp   float64 // Tc
	wordSp   float64 // Tw
	hscale   float64 // Tz / 100
	leading  float64 // TL
	end      [2]float64
	endKnown bool // end holds where the last string ended, in a font with widths
	moved    bool // a positioning operator ran since the last string
}

func newTextState() textState {
	return textState{tm: identity, tlm: identity, ctm: identity, hscale: 1}
}

// lineMove is Td: the next line starts at (tx, ty) from the current one.
func (ts *textState) lineMove(tx, ty float64) {
	ts.tlm = translate(tx, ty).mul(ts.tlm)
	ts.tm = ts.tlm
	ts.moved = true
}

func (ts *textState) setMatrix(m matrix) {
	ts.tm, ts.tlm = m, m
	ts.moved = true
}

// origin is where text drawn now starts, in device space.
func (ts *textState) origin() [2]float64 {
	m := ts.tm.mul(ts.ctm)
	return [2]float64{m[4], m[5]}
}

// separator says what stands between the last string and one starting
// now in a font whose widths are known (or not).
func (ts *textState) separator(known bool) byte {
	if !ts.endKnown || !known {
		if ts.moved {
			return '\n'
		}
		return 0
	}
	m := ts.tm.mul(ts.ctm)
	h := ts.size * math.Hypot(m[2], m[3]) // font height in device space
	if h <= 0 || math.IsNaN(h) {
		h = 1
	}
	dirLen := math.Hypot(m[0], m[1])
	if dirLen == 0 {
		return '\n'
	}
	ux, uy := m[0]/dirLen, m[1]/dirLen
	start := ts.origin()
	dx, dy := start[0]-ts.end[0], start[1]-ts.end[1]
	along := dx*ux + dy*uy
	across := -dx*uy + dy*ux
	switch {
	case math.Abs(across) > 0.5*h:
		return '\n'
	case along > 0.15*h, along < -0.5*h:
		return ' '
	}
	return 0
}

// advance moves the text matrix past a string of n codes, spaces of them
// single-byte code 32, em wide in total (PDF §9.4.4).
func (ts *textState) advance(em float64, n, spaces int) {
	tx := (em*ts.size + float64(n)*ts.charSp + float64(spaces)*ts.wordSp) * ts.hscale
	ts.tm = translate(tx, 0).mul(ts.tm)
}

// kern applies a TJ number (thousandths of an em, PDF §9.4.3).
func (ts *textState) kern(v float64) {
	ts.tm = translate(-v/1000*ts.size*ts.hscale, 0).mul(ts.tm)
}

// ended records where a string ended.
func (ts *textState) ended(known bool) {
	ts.end, ts.endKnown, ts.moved = ts.origin(), known, false
}
