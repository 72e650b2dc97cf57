package pdf

// The lexer and object parser (PDF §7.2, §7.3). One parser reads indirect
// objects, object streams, content streams and CMaps: in content streams
// and CMaps a bare word is an operator (an op value) instead of an error.

import (
	"bytes"
	"strconv"
)

// PDF values as the parser returns them: nil (null), bool, float64,
// str, name, op, []any (array), dict, ref, and *stream (built by the
// object index, never by the parser itself).
type (
	str  []byte // string bytes as written, escapes undone
	name string // without the slash, #xx escapes undone
	op   string // a keyword: an operator, "obj", "R" handled inside
	dict map[name]any
	ref  struct{ num, gen int }
)

const (
	maxNesting = 64      // arrays and dictionaries inside each other
	maxItems   = 1 << 18 // entries of one array or dictionary
)

// parser reads values from b starting at i.
type parser struct {
	b []byte
	i int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// skipSpace skips white space and comments.
func (p *parser) skipSpace() {
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case isSpace(c):
			p.i++
		case c == '%':
			for p.i < len(p.b) && p.b[p.i] != '\n' && p.b[p.i] != '\r' {
				p.i++
			}
		default:
			return
		}
	}
}

// value reads the next value; ok is false at the end of input. A closing
// delimiter with nothing open is returned as op("]") or op(">>") so the
// caller can end its container.
func (p *parser) value(depth int) (v any, ok bool) {
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, false
	}
	c := p.b[p.i]
	switch {
	case c == '(':
		p.i++
		return str(p.literal()), true
	case c == '<' && p.i+1 < len(p.b) && p.b[p.i+1] == '<':
		p.i += 2
		return p.dict(depth + 1), true
	case c == '<':
		end := bytes.IndexByte(p.b[p.i:], '>')
		if end < 0 {
			end = len(p.b) - p.i
		}
		s := hexDecode(p.b[p.i+1 : p.i+end])
		p.i = min(len(p.b), p.i+end+1)
		return str(s), true
	case c == '[':
		p.i++
		return p.array(depth + 1), true
	case c == ']':
		p.i++
		return op("]"), true
	case c == '>' && p.i+1 < len(p.b) && p.b[p.i+1] == '>':
		p.i += 2
		return op(">>"), true
	case c == '/':
		p.i++
		return nameDecode(p.word()), true
	case c == ')' || c == '>' || c == '{' || c == '}':
		p.i++
		return op(c), true
	}
	w := p.word()
	if len(w) == 0 {
		p.i++
		return op(""), true
	}
	return p.keyword(w), true
}

// keyword turns a bare word into a number, bool, null, reference or op.
func (p *parser) keyword(w []byte) any {
	switch string(w) {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if c := w[0]; (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' {
		f, err := strconv.ParseFloat(string(w), 64)
		if err != nil {
			return op(w)
		}
		if r, ok := p.reference(w); ok {
			return r
		}
		return f
	}
	return op(w)
}

// reference recognises "N G R" after the integer N was read.
func (p *parser) reference(first []byte) (ref, bool) {
	n, err := strconv.Atoi(string(first))
	if err != nil || n < 0 {
		return ref{}, false
	}
	save := p.i
	p.skipSpace()
	g := p.word()
	gen, err := strconv.Atoi(string(g))
	if err == nil && gen >= 0 {
		p.skipSpace()
		if p.i < len(p.b) && p.b[p.i] == 'R' && (p.i+1 == len(p.b) || isSpace(p.b[p.i+1]) || isDelim(p.b[p.i+1])) {
			p.i++
			return ref{n, gen}, true
		}
	}
	p.i = save
	return ref{}, false
}

func (p *parser) word() []byte {
	s := p.i
	for p.i < len(p.b) && !isSpace(p.b[p.i]) && !isDelim(p.b[p.i]) {
		p.i++
	}
	return p.b[s:p.i]
}

// array reads up to "]". Past maxNesting the rest of the structure is
// skipped, so "[[[[…" costs no stack.
func (p *parser) array(depth int) []any {
	if depth > maxNesting {
		p.skipNested('[', ']')
		return nil
	}
	var out []any
	for {
		v, ok := p.value(depth)
		if !ok || v == op("]") {
			return out
		}
		if v == op(">>") {
			continue
		}
		if len(out) < maxItems {
			out = append(out, v)
		}
	}
}

// dict reads up to ">>". A key without a value is dropped.
func (p *parser) dict(depth int) dict {
	d := dict{}
	if depth > maxNesting {
		p.skipNested('<', '>')
		return d
	}
	for {
		k, ok := p.value(depth)
		if !ok || k == op(">>") {
			return d
		}
		key, isName := k.(name)
		if !isName {
			continue
		}
		v, ok := p.value(depth)
		if !ok || v == op(">>") {
			return d
		}
		if sd, isDict := v.(dict); isDict {
			if s := p.directStream(sd); s != nil {
				v = s
			}
		}
		if len(d) < maxItems {
			d[key] = v
		}
	}
}

// directStream reads a stream written as a direct value inside a
// dictionary, which is not allowed (PDF §7.3.8.1) but which some
// producers write (pypdf 3 puts embedded files so); nil if no "stream"
// keyword follows d.
func (p *parser) directStream(d dict) *stream {
	save := p.i
	p.skipSpace()
	if !bytes.HasPrefix(p.b[p.i:], []byte("stream")) {
		p.i = save
		return nil
	}
	p.i += len("stream")
	if p.i < len(p.b) && p.b[p.i] == '\r' {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '\n' {
		p.i++
	}
	start := p.i
	end := bytes.Index(p.b[start:], []byte("endstream"))
	if end < 0 {
		p.i = len(p.b)
		return &stream{dict: d, raw: p.b[start:]}
	}
	raw := p.b[start : start+end]
	if n, ok := d["Length"].(float64); ok && n >= 0 && int(n) <= len(raw) {
		raw = raw[:int(n)]
	}
	p.i = start + end + len("endstream")
	return &stream{dict: d, raw: raw}
}

// skipNested skips to the end of a too-deep structure opened by open.
func (p *parser) skipNested(open, close byte) {
	depth := 1
	for p.i < len(p.b) && depth > 0 {
		switch c := p.b[p.i]; {
		case c == '(':
			p.i++
			p.literal()
			continue
		case c == open:
			depth++
		case c == close:
			depth--
		}
		p.i++
	}
}

// literal reads a literal string after "(" (PDF §7.3.4.2): balanced
// parentheses, backslash escapes, octal \ddd, and line continuations.
func (p *parser) literal() []byte {
	var out []byte
	depth := 1
	for p.i < len(p.b) {
		c := p.b[p.i]
		p.i++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out
			}
		case '\\':
			var skip bool
			if c, skip = p.escape(); skip {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// escape reads what follows a backslash; skip means nothing is appended
// (a line continuation, or the end of input).
func (p *parser) escape() (byte, bool) {
	if p.i >= len(p.b) {
		return 0, true
	}
	c := p.b[p.i]
	p.i++
	switch c {
	case 'n':
		return '\n', false
	case 'r':
		return '\r', false
	case 't':
		return '\t', false
	case 'b':
		return '\b', false
	case 'f':
		return '\f', false
	case '\r':
		if p.i < len(p.b) && p.b[p.i] == '\n' {
			p.i++
		}
		return 0, true
	case '\n':
		return 0, true
	}
	if c >= '0' && c <= '7' {
		v := int(c - '0')
		for k := 0; k < 2 && p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '7'; k++ {
			v = v*8 + int(p.b[p.i]-'0')
			p.i++
		}
		return byte(v), false
	}
	return c, false
}

// nameDecode undoes #xx escapes in a name (PDF §7.3.5).
func nameDecode(w []byte) name {
	if bytes.IndexByte(w, '#') < 0 {
		return name(w)
	}
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] == '#' && i+2 < len(w) {
			hi, ok1 := hexVal(w[i+1])
			lo, ok2 := hexVal(w[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, w[i])
	}
	return name(out)
}

func hexDecode(b []byte) []byte {
	out := make([]byte, 0, len(b)/2)
	var hi byte
	odd := false
	for _, c := range b {
		if c == '>' {
			break
		}
		v, ok := hexVal(c)
		if !ok {
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	if odd { // PDF §7.3.4.3: a missing final digit is 0
		out = append(out, hi<<4)
	}
	return out
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
