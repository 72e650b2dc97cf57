package office

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
)

// OpenDocument spreadsheets store a cell's number in office:value and
// what Calc shows in text:p; a producer that leaves text:p out, or shows
// less than the number, is read through the cell's data style (ODF 1.3
// part 3, 16.29: number:number-style with number:min-integer-digits,
// number:embedded-text, number:text).

// odsNumber is one data style.
type odsNumber struct {
	prefix, suffix string
	number         bool // a number:number element was seen
	minInt         int
	decimals       int
	minDecimals    int
	grouping       bool
	percent        bool
	embedded       []embedded
}

type embedded struct {
	pos  int // integer digits to the right of the text
	text string
}

// odsStyles are the data styles and the cell styles that use them.
type odsStyles struct {
	data  map[string]*odsNumber
	cells map[string]string // cell style name -> data style name
	// reading state
	cur     *odsNumber
	curName string
	capture *strings.Builder
	emb     *embedded
	inText  bool
}

// read takes the styles of styles.xml.
func (s *odsStyles) read(r io.Reader) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return wrapSyntax(err)
		}
		s.token(tok)
	}
}

// token follows the style definitions in a part (styles.xml, or the
// automatic styles at the top of content.xml).
func (s *odsStyles) token(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		s.start(t)
	case xml.EndElement:
		s.end(t)
	case xml.CharData:
		if s.capture != nil && s.capture.Len() < 256 {
			s.capture.Write(t)
		}
	}
}

func (s *odsStyles) start(t xml.StartElement) {
	if s.data == nil {
		s.data, s.cells = map[string]*odsNumber{}, map[string]string{}
	}
	name := t.Name.Local
	switch {
	case t.Name.Space == "style" && name == "style":
		if ds := attr(t.Attr, "data-style-name"); ds != "" && len(s.cells) < maxStyles {
			s.cells[attr(t.Attr, "name")] = ds
		}
	case name == "number-style" || name == "percentage-style" || name == "currency-style":
		s.cur = &odsNumber{percent: name == "percentage-style"}
		s.curName = attr(t.Attr, "name")
	case s.cur == nil:
	case name == "number":
		s.cur.number = true
		s.cur.minInt, _ = strconv.Atoi(attr(t.Attr, "min-integer-digits"))
		s.cur.decimals, _ = strconv.Atoi(attr(t.Attr, "decimal-places"))
		s.cur.minDecimals = s.cur.decimals
		if v := attr(t.Attr, "min-decimal-places"); v != "" {
			s.cur.minDecimals, _ = strconv.Atoi(v)
		}
		s.cur.grouping = attr(t.Attr, "grouping") == "true"
	case name == "embedded-text":
		pos, _ := strconv.Atoi(attr(t.Attr, "position"))
		s.emb = &embedded{pos: pos}
		s.capture = &strings.Builder{}
	case name == "text" || name == "currency-symbol":
		s.inText = true
		s.capture = &strings.Builder{}
	}
}

func (s *odsStyles) end(t xml.EndElement) {
	name := t.Name.Local
	switch {
	case s.cur == nil:
	case name == "embedded-text" && s.emb != nil:
		s.emb.text = s.capture.String()
		s.cur.embedded = append(s.cur.embedded, *s.emb)
		s.emb, s.capture = nil, nil
	case (name == "text" || name == "currency-symbol") && s.inText:
		if s.cur.number {
			s.cur.suffix += s.capture.String()
		} else {
			s.cur.prefix += s.capture.String()
		}
		s.inText, s.capture = false, nil
	case name == "number-style" || name == "percentage-style" || name == "currency-style":
		if len(s.data) < maxStyles {
			s.data[s.curName] = s.cur
		}
		s.cur = nil
	}
}

// show formats v through the data style of cell style name; false when
// the style is not known or is not a number style.
func (s *odsStyles) show(style string, v float64) (string, bool) {
	n := s.data[s.cells[style]]
	if n == nil || !n.number || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e15 {
		return "", false
	}
	if n.percent {
		v *= 100
	}
	digits := strconv.FormatFloat(math.Abs(v), 'f', min(n.decimals, 15), 64)
	ints, fracs, _ := strings.Cut(digits, ".")
	for len(fracs) > n.minDecimals && strings.HasSuffix(fracs, "0") {
		fracs = fracs[:len(fracs)-1]
	}
	for len(ints) < n.minInt {
		ints = "0" + ints
	}
	if n.grouping {
		ints = group(ints)
	}
	// Embedded texts, from the one furthest right.
	for i := len(n.embedded) - 1; i >= 0; i-- {
		e := n.embedded[i]
		if e.pos >= 0 && e.pos <= len(ints) {
			at := len(ints) - e.pos
			ints = ints[:at] + e.text + ints[at:]
		}
	}
	out := ints
	if fracs != "" {
		out += "." + fracs
	}
	if v < 0 {
		out = "-" + out
	}
	return n.prefix + out + n.suffix, true
}

func odsCell(attrs []xml.Attr) cell {
	c := cell{open: true, typ: attr(attrs, "value-type"), style: attr(attrs, "style-name")}
	for _, k := range []string{"value", "date-value", "time-value", "string-value"} {
		if v := attr(attrs, k); v != "" {
			c.value = v
			break
		}
	}
	return c
}

// note keeps the start of the text an open ODS cell shows.
func (c *cell) note(t []byte) {
	if c.open && len(c.shown) < 128 {
		c.shown = append(c.shown, t[:min(len(t), 128-len(c.shown))]...)
	}
}

// odsValue writes what an ODS cell stores when its text does not show it:
// the stored value, and the value through the cell's data style.
func (x *xmlReader) odsValue() {
	c := &x.cell
	if !c.open || c.value == "" {
		return
	}
	shown := strings.TrimSpace(string(c.shown))
	switch c.typ {
	case "float", "percentage", "currency":
	default:
		if c.value != shown {
			x.storedValue(c.value) // a date, a time, a string value
		}
		return
	}
	if c.value != shown && isInteger(c.value) {
		x.storedValue(c.value)
	}
	v, err := strconv.ParseFloat(c.value, 64)
	if err != nil {
		return
	}
	if s, ok := x.d.ods.show(c.style, v); ok && s != shown {
		x.storedValue(s)
	}
	if nineDigits(c.value) {
		x.storedValue("0" + c.value)
	}
}

// wrapSyntax marks an encoding/xml error as ErrSyntax; other errors (an
// archive limit) go through unchanged.
func wrapSyntax(err error) error {
	if err == ErrTooLarge || !isSyntax(err) {
		return err
	}
	return &syntaxError{err}
}

type syntaxError struct{ err error }

func (e *syntaxError) Error() string   { return ErrSyntax.Error() + ": " + e.err.Error() }
func (e *syntaxError) Is(t error) bool { return t == ErrSyntax }
