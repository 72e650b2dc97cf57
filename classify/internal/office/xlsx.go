package office

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// readXLSXStyles reads the number formats of xl/styles.xml: the custom
// codes (numFmts) and, for each cell style index (cellXfs), its format.
func (d *Doc) readXLSXStyles(r io.Reader) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	custom := map[int]string{}
	var ids []int
	inXfs := false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return wrapSyntax(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, _ := strconv.Atoi(attr(t.Attr, "numFmtId"))
				custom[id] = attr(t.Attr, "formatCode")
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(ids) < maxStyles {
					id, _ := strconv.Atoi(attr(t.Attr, "numFmtId"))
					ids = append(ids, id)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
	parsed := map[int]*numFmt{}
	d.xfs = make([]*numFmt, len(ids))
	for i, id := range ids {
		f, ok := parsed[id]
		if !ok {
			code, ok := custom[id]
			if !ok {
				code = builtinFormats[id]
			}
			f = parseNumFmt(code)
			parsed[id] = f
		}
		d.xfs[i] = f
	}
	return nil
}

// maxStyles bounds the cell styles kept (Excel's own limit is 64000).
const maxStyles = 65536

// readWorkbookPr notes the 1904 date system (workbookPr date1904).
func (d *Doc) readWorkbookPr(r io.Reader) error {
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
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "workbookPr" {
			v := attr(t.Attr, "date1904")
			d.date1904 = v == "1" || v == "true"
			return nil
		}
	}
}

func attr(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// cell is the spreadsheet cell being read.
type cell struct {
	open  bool
	xf    int    // XLSX: the s attribute
	typ   string // XLSX t, ODS office:value-type
	raw   []byte // XLSX: the v element's text
	value string // ODS: office:value and the like
	style string // ODS: table:style-name
	shown []byte // ODS: the start of the text the cell shows
}

// alone reports whether an ODS cell holds a number, a date or a time.
// Such a value is a field of its own, kept apart from the cells beside it,
// as in XLSX: a row of an amount of 150390 and a year of 2024, or of a date
// shown as 01.03.24 and an amount of 1234, has the shape of a CPR number,
// and such rows are far more common than a CPR number typed into two
// cells. A number in one cell is read whole, through its format.
func (c *cell) alone() bool {
	switch c.typ {
	case "float", "percentage", "currency", "date", "time":
		return true
	}
	return false
}

func xlsxCell(attrs []xml.Attr) cell {
	c := cell{open: true, typ: attr(attrs, "t")}
	c.xf, _ = strconv.Atoi(attr(attrs, "s"))
	return c
}

// xlsxValue writes a cell's value as Excel shows it; when that differs
// from a stored whole number, the stored number too (after a hard
// separator),
// and a nine-digit number once more with the leading zero a CPR number
// typed as a number has lost.
func (x *xmlReader) xlsxValue() {
	c := &x.cell
	if !c.open || len(c.raw) == 0 {
		return
	}
	raw := string(c.raw)
	switch c.typ {
	case "s", "b":
		return // a shared string's index; TRUE/FALSE
	case "", "n":
	default: // str, inlineStr, e, d: text as it stands
		x.write(c.raw)
		return
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		x.write(c.raw)
		return
	}
	var f *numFmt
	if c.xf >= 0 && c.xf < len(x.d.xfs) {
		f = x.d.xfs[c.xf]
	}
	shown := f.show(v, x.d.date1904)
	x.attr(shown) // a field of its own: see cell.alone
	if shown != raw && isInteger(raw) {
		x.storedValue(raw)
	}
	if nineDigits(raw) {
		x.storedValue("0" + raw)
	}
}

// isInteger reports whether s is a whole number as stored ("101901234",
// "-42"). Only such a stored value is written beside the shown one: the
// digits of a fraction ("11698.2415270953") are floating-point noise that
// no one typed or sees.
func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nineDigits reports whether s is a nine-digit number.
func nineDigits(s string) bool {
	if len(s) != 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
