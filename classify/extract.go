package classify

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"os"
	"path"
	"strings"

	"github.com/emersion/go-message"

	"github.com/tlsgate/tlsgate/classify/internal/pdf"
)

// Extraction: every leaf part that is not HTML goes through inspect, which
// decides what the bytes are from their magic number first, then the file
// name's extension, then the declared media type (a sender chooses the
// last two freely: a .docx sent as application/octet-stream is opened, a
// zip named .txt is opened as a zip). What cannot be read is flagged with
// a reason of its own (reason.go): an unknown binary, an image, TNEF, an
// OLE2 file, a corrupt or encrypted archive, a document that does not
// parse, a part over a limit.

// kind is what a part's bytes are, as far as extraction is concerned.
type kind int

const (
	kindUnknown kind = iota
	kindText
	kindHTML
	kindZip
	kindPDF
	kindRTF
	kindTNEF
	kindOLE
	kindImage
	kindMessage
	kindCalendar
)

// extractState is per-Scan bookkeeping of the extraction layer.
type extractState struct {
	// parent is the media type of the multipart holding the current part.
	parent string
	// zipEntries and zipBytes count archive entries opened and bytes
	// inflated in the whole message, against maxZipEntries and maxZipBytes.
	zipEntries int
	zipBytes   int64
	// identityTop is set when the message is one part whose body needs no
	// decoding (see wireGate).
	identityTop bool
}

// magic numbers, checked against the first bytes of a part.
var magics = []struct {
	prefix string
	k      kind
}{
	{"PK\x03\x04", kindZip},
	{"PK\x05\x06", kindZip}, // empty archive
	{"%PDF-", kindPDF},
	{"{\\rtf", kindRTF},
	{"\x78\x9f\x3e\x22", kindTNEF},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", kindOLE},
	{"\x89PNG\r\n\x1a\n", kindImage},
	{"\xff\xd8\xff", kindImage},
	{"GIF87a", kindImage},
	{"GIF89a", kindImage},
	{"II*\x00", kindImage},
	{"MM\x00*", kindImage},
}

var extKinds = map[string]kind{
	".txt": kindText, ".csv": kindText, ".xml": kindText, ".json": kindText, ".ics": kindCalendar,
	".vcf": kindCalendar, ".vcs": kindCalendar, ".ifb": kindCalendar, ".tsv": kindText, ".log": kindText, ".md": kindText,
	".htm": kindHTML, ".html": kindHTML,
	".zip": kindZip, ".docx": kindZip, ".xlsx": kindZip, ".pptx": kindZip, ".docm": kindZip,
	".xlsm": kindZip, ".odt": kindZip, ".ods": kindZip, ".odp": kindZip,
	".pdf": kindPDF, ".rtf": kindRTF, ".tnef": kindTNEF, ".eml": kindMessage,
	".doc": kindOLE, ".xls": kindOLE, ".ppt": kindOLE, ".msg": kindOLE,
	".png": kindImage, ".jpg": kindImage, ".jpeg": kindImage, ".gif": kindImage, ".tif": kindImage,
	".tiff": kindImage, ".bmp": kindImage, ".webp": kindImage, ".heic": kindImage,
}

var typeKinds = map[string]kind{
	"application/json": kindText, "application/xml": kindText, "text/xml": kindText,
	"text/csv": kindText, "text/calendar": kindCalendar, "text/vcard": kindCalendar, "text/x-vcard": kindCalendar,
	"text/directory": kindCalendar, "application/ics": kindCalendar, "text/x-vcalendar": kindCalendar,
	"text/html": kindHTML, "application/xhtml+xml": kindHTML,
	"application/zip": kindZip, "application/x-zip-compressed": kindZip, "application/x-zip": kindZip,
	"application/pdf": kindPDF, "application/x-pdf": kindPDF,
	"application/rtf": kindRTF, "text/rtf": kindRTF, "text/richtext": kindRTF,
	"application/ms-tnef": kindTNEF, "application/vnd.ms-tnef": kindTNEF,
	"application/msword": kindOLE, "application/vnd.ms-excel": kindOLE,
	"application/vnd.ms-powerpoint": kindOLE, "application/vnd.ms-outlook": kindOLE,
}

// classifyKind decides what a part is; head holds its first bytes.
func classifyKind(head []byte, name, mt string) kind {
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.prefix)) {
			return m.k
		}
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return kindImage
	}
	if calendarHead(head) {
		return kindCalendar
	}
	lname := strings.ToLower(name)
	if lname == "winmail.dat" {
		return kindTNEF
	}
	if k, ok := extKinds[path.Ext(lname)]; ok {
		return k
	}
	if k, ok := typeKinds[mt]; ok {
		return k
	}
	switch {
	case strings.HasPrefix(mt, "application/vnd.openxmlformats-officedocument."),
		strings.HasPrefix(mt, "application/vnd.oasis.opendocument."):
		return kindZip
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"):
		return kindText
	case strings.HasPrefix(mt, "image/"):
		return kindImage
	}
	return kindUnknown
}

// calendarHead reports whether a part starts like an iCalendar or vCard
// file, whatever it is called.
func calendarHead(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, p := range []string{"BEGIN:VCALENDAR", "BEGIN:VCARD"} {
		if len(head) >= len(p) && strings.EqualFold(string(head[:len(p)]), p) {
			return true
		}
	}
	return false
}

// leaf inspects one MIME entity that is neither multipart nor a message;
// it is the extraction layer's entry point from the MIME walk.
func (w *walker) leaf(e *message.Entity, mt string, params map[string]string, depth int) {
	name := params["name"]
	disp, dparams, _ := e.Header.ContentDisposition()
	if fn := dparams["filename"]; fn != "" {
		name = fn
	}
	if d, err := wordDecoder.DecodeHeader(name); err == nil {
		name = d
	}
	// An image that is part of an HTML body (RFC 2387 multipart/related,
	// or an inline part a cid: URL points at) is decoration, not a
	// document.
	htmlImage := w.ex.parent == "multipart/related" ||
		(disp == "inline" && e.Header.Get("Content-Id") != "")
	w.ex.identityTop = depth == 0 && identityBody(e.Header, mt, params)
	w.inspect(e.Body, name, mt, depth, htmlImage)
}

// identityBody reports whether go-message hands over the body of an entity
// with header h unchanged: no transfer encoding to undo and no charset to
// convert (message.New).
func identityBody(h message.Header, mt string, params map[string]string) bool {
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "", "7bit", "8bit", "binary":
	default:
		return false
	}
	if !strings.HasPrefix(mt, "text/") {
		return true
	}
	cs, ok := params["charset"]
	cs = strings.ToLower(cs)
	return !ok || cs == "utf-8" || cs == "us-ascii"
}

// inspect reads one part or archive entry and scans what it can of it.
// A panic in an extractor is turned into "error:internal": a message the
// classifier chokes on is not inspectable.
func (w *walker) inspect(r io.Reader, name, mt string, depth int, htmlImage bool) {
	defer func() {
		if p := recover(); p != nil {
			w.text.reset()
			w.res.flag(ErrorInternal)
		}
	}()
	if depth > w.c.opts.MaxDepth {
		w.res.flag(LimitDepth)
		return
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < readerSize {
		br = getReader(r)
		defer putReader(br)
	}
	head, err := br.Peek(32)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		w.readFailed(err)
		return
	}
	switch k := classifyKind(head, name, mt); k {
	case kindText:
		if depth == 0 && w.ex.identityTop && w.wire != nil {
			// The whole rest of the wire form is this body, scanned
			// as it stands (see wireGate). A uuencoded block in it is
			// decoded, and flagged if it does not decode.
			w.wire.skip = true
		}
		w.textWithUU(br, depth)
	case kindHTML:
		w.html(br)
	case kindMessage:
		w.message(br, depth+1)
	case kindRTF:
		w.rtf(br)
	case kindCalendar:
		w.calendar(br)
	case kindImage:
		if !w.c.opts.IgnoreImages && !htmlImage {
			w.res.flag(UninspectableImage)
		}
	case kindTNEF:
		w.res.flag(UninspectableTNEF)
	case kindOLE:
		w.res.flag(UninspectableOLE)
	case kindZip, kindPDF:
		w.random(br, k, depth)
	default:
		w.res.flag(UninspectableAttachment)
	}
}

// random buffers a part that needs random access and extracts it.
func (w *walker) random(r io.Reader, k kind, depth int) {
	s, err := spool(r)
	if err != nil {
		w.readFailed(err)
		return
	}
	defer s.Close()
	switch k {
	case kindZip:
		w.zipArchive(s, s.size, depth)
	case kindPDF:
		w.pdf(s, s.size, depth)
	}
}

// pdf scans a PDF's text (classify/internal/pdf); its embedded files are
// inspected as attachments one level down.
func (w *walker) pdf(r io.ReaderAt, size int64, depth int) {
	defer w.text.end()
	var files []embeddedFile
	err := pdf.Text(r, size, w.text, func(name string, data []byte) {
		files = append(files, embeddedFile{name, data})
	})
	w.text.end()
	for _, f := range files {
		// An embedded file is an archive member (a PDF portfolio is an
		// archive): it counts against the message's expansion budget, so
		// PDFs nested in PDFs cannot multiply memory.
		w.ex.zipEntries++
		w.ex.zipBytes += int64(len(f.data))
		if w.ex.zipEntries > maxZipEntries || w.ex.zipBytes > maxZipBytes {
			w.res.flag(LimitZipSize)
			break
		}
		w.scanString(f.name)
		w.inspect(bytes.NewReader(f.data), f.name, "", depth+1, false)
	}
	switch {
	case err == nil:
	case errors.Is(err, pdf.ErrEncrypted):
		w.res.flag(UninspectableEncryptedPDF)
	case errors.Is(err, pdf.ErrFont):
		w.res.flag(UninspectablePDFFont)
	case errors.Is(err, pdf.ErrNoText):
		w.res.flag(UninspectablePDFNoText)
	default:
		w.res.flag(UninspectablePDF)
	}
}

// embeddedFile is a file a PDF carries (PDF §7.11.4).
type embeddedFile struct {
	name string
	data []byte
}

// reasonError carries the reason of a limit hit or a parse failure
// through readers that return it unchanged (xml.Decoder, io.Copy).
type reasonError Reason

func (e reasonError) Error() string { return Reason(e).String() }

// readFailed flags the reason for a failure to read or parse a part.
func (w *walker) readFailed(err error) {
	var re reasonError
	if errors.As(err, &re) {
		w.res.flag(Reason(re))
		return
	}
	w.res.flag(readReason(err))
}

// Buffering of parts that need random access: in memory up to memSpool,
// in a private temporary file up to maxSpool, refused above. memSpool is
// small because eight sessions may each hold one, and a growing buffer
// briefly holds two copies; the temporary file (PrivateTmp= under
// systemd) costs page cache, not the daemon's memory.
const (
	memSpool = 1 << 20
	maxSpool = 64 << 20
)

// spooled is a part's bytes, in memory or in an unlinked temporary file.
type spooled struct {
	io.ReaderAt
	size int64
	f    *os.File
}

// Close releases the temporary file, if any.
func (s *spooled) Close() error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

// spool reads r to its end into memory or a temporary file.
func spool(r io.Reader) (*spooled, error) {
	buf := bytes.NewBuffer(make([]byte, 0, 64<<10))
	n, err := io.Copy(buf, io.LimitReader(r, memSpool+1))
	if err != nil {
		return nil, err
	}
	if n <= memSpool {
		return &spooled{ReaderAt: bytes.NewReader(buf.Bytes()), size: n}, nil
	}
	f, err := os.CreateTemp("", "tlsgate-*")
	if err != nil {
		return nil, reasonError(ErrorSpool)
	}
	// Unlinked at once: the bytes are never visible to another process
	// and vanish with the descriptor, whatever happens next.
	os.Remove(f.Name())
	s := &spooled{ReaderAt: f, f: f}
	m, err := io.Copy(f, io.MultiReader(buf, io.LimitReader(r, maxSpool-n+1)))
	s.size = m
	switch {
	case err != nil:
		s.Close()
		var re reasonError
		if errors.As(err, &re) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", reasonError(ErrorSpool), err)
	case m > maxSpool:
		s.Close()
		return nil, reasonError(LimitAttachmentSize)
	}
	return s, nil
}

// textWithUU scans a text body, decoding uuencoded blocks ("begin 644
// name" … "end") in it and inspecting each as an attachment by its name.
func (w *walker) textWithUU(br *bufio.Reader, depth int) {
	defer w.text.end()
	for !w.stopped() {
		if n := plainLines(br); n > 0 { // lines.go
			p, _ := br.Peek(n)
			w.text.Write(p)
			br.Discard(n)
			continue
		}
		line, err := br.ReadSlice('\n')
		if name, ok := uuBegin(line); ok && err == nil {
			w.text.end()
			w.uudecode(br, line, name, depth)
			continue
		}
		w.text.Write(line)
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return
		default:
			w.readFailed(err)
			return
		}
	}
}

// within records that the parts read next belong to a multipart of type
// mt; the returned function restores the previous parent.
func (w *walker) within(mt string) func() {
	old := w.ex.parent
	w.ex.parent = mt
	return func() { w.ex.parent = old }
}
