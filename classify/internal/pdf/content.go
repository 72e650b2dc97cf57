package pdf

// Content streams (PDF §8.2, §9.4): the text operators, the font each
// string is shown in, Form XObjects (PDF §8.10) and inline images, whose
// binary data must not be read as operators.

import (
	"bytes"
	"math"
	"unicode/utf8"
)

const (
	maxOperands  = 1024 // operand stack depth in a content stream
	maxSaveDepth = 256  // q nesting
	maxFormDepth = 16   // forms inside forms
)

// page is the state of one content stream being run.
type page struct {
	x     *extractor
	res   dict
	font  *font
	ts    textState
	saved []saved
	line  []byte
}

// saved is what q saves and Q restores (PDF §8.4.2): of the graphics
// state, what text extraction uses.
type saved struct {
	font *font
	ctm  matrix
}

// runContent runs the text operators of content b with resources res.
func (x *extractor) runContent(b []byte, res dict, depth int) error {
	pg := &page{x: x, res: res, font: unknownFont, ts: newTextState()}
	p := parser{b: b}
	var stack []any
	for {
		v, ok := p.value(0)
		if !ok {
			break
		}
		o, isOp := v.(op)
		if !isOp {
			if len(stack) < maxOperands {
				stack = append(stack, v)
			}
			continue
		}
		if o == "ID" {
			x.pageImage = true
			skipInlineImage(&p)
		} else if err := pg.operator(o, stack, depth); err != nil {
			return err
		}
		stack = stack[:0]
		if len(pg.line) > 4096 {
			if err := x.emit(pg.line); err != nil {
				return err
			}
			pg.line = pg.line[:0]
		}
	}
	return x.emit(append(pg.line, '\n'))
}

// operator runs one operator with its operands.
func (pg *page) operator(o op, st []any, depth int) error {
	var last any
	if len(st) > 0 {
		last = st[len(st)-1]
	}
	num := func(i int) float64 { // the i-th operand from the end
		if len(st) < i {
			return 0
		}
		f, _ := st[len(st)-i].(float64)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0
		}
		return f
	}
	ts := &pg.ts
	switch o {
	case "q":
		if len(pg.saved) < maxSaveDepth {
			pg.saved = append(pg.saved, saved{pg.font, ts.ctm})
		}
	case "Q":
		if n := len(pg.saved); n > 0 {
			pg.font, ts.ctm = pg.saved[n-1].font, pg.saved[n-1].ctm
			pg.saved = pg.saved[:n-1]
		}
	case "cm":
		if m, ok := matrixOf(st); ok {
			ts.ctm = m.mul(ts.ctm)
		}
	case "BT":
		ts.setMatrix(identity)
	case "Tf":
		if len(st) >= 2 {
			pg.setFont(st[len(st)-2])
			ts.size = num(1)
		}
	case "Tc":
		ts.charSp = num(1)
	case "Tw":
		ts.wordSp = num(1)
	case "Tz":
		ts.hscale = num(1) / 100
	case "TL":
		ts.leading = num(1)
	case "Td":
		ts.lineMove(num(2), num(1))
	case "TD":
		ts.leading = -num(1)
		ts.lineMove(num(2), num(1))
	case "T*":
		ts.lineMove(0, -ts.leading)
	case "Tm":
		if m, ok := matrixOf(st); ok {
			ts.setMatrix(m)
		}
	case "Tj", "'", `"`:
		if o == `"` {
			ts.wordSp, ts.charSp = num(3), num(2)
		}
		if o != "Tj" {
			ts.lineMove(0, -ts.leading)
		}
		if s, ok := last.(str); ok {
			pg.show(s)
		}
	case "TJ":
		pg.tj(last)
	case "BDC", "DP":
		pg.actualText(last)
	case "Do":
		if n, ok := last.(name); ok {
			ts.moved = true
			return pg.do(n, depth)
		}
	}
	return nil
}

func (pg *page) setFont(v any) {
	n, ok := v.(name)
	if !ok {
		return
	}
	fonts := pg.x.dictOf(pg.res["Font"])
	fv, ok := fonts[n]
	if !ok {
		fv, ok = pg.x.fallbackFont(n)
	}
	if !ok {
		pg.font = unknownFont
		return
	}
	pg.font = pg.x.fontOf(fv)
}

// show appends one shown string in the current font, after what
// separates it from the previous one (layout.go).
func (pg *page) show(s str) {
	pg.x.sawText, pg.x.pageText = true, true
	em, n, spaces, known := pg.font.measure(s)
	if sep := pg.ts.separator(known); sep != 0 {
		pg.line = append(pg.line, sep)
	}
	var bad int
	pg.line, bad = pg.font.decode(pg.line, s)
	pg.x.unmapped += bad
	pg.ts.advance(em, n, spaces)
	pg.ts.ended(known)
}

// tj appends a TJ array. A kerning adjustment is in thousandths of an em;
// where widths are known the layout decides, otherwise only a large
// negative one (text moved right) is a word gap, so "[(0102) -50
// (85-1234)]" stays one number.
func (pg *page) tj(v any) {
	arr, _ := v.([]any)
	pg.x.sawText, pg.x.pageText = true, true
	for _, e := range arr {
		switch e := e.(type) {
		case str:
			pg.show(e)
		case float64:
			if math.IsNaN(e) || math.IsInf(e, 0) {
				continue
			}
			pg.ts.kern(e)
			if !pg.ts.endKnown && e < -200 {
				pg.line = append(pg.line, ' ')
			}
		}
	}
}

// actualText emits the /ActualText of a marked-content sequence (PDF
// §14.9.4): text a producer says the glyphs stand for.
func (pg *page) actualText(v any) {
	props, ok := v.(dict)
	if !ok {
		if n, isName := v.(name); isName {
			props = pg.x.dictOf(pg.x.dictOf(pg.res["Properties"])[n])
		}
	}
	for _, k := range []name{"ActualText", "Alt", "E"} {
		if s, ok := pg.x.resolve(props[k]).(str); ok {
			pg.line = append(pg.line, '\n')
			pg.line = textString(pg.line, s)
			pg.line = append(pg.line, '\n')
		}
	}
}

// do runs a Form XObject, once per document: text shown twice adds
// nothing, and running each form once bounds the work on forms that
// use each other in a cycle or a fan.
func (pg *page) do(n name, depth int) error {
	xo := pg.x.dictOf(pg.res["XObject"])
	s := pg.x.streamOf(xo[n])
	if s != nil && s.dict["Subtype"] == name("Image") {
		pg.x.pageImage = true
	}
	if s == nil || s.dict["Subtype"] != name("Form") || depth >= maxFormDepth {
		return nil
	}
	if err := pg.x.emit(pg.line); err != nil {
		return err
	}
	pg.line = pg.line[:0]
	res := pg.x.dictOf(s.dict["Resources"])
	if res == nil {
		res = pg.res // PDF §7.8.3: a form without resources uses its page's
	}
	return pg.x.runForm(s, res, depth+1)
}

// runForm runs a form stream (Form XObject or appearance stream) once.
func (x *extractor) runForm(s *stream, res dict, depth int) error {
	if x.visited[s] {
		return nil
	}
	x.visited[s] = true
	dec, err := x.decode(s)
	if err != nil {
		return x.streamError(err)
	}
	return x.runContent(dec, res, depth)
}

// skipInlineImage moves p past the data of an inline image (PDF §8.9.7):
// after "ID" and one white-space byte, up to white space, "EI" and a
// delimiter.
func skipInlineImage(p *parser) {
	p.i++
	for p.i < len(p.b) {
		j := bytes.Index(p.b[p.i:], []byte("EI"))
		if j < 0 {
			p.i = len(p.b)
			return
		}
		at := p.i + j
		p.i = at + 2
		before := at == 0 || isSpace(p.b[at-1])
		after := p.i >= len(p.b) || isSpace(p.b[p.i]) || isDelim(p.b[p.i])
		if before && after {
			return
		}
	}
}

// textString appends a PDF text string (PDF §7.9.2.2): UTF-16BE with a
// byte order mark, UTF-8 with one (PDF 2.0), otherwise PDFDocEncoding.
func textString(dst []byte, s []byte) []byte {
	switch {
	case len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff:
		return append(dst, utf16BE(s[2:])...)
	case len(s) >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf:
		return append(dst, bytes.ToValidUTF8(s[3:], []byte("\uFFFD"))...)
	}
	for _, c := range s {
		if r := pdfDocEncoding[c]; r != 0 {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}
