package office

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Separators written between pieces of text. A space joins the way a
// reader's eye does (cells of a row, paragraphs): a number split across two
// cells is still found. hard keeps apart what no reader sees side by side
// (two attribute values, a cell's stored and shown value): ';' ends a
// number for the CPR detector and a word for the term matcher.
var (
	space = []byte{' '}
	hard  = []byte(" ; ")
)

// ooxmlText are the OOXML elements whose character data is text: w:t, a:t,
// the t of shared and inline strings, m:t (equations), deleted text
// (tracked changes), field codes, a cell's value, sheet headers and
// footers.
var ooxmlText = map[string]bool{
	"t": true, "delText": true, "instrText": true, "delInstrText": true, "v": true,
	"oddHeader": true, "oddFooter": true, "evenHeader": true, "evenFooter": true,
	"firstHeader": true, "firstFooter": true,
}

// sheetHeader are the XLSX header and footer elements, whose text carries
// &-codes (ECMA-376 part 1, 18.3.1.39).
var sheetHeader = map[string]bool{
	"oddHeader": true, "oddFooter": true, "evenHeader": true, "evenFooter": true,
	"firstHeader": true, "firstFooter": true,
}

// breaks are elements that separate text: paragraphs, cells, rows, list
// items, notes, text boxes, comments, document properties. Runs (w:r,
// text:span) are not among them, so a number split across runs reads as
// one.
var breaks = map[string]bool{
	"p": true, "h": true, "tc": true, "tr": true, "c": true, "row": true, "si": true, "is": true,
	"table-cell": true, "covered-table-cell": true, "table-row": true, "list-item": true, "note": true,
	"note-body": true, "comment": true, "annotation": true, "txbxContent": true, "text-box": true,
	"frame": true, "title": true, "desc": true, "creator": true, "subject": true, "description": true,
	"keywords": true, "lastModifiedBy": true, "footnote": true, "endnote": true, "hdr": true, "ftr": true,
	"sp": true, "txBody": true, "sheetName": true, "definedName": true, "item": true,
	"v": true, "pt": true,
}

// textAttrs are the attributes that hold text, by element: sheet and
// bookmark names, alternative text, document variables, form field
// defaults and list entries, custom property names, table and pivot names
// and items, link tooltips and targets.
var textAttrs = map[string][]string{
	"sheet": {"name"}, "definedName": {"name"}, "bookmarkStart": {"name"},
	"docPr": {"descr", "title"}, "cNvPr": {"descr", "title"},
	"docVar": {"name", "val"}, "default": {"val"}, "listEntry": {"val"},
	"listItem": {"displayText", "value"}, "alias": {"val"},
	"hyperlink": {"tooltip", "display"}, "property": {"name"}, "tableColumn": {"name"},
	"cacheField": {"name"}, "s": {"v"}, "table": {"name", "displayName"},
	"fldSimple": {"instr"}, "helpText": {"val"}, "statusText": {"val"},
	// OpenDocument
	"bookmark": {"name"}, "bookmark-start": {"name"}, "reference-mark": {"name"},
	"reference-mark-start": {"name"}, "section": {"name"}, "user-field-decl": {"name"},
	"variable-decl": {"name"}, "variable-set": {"name"}, "named-range": {"name"},
	"named-expression": {"name"}, "a": {"href", "title"}, "user-defined": {"name"},
}

// odfValueAttrs hold text on any ODF element: form field values and
// labels, variable values (a table cell's are read with the cell).
var odfValueAttrs = map[string]bool{"value": true, "string-value": true, "current-value": true, "label": true,
	"string-value-if-true": true, "string-value-if-false": true}

// xmlReader is the state of one part being read.
type xmlReader struct {
	d      *Doc
	out    io.Writer
	mode   mode
	sheet  bool // an XLSX worksheet: cells are shown through their formats
	inText int  // depth inside ooxmlText elements
	inF    int  // depth inside a formula (its text is not shown)
	hdr    []byte
	inHdr  bool
	cell   cell
	// later are a row's stored values, written after the row so that
	// they do not come between the values it shows.
	later []string
	buf   []byte
}

// xmlText writes the text of one XML part to out; name is the member's
// name, for the few parts read in a way of their own.
func (d *Doc) xmlText(r io.Reader, out io.Writer, m mode, name string) error {
	x := &xmlReader{d: d, out: out, mode: m, sheet: d.Format == XLSX && strings.HasPrefix(name, "xl/worksheets/")}
	dec := xml.NewDecoder(r)
	dec.Strict = false
	depth := 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF && depth > 0 {
			return fmt.Errorf("%w: unexpected end of part", ErrSyntax) // truncated
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return wrapSyntax(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
		if x.mode == modeODF {
			d.ods.token(tok) // the automatic styles at the top of content.xml
		}
		switch t := tok.(type) {
		case xml.StartElement:
			x.start(t)
		case xml.EndElement:
			x.end(t.Name.Local)
		case xml.CharData:
			x.chars(t)
		}
	}
}

// isSyntax tells a parse error from a failure of the reader under it
// (an archive limit), which is returned as it is.
func isSyntax(err error) bool {
	var se *xml.SyntaxError
	return errors.As(err, &se) || strings.HasPrefix(err.Error(), "xml:")
}

func (x *xmlReader) write(p []byte) { x.out.Write(p) }

// separate writes what stands between elements: in properties and
// unknown markup every element is a field of its own (hard); elsewhere
// only the breaks separate, as white space does.
func (x *xmlReader) separate(name string) {
	switch {
	case x.mode == modeMarkup || x.mode == modeProps:
		x.write(hard)
	case breaks[name]:
		x.write(space)
	}
}

func (x *xmlReader) start(t xml.StartElement) {
	name := t.Name.Local
	x.separate(name)
	x.attrs(t)
	switch {
	case x.char(name, t.Attr):
	case name == "f" && x.mode == modeOOXML:
		x.inF++
	case name == "c" && x.sheet:
		x.cell = xlsxCell(t.Attr)
	case name == "table-cell" || name == "covered-table-cell":
		x.cell = odsCell(t.Attr)
		if x.cell.alone() {
			x.write(hard)
		}
	case ooxmlText[name] && x.mode == modeOOXML:
		x.inText++
		x.inHdr = sheetHeader[name]
	}
}

func (x *xmlReader) end(name string) {
	switch {
	case name == "f" && x.mode == modeOOXML && x.inF > 0:
		x.inF--
	case name == "c" && x.sheet:
		x.xlsxValue()
		x.cell = cell{}
	case name == "table-cell" || name == "covered-table-cell":
		x.odsValue()
		if x.cell.alone() {
			x.write(hard)
		}
		x.cell = cell{}
	case ooxmlText[name] && x.mode == modeOOXML && x.inText > 0:
		x.inText--
		if x.inHdr {
			x.write(headerText(x.hdr))
			x.hdr, x.inHdr = x.hdr[:0], false
		}
	}
	if name == "row" || name == "table-row" {
		for _, v := range x.later {
			x.attr(v)
		}
		x.later = x.later[:0]
	}
	x.separate(name)
}

// storedValue keeps a cell's stored value for the end of its row.
func (x *xmlReader) storedValue(v string) {
	if len(x.later) < maxLater {
		x.later = append(x.later, v)
	} else {
		x.attr(v)
	}
}

// maxLater bounds the stored values kept for the end of a row.
const maxLater = 1024

func (x *xmlReader) chars(t xml.CharData) {
	switch {
	case x.inF > 0:
	case x.mode != modeOOXML:
		x.cell.note(t)
		x.write(t)
	case x.inText == 0:
	case x.inHdr:
		x.hdr = append(x.hdr, t...)
	case x.cell.open && x.sheet:
		x.cell.raw = append(x.cell.raw, t...)
	default:
		x.write(t)
	}
}

// char writes the character an element stands for and reports whether it
// was one: w:tab, w:br, w:noBreakHyphen, text:s and the like (ECMA-376
// part 1, 17.3.3; ODF 1.3 part 3, 6.1).
func (x *xmlReader) char(name string, attrs []xml.Attr) bool {
	switch name {
	case "tab", "ptab":
		x.write([]byte{'\t'})
	case "br", "cr", "line-break":
		x.write([]byte{'\n'})
	case "noBreakHyphen":
		x.write([]byte{'-'})
	case "softHyphen", "soft-page-break":
		// Nothing shows: the word or number goes on.
	case "s":
		if x.mode == modeODF {
			x.write(space) // text:s, c spaces: white space is one to the scanner
		}
		return x.mode == modeODF
	case "sym":
		x.write(symChar(attrs))
	default:
		return false
	}
	return true
}

// symChar is the character of a w:sym element: w:char in hexadecimal; a
// symbol font's code F0xx is the character xx.
func symChar(attrs []xml.Attr) []byte {
	for _, a := range attrs {
		if a.Name.Local != "char" {
			continue
		}
		n, err := strconv.ParseUint(a.Value, 16, 32)
		if err != nil {
			return nil
		}
		if n >= 0xf020 && n <= 0xf0ff {
			n -= 0xf000
		}
		return utf8.AppendRune(nil, rune(n))
	}
	return nil
}

// attrs writes the attribute values of t that hold text.
func (x *xmlReader) attrs(t xml.StartElement) {
	name := t.Name.Local
	if x.mode == modeMarkup {
		for _, a := range t.Attr {
			if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" {
				x.attr(a.Value)
			}
		}
		return
	}
	if name == "Relationship" {
		x.relationship(t.Attr)
		return
	}
	want := textAttrs[name]
	for _, a := range t.Attr {
		switch {
		case contains(want, a.Name.Local):
		case x.mode == modeODF && odfValueAttrs[a.Name.Local] && name != "table-cell" && name != "covered-table-cell":
		default:
			continue
		}
		x.attr(a.Value)
	}
}

// relationship writes the target of an external relationship (a
// hyperlink's address).
func (x *xmlReader) relationship(attrs []xml.Attr) {
	target, external := "", false
	for _, a := range attrs {
		switch a.Name.Local {
		case "Target":
			target = a.Value
		case "TargetMode":
			external = a.Value == "External"
		}
	}
	if external {
		x.attr(target)
	}
}

func (x *xmlReader) attr(v string) {
	if v == "" {
		return
	}
	x.write(hard)
	x.buf = append(x.buf[:0], v...)
	x.write(x.buf)
	x.write(hard)
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// headerText removes the &-codes of an XLSX header or footer (ECMA-376
// part 1, 18.3.1.39): &L &C &R sections, &P page numbers, &"font,style",
// &12 font sizes and the like become spaces; && is '&'.
func headerText(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 == len(s) {
			out = append(out, s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c == '&':
			out = append(out, '&')
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				j++
			}
			i = j
			out = append(out, ' ')
		case c >= '0' && c <= '9':
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
			out = append(out, ' ')
		default:
			out = append(out, ' ')
		}
	}
	return out
}
