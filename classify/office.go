package classify

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// Office documents are zip archives of XML (ECMA-376 Office Open XML, OASIS
// OpenDocument). Their text is read from the parts that hold it; embedded
// objects are inspected as attachments; media (pictures in the document)
// are part of the document and are not flagged.

// officeKind names the kind of Office document a zip archive is, or "".
func officeKind(zr *zip.Reader) string {
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return "docx"
		case "xl/workbook.xml":
			return "xlsx"
		case "ppt/presentation.xml":
			return "pptx"
		case "content.xml":
			return "odf"
		}
	}
	return ""
}

// maxOfficeXML bounds one XML part: encoding/xml holds a whole token (one
// run of text) in memory.
const maxOfficeXML = 32 << 20

// officeTextPart reports whether an archive member of a document of kind k
// holds text.
func officeTextPart(k, name string) bool {
	dir, file := path.Split(name)
	if !strings.HasSuffix(file, ".xml") {
		return false
	}
	if name == "docProps/core.xml" || name == "docProps/app.xml" {
		return true
	}
	switch k {
	case "docx":
		return dir == "word/" && (file == "document.xml" || strings.HasPrefix(file, "header") ||
			strings.HasPrefix(file, "footer") || strings.HasPrefix(file, "comments") ||
			file == "footnotes.xml" || file == "endnotes.xml")
	case "xlsx":
		return name == "xl/sharedStrings.xml" || dir == "xl/worksheets/" || strings.HasPrefix(file, "comments") && dir == "xl/"
	case "pptx":
		return dir == "ppt/slides/" || dir == "ppt/notesSlides/" || dir == "ppt/comments/"
	case "odf":
		return file == "content.xml" || file == "styles.xml" || file == "meta.xml"
	}
	return false
}

// officeEmbedded reports whether a member is an embedded object (a
// spreadsheet inside a letter) to inspect as an attachment.
func officeEmbedded(name string) bool {
	return strings.Contains(name, "/embeddings/") || strings.HasPrefix(name, "Object ")
}

// officeMedia reports whether a member is a picture, font or printer
// setting of the document: part of its look, holding no text.
func officeMedia(name string) bool {
	for _, d := range []string{"/media/", "/fonts/", "/printerSettings/", "Pictures/", "Thumbnails/"} {
		if strings.Contains(name, d) || strings.HasPrefix(name, d) {
			return true
		}
	}
	return name == "mimetype" || name == "layout-cache"
}

// office scans a document of kind k. The text parts are read precisely;
// every other XML member (styles, custom XML, relationships) is read as
// markup with all its character data, and any other member is inspected
// as an attachment: data hidden in a member Word never shows still
// travels in the clear.
func (w *walker) office(zr *zip.Reader, k string, depth int) {
	mode := xmlOOXML
	if k == "odf" {
		mode = xmlODF
	}
	for _, f := range zr.File {
		if w.stopped() {
			return
		}
		if strings.HasSuffix(f.Name, "/") || officeMedia(f.Name) {
			continue
		}
		m, asXML := mode, true
		switch {
		case officeTextPart(k, f.Name):
		case officeEmbedded(f.Name):
			asXML = false
		case strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels"):
			m = xmlMarkup
		default:
			asXML = false
		}
		if !w.officeMember(f, asXML, m, depth) {
			return
		}
	}
}

// officeMember reads one member of an Office document; false means stop.
func (w *walker) officeMember(f *zip.File, asXML bool, m xmlMode, depth int) bool {
	rc, ok := w.openEntry(f)
	if rc == nil {
		return ok
	}
	defer rc.Close()
	if !asXML {
		w.inspect(rc, path.Base(f.Name), "", depth+1, false)
		return rc.err == nil
	}
	defer w.text.end()
	if err := xmlText(io.LimitReader(rc, maxOfficeXML), w.text, m); err != nil {
		if rc.err != nil {
			w.readFailed(rc.err)
		} else {
			w.res.flag(UninspectableOffice)
		}
	}
	return rc.err == nil
}

// xmlMode says which character data of an XML part is text.
type xmlMode int

const (
	// xmlOOXML: only that of ooxmlText elements; runs joined.
	xmlOOXML xmlMode = iota
	// xmlODF: all of it; runs (text:span) joined.
	xmlODF
	// xmlMarkup: all of it, every element boundary a separator.
	xmlMarkup
)

// OOXML elements whose character data is document text: w:t, a:t, the t
// of shared and inline strings, deleted text and field codes; v is a
// cell's value.
var ooxmlText = map[string]bool{"t": true, "delText": true, "instrText": true, "v": true}

// Elements that separate text: paragraphs, cells, rows, tabs, breaks
// (w:p, a:p, text:p, text:h, w:tc, c, table:table-cell, text:s …). Runs
// (w:r, text:span) are not among them, so a number split across runs
// reads as one.
var xmlBreaks = map[string]bool{
	"p": true, "h": true, "tc": true, "c": true, "row": true, "si": true, "is": true, "tab": true,
	"br": true, "cr": true, "table-cell": true, "table-row": true, "s": true, "line-break": true,
	"list-item": true, "note": true, "comment": true, "title": true, "creator": true,
	"subject": true, "description": true, "keywords": true, "lastModifiedBy": true,
}

// xmlText writes the text of an Office XML part to out, as mode says.
// Shared-string indices (cells with t="s") are skipped.
func xmlText(r io.Reader, out io.Writer, mode xmlMode) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	inText, shared, inCell := 0, false, false
	sp := []byte{' '}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if name == "c" {
				shared = false
				for _, a := range t.Attr {
					if a.Name.Local == "t" && a.Value == "s" {
						shared = true
					}
				}
			}
			if ooxmlText[name] && !(name == "v" && shared) {
				inText++
				inCell = name == "v"
			}
			if xmlBreaks[name] || mode == xmlMarkup {
				out.Write(sp)
			}
		case xml.EndElement:
			name := t.Name.Local
			if ooxmlText[name] && inText > 0 && !(name == "v" && shared) {
				inText--
				inCell = false
			}
			if xmlBreaks[name] || mode == xmlMarkup {
				out.Write(sp)
			}
		case xml.CharData:
			if mode != xmlOOXML || inText > 0 {
				if inCell && nineDigits(t) {
					// A CPR number typed into a spreadsheet cell is
					// stored as a number and loses its leading zero.
					out.Write([]byte{'0'})
				}
				out.Write(t)
			}
		}
	}
}

// nineDigits reports whether b is a nine-digit number.
func nineDigits(b []byte) bool {
	if len(b) != 9 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
