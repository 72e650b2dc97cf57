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

// office scans the text of a document of kind k.
func (w *walker) office(zr *zip.Reader, k string, depth int) {
	for _, f := range zr.File {
		if w.stopped() {
			return
		}
		text, embedded := officeTextPart(k, f.Name), officeEmbedded(f.Name)
		if !text && !embedded || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, ok := w.openEntry(f)
		if rc == nil {
			if !ok {
				return
			}
			continue
		}
		if embedded {
			w.inspect(rc, path.Base(f.Name), "", depth+1, false)
		} else if err := xmlText(io.LimitReader(rc, maxOfficeXML), w.text, k == "odf"); err != nil {
			if rc.err != nil {
				w.readFailed(rc.err)
			} else {
				w.res.flag("uninspectable:office")
			}
		}
		w.text.end()
		rc.Close()
		if rc.err != nil {
			return
		}
	}
}

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

// xmlText writes the text of an Office XML part to out. In OpenDocument
// all character data is text; in OOXML only that of ooxmlText elements
// (the rest is markup and pretty-printing). Shared-string indices (cells
// with t="s") are skipped.
func xmlText(r io.Reader, out io.Writer, odf bool) error {
	d := xml.NewDecoder(r)
	d.Strict = false
	inText, shared := 0, false
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
			}
			if xmlBreaks[name] {
				out.Write(sp)
			}
		case xml.EndElement:
			name := t.Name.Local
			if ooxmlText[name] && inText > 0 && !(name == "v" && shared) {
				inText--
			}
			if xmlBreaks[name] {
				out.Write(sp)
			}
		case xml.CharData:
			if odf || inText > 0 {
				out.Write(t)
			}
		}
	}
}
