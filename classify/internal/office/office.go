// Package office reads the text of Office Open XML (ECMA-376: DOCX, XLSX,
// PPTX) and OpenDocument (OASIS ODF 1.3: ODT, ODS, ODP) documents, the way
// the producer shows it: numbers through the spreadsheet's number formats,
// elements that stand for characters (a non-breaking hyphen, a tab, a
// repeated space) as those characters.
//
// A document is a zip archive; the caller opens it and every member
// through its own archive limits (Opener). Members are sorted by what they
// are to the format (Role): text to read, parts of the format that hold
// none, and files of their own (embedded objects, anything the format does
// not explain), which the caller inspects as attachments.
package office

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// Format is the kind of an Office document.
type Format uint8

// The formats.
const (
	None Format = iota
	DOCX
	XLSX
	PPTX
	ODF // ODT, ODS, ODP and the others of OpenDocument
)

var formatNames = [...]string{"none", "docx", "xlsx", "pptx", "odf"}

func (f Format) String() string { return formatNames[f] }

// Detect names the format of a zip archive, or None.
func Detect(zr *zip.Reader) Format {
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return DOCX
		case "xl/workbook.xml":
			return XLSX
		case "ppt/presentation.xml":
			return PPTX
		case "content.xml":
			return ODF
		}
	}
	return None
}

// Opener opens a member of the archive; the caller applies its limits
// (sizes, ratios, time) there and may fail with an error of its own, which
// the readers return unchanged (wrapped).
type Opener func(*zip.File) (io.ReadCloser, error)

// ErrSyntax is a part that is not well-formed XML.
var ErrSyntax = errors.New("office: malformed XML part")

// ErrTooLarge is a part over MaxPart.
var ErrTooLarge = errors.New("office: XML part too large")

// MaxPart bounds one XML part: encoding/xml holds a whole token (one run
// of text) in memory.
const MaxPart = 32 << 20

// Doc is one Office document.
type Doc struct {
	Format Format
	zr     *zip.Reader
	open   Opener
	// Spreadsheet number formats: XLSX cell style index to format, and
	// ODF data styles by name (read from styles.xml before content.xml).
	xfs      []*numFmt
	date1904 bool
	ods      odsStyles
}

// New prepares a document of format f for reading. For a spreadsheet it
// reads the parts that say how numbers are shown (xl/styles.xml and
// xl/workbook.xml, or styles.xml), so that cells can be shown as the
// producer shows them whatever the order of the members.
func New(zr *zip.Reader, f Format, open Opener) (*Doc, error) {
	d := &Doc{Format: f, zr: zr, open: open}
	switch f {
	case XLSX:
		if err := d.withPart("xl/styles.xml", d.readXLSXStyles); err != nil {
			return nil, err
		}
		if err := d.withPart("xl/workbook.xml", d.readWorkbookPr); err != nil {
			return nil, err
		}
	case ODF:
		d.ods = odsStyles{}
		if err := d.withPart("styles.xml", d.ods.read); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// withPart runs read on the member called name, if there is one.
func (d *Doc) withPart(name string, read func(io.Reader) error) error {
	for _, f := range d.zr.File {
		if f.Name != name {
			continue
		}
		rc, err := d.open(f)
		if err != nil {
			return err
		}
		defer rc.Close()
		return read(limit(rc))
	}
	return nil
}

// Text writes the text of member f, whose Role is Text or Markup, to w.
// Pieces of text that must not run together (two attribute values, a cell's
// stored and shown value) are kept apart by a separator a number cannot
// cross; cells, paragraphs and runs are joined the way a reader sees them.
func (d *Doc) Text(f *zip.File, w io.Writer) error {
	rc, err := d.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	mode := d.modeOf(f.Name)
	switch mode {
	case modeVML:
		err = vmlText(limit(rc), w)
	case modeUTF16:
		err = utf16Text(limit(rc), w)
	default:
		err = d.xmlText(limit(rc), w, mode, f.Name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	return nil
}

// limit bounds a part to MaxPart bytes.
func limit(r io.Reader) io.Reader {
	return &limitReader{r: r, n: MaxPart}
}

type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
