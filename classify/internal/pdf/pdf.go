// Package pdf extracts the text of a PDF document for the classifier: the
// text shown on pages, and text kept outside page content (form fields,
// annotations, bookmarks, document properties, XMP metadata), and it hands
// embedded files back to the caller. It is a leaf: it knows nothing of
// reasons or policy and returns plain errors (ErrEncrypted, ErrFont,
// ErrNoText, ErrLimit, ErrMalformed, ErrEmbedded) that the caller maps to
// its own reason codes.
//
// It does not trust the cross-reference table (objects are found by
// scanning, see objects.go), walks the page tree with each page's fonts,
// and afterwards runs every stream nothing referred to, so that text left
// in a file by an incremental update or a broken structure is read too.
// What cannot be turned into text fails closed: glyph codes no map
// explains give ErrFont, a document with no text at all ErrNoText.
// ISO 32000-1 is cited as "PDF §x".
package pdf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
)

// Errors returned by Text.
var (
	// ErrEncrypted: the document is encrypted (PDF §7.6).
	ErrEncrypted = errors.New("pdf: document is encrypted")
	// ErrNoText: no page shows any text, or a page shows images and no
	// text: a scan without a text layer, perhaps among typed pages.
	ErrNoText = errors.New("pdf: no text found")
	// ErrLimit: a size or count limit was reached.
	ErrLimit = errors.New("pdf: size limit exceeded")
	// ErrMalformed: not a PDF, or too damaged to read.
	ErrMalformed = errors.New("pdf: malformed document")
	// ErrFont: text is shown in glyph codes that no encoding or
	// /ToUnicode map turns into characters (e.g. an Identity-H font
	// without a map). Read as bytes they would be noise in which a number
	// is invisible.
	ErrFont = errors.New("pdf: text in a font without a character map")
	// ErrEmbedded: the document embeds files and Text was given no
	// FileFunc to read them.
	ErrEmbedded = errors.New("pdf: embedded files")
)

// FileFunc receives an embedded file: the name its file specification
// gives (may be empty) and its decoded bytes, which the caller may keep.
type FileFunc func(name string, data []byte)

const (
	maxInput   = 64 << 20 // raw file bytes we are willing to read
	maxTotal   = 64 << 20 // decompressed bytes over all streams
	maxStream  = 16 << 20 // decompressed bytes of one stream
	maxFilters = 8        // filters in one /Filter array
	maxSeen    = 1 << 19  // pages, fields, annotations, bookmarks read
	// maxUnmapped is how many glyph codes without text a document may
	// show: a stray bullet or ornament. Three codes cannot hide a CPR
	// number (ten digits) or a sensitive word.
	maxUnmapped = 2
)

var encryptRe = regexp.MustCompile(`/Encrypt\s*(?:\d+\s+\d+\s+R|<<)`)

// Text writes the text of the PDF in r (size bytes) to w, and passes each
// embedded file to file. With a nil file, a document that embeds files
// returns ErrEmbedded after its own text is written.
func Text(r io.ReaderAt, size int64, w io.Writer, file FileFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: internal error: %v", ErrMalformed, p)
		}
	}()
	if size < 0 || size > maxInput {
		return ErrLimit
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return fmt.Errorf("pdf: read: %w", err)
	}
	return textOf(data, w, file)
}

// textOf is Text on the bytes of the file, without Text's recover (the
// fuzz targets call it so that a panic is seen).
func textOf(data []byte, w io.Writer, file FileFunc) error {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return fmt.Errorf("%w: no %%PDF header", ErrMalformed)
	}
	// PDF §7.6.1: an /Encrypt entry in the trailer (or cross-reference
	// stream dictionary) means strings and streams are encrypted.
	if encryptRe.Match(data) {
		return ErrEncrypted
	}
	bw := bufio.NewWriter(w)
	x := newExtractor(data, bw, file)
	if err := x.run(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	switch {
	case !x.sawText, x.imagePages > 0:
		return ErrNoText
	case x.unmapped > maxUnmapped:
		return ErrFont
	case x.files > 0 && file == nil:
		return ErrEmbedded
	}
	return nil
}

// extractor is the state of one document.
type extractor struct {
	data    []byte
	w       *bufio.Writer
	file    FileFunc
	budget  int64 // decompressed bytes left
	objs    map[int]located
	bodyAt  map[int]int // object number → offset after its last "obj"
	offsets []objAt     // every "N G obj", in file order
	streams []*stream   // every stream, older revisions too, in file order
	trailer []dict      // oldest first
	catalog dict

	decoded   map[*stream][]byte
	visited   map[*stream]bool
	fonts     map[uintptr]*font // by font dictionary
	fallback  dict              // font resources by name over the whole file
	fileNames map[int]string
	seen      map[uintptr]bool // dictionaries already read (once)
	cmapWork  int
	sawText   bool
	// pageText and pageImage: the page being run shows text, an image.
	// A page with an image and no text looks like a scanned page.
	pageText, pageImage bool
	imagePages          int
	unmapped            int // glyph codes shown that no map explains
	files               int // embedded files met
}

func newExtractor(data []byte, w *bufio.Writer, file FileFunc) *extractor {
	return &extractor{
		data: data, w: w, file: file, budget: maxTotal,
		decoded: map[*stream][]byte{}, visited: map[*stream]bool{}, fonts: map[uintptr]*font{},
		seen: map[uintptr]bool{},
	}
}

// once reports whether d is met for the first time, and marks it. Pages,
// fields, annotations, bookmarks and information dictionaries are read
// once each however often they are referred to, and at most maxSeen of
// them in all, so shared or circular structures cost no more than the
// file's size.
func (x *extractor) once(d dict) bool {
	if d == nil || len(x.seen) >= maxSeen {
		return false
	}
	k := reflect.ValueOf(d).Pointer()
	if x.seen[k] {
		return false
	}
	x.seen[k] = true
	return true
}

// emit writes text to the output.
func (x *extractor) emit(b []byte) error {
	_, err := x.w.Write(b)
	return err
}

// streamError decides what a stream that does not decode means: a limit
// stops the document, anything else skips the stream.
func (x *extractor) streamError(err error) error {
	if errors.Is(err, ErrLimit) {
		return err
	}
	return nil
}

func (x *extractor) run() error {
	if err := x.index(); err != nil {
		return err
	}
	for _, t := range x.trailer {
		if t["Encrypt"] != nil {
			return ErrEncrypted
		}
	}
	x.findCatalog()
	steps := []func() error{x.walkPages, x.documentText, x.orphans}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// findCatalog takes /Root from the newest trailer that has one, else the
// last object that says it is a catalog.
func (x *extractor) findCatalog() {
	for i := len(x.trailer) - 1; i >= 0 && x.catalog == nil; i-- {
		if d := x.dictOf(x.trailer[i]["Root"]); d != nil {
			x.catalog = d
		}
	}
	for i := len(x.offsets) - 1; i >= 0 && x.catalog == nil; i-- {
		if d, ok := x.objs[x.offsets[i].num].val.(dict); ok && d["Type"] == name("Catalog") {
			x.catalog = d
		}
	}
}

// documentText writes the text kept outside pages.
func (x *extractor) documentText() error {
	if err := x.info(); err != nil {
		return err
	}
	if x.catalog == nil {
		return nil
	}
	if err := x.fields(x.dictOf(x.catalog["AcroForm"])); err != nil {
		return err
	}
	if err := x.outlines(x.dictOf(x.catalog["Outlines"])); err != nil {
		return err
	}
	if err := x.embeddedFiles(x.dictOf(x.catalog["Names"])["EmbeddedFiles"]); err != nil {
		return err
	}
	if s := x.streamOf(x.catalog["Metadata"]); s != nil {
		return x.xmlStream(s)
	}
	return nil
}
