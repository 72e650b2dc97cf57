package classify

import (
	"archive/zip"
	"bufio"
	"errors"
	"io"
	"path"

	"github.com/tlsgate/tlsgate/classify/internal/ical"
	"github.com/tlsgate/tlsgate/classify/internal/office"
	"github.com/tlsgate/tlsgate/classify/internal/rtf"
)

// Office documents (internal/office) are zip archives of XML. Their text
// parts are read as the producer shows them; parts of the format that
// hold no text (thumbnails, fonts, settings) are skipped; embedded files
// and every member the format does not explain are inspected as
// attachments, so what cannot be read there stays uninspectable. Pictures
// in a document are part of its look and are not flagged.

// errEntrySkipped and errEntryStop say that openEntry refused an archive
// member and flagged why: skip the member, or stop the archive.
var (
	errEntrySkipped = errors.New("archive member skipped")
	errEntryStop    = errors.New("archive stopped")
)

// office scans a document of format f.
func (w *walker) office(zr *zip.Reader, f office.Format, depth int) {
	doc, err := office.New(zr, f, w.openMember)
	if err != nil {
		w.officeFailed(err)
		return
	}
	for _, zf := range zr.File {
		if w.stopped() {
			return
		}
		switch doc.Role(zf.Name) {
		case office.Text:
			err := doc.Text(zf, w.text)
			w.text.end()
			if err != nil && !w.officeFailed(err) {
				return
			}
		case office.File:
			if !w.officeFile(zf, depth) {
				return
			}
		}
	}
}

// openMember opens an archive member for the office reader, with the
// archive limits applied.
func (w *walker) openMember(f *zip.File) (io.ReadCloser, error) {
	rc, ok := w.openEntry(f)
	switch {
	case rc != nil:
		return rc, nil
	case ok:
		return nil, errEntrySkipped
	}
	return nil, errEntryStop
}

// officeFailed flags why a document's part could not be read and reports
// whether to go on with the next part.
func (w *walker) officeFailed(err error) bool {
	var re reasonError
	switch {
	case errors.Is(err, errEntrySkipped):
		return true
	case errors.Is(err, errEntryStop):
		return false
	case errors.As(err, &re):
		w.res.flag(Reason(re)) // an archive limit, a corrupt member
		return false
	case errors.Is(err, office.ErrTooLarge):
		w.res.flag(LimitAttachmentSize)
	default:
		w.res.flag(UninspectableOffice)
	}
	return true
}

// officeFile inspects a member that is a file of its own; false means stop.
func (w *walker) officeFile(f *zip.File, depth int) bool {
	rc, ok := w.openEntry(f)
	if rc == nil {
		return ok
	}
	defer rc.Close()
	w.inspect(rc, path.Base(f.Name), "", depth+1, false)
	return rc.err == nil
}

// rtf scans the text of an RTF document (internal/rtf).
func (w *walker) rtf(br *bufio.Reader) {
	defer w.text.end()
	switch err := rtf.Text(br, w.text); {
	case err == nil:
	case errors.Is(err, rtf.ErrDepth):
		w.res.flag(LimitRTFDepth)
	case errors.Is(err, rtf.ErrSyntax):
		w.res.flag(UninspectableRTF)
	default:
		w.readFailed(err)
	}
}

// calendar scans an iCalendar or vCard file (internal/ical). An inline
// binary attachment in it is not read: uninspectable, like any unknown
// attachment.
func (w *walker) calendar(r io.Reader) {
	defer w.text.end()
	switch err := ical.Text(r, w.text); {
	case err == nil:
	case errors.Is(err, ical.ErrBinary):
		w.res.flag(UninspectableAttachment)
	case errors.Is(err, ical.ErrTooLong):
		w.res.flag(UninspectableCalendar)
	default:
		w.readFailed(err)
	}
}
