package classify

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"math"
	"mime"
	"strings"
	"sync"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // every charset go-message knows
	"github.com/emersion/go-message/textproto"
	"golang.org/x/net/html"
)

// walker visits every entity of one message.
type walker struct {
	c    *Classifier
	ctx  context.Context
	res  *Result
	text *textScanner
	wire *wireGate    // nil when a test drives the walker without Scan
	ex   extractState // see extract.go
}

// skipHeaders are trace and transport fields written by MTAs, not people:
// they hold dates, hashes and signatures that only make noise.
var skipHeaders = map[string]bool{
	"received": true, "dkim-signature": true, "arc-seal": true, "arc-message-signature": true,
	"arc-authentication-results": true, "authentication-results": true, "received-spf": true,
	"x-google-dkim-signature": true, "message-id": true, "references": true, "in-reply-to": true,
	"content-transfer-encoding": true, "mime-version": true, "content-id": true, "return-path": true,
}

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

func (w *walker) stopped() bool { return w.ctx.Err() != nil }

// message reads one RFC 5322 message (the top level or a message/rfc822
// part) from r. It does what message.ReadWithOptions does, through a
// pooled buffer.
func (w *walker) message(r io.Reader, depth int) {
	lr := &headerLimit{r: r, n: w.c.opts.MaxHeaderBytes}
	br := getReader(lr)
	defer putReader(br)
	h, err := textproto.ReadHeader(br)
	if err != nil {
		if errors.Is(err, errHeaderLimit) {
			w.res.flag(LimitHeader)
		} else {
			w.res.flag(UninspectableParse)
		}
		return
	}
	lr.n = math.MaxInt64
	e, err := newEntity(message.Header{Header: h}, br) // transfer.go
	w.entity(e, err, depth)
}

var errHeaderLimit = errors.New("header block too large")

// headerLimit is io.LimitedReader with an error of its own.
type headerLimit struct {
	r io.Reader
	n int64
}

func (l *headerLimit) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errHeaderLimit
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// readers are the 4 KiB buffers a header block or a part's body is read
// through. For a small message they were most of the garbage a scan made.
// A buffer goes back to the pool only when whatever read through it has
// returned.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readerSize) }}

const readerSize = 4096

func getReader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readers.Put(br)
}

// entity inspects one MIME entity; err is what go-message said creating it.
func (w *walker) entity(e *message.Entity, err error, depth int) {
	if w.stopped() {
		return
	}
	w.res.Parts++
	if w.res.Parts > w.c.opts.MaxParts {
		w.res.flag(LimitParts)
		return
	}
	if depth > w.c.opts.MaxDepth {
		w.res.flag(LimitDepth)
		return
	}
	w.headers(e.Header)
	switch {
	case message.IsUnknownEncoding(err):
		w.res.flag(UninspectableEncoding)
		return
	case message.IsUnknownCharset(err):
		// The body is still read as it stands; digits look alike in
		// most charsets, but the words cannot be trusted.
		w.res.flag(UninspectableCharset)
	case err != nil:
		w.res.flag(UninspectableParse)
		return
	}
	mt, params, perr := e.Header.ContentType()
	if perr != nil && e.Header.Get("Content-Type") != "" {
		w.res.flag(UninspectableParse)
		return
	}
	if mt == "" {
		mt = "text/plain" // RFC 2045 §5.2
	}
	switch {
	case w.encryptedContent(e, mt, params, depth):
	case strings.HasPrefix(mt, "multipart/"):
		defer w.within(mt)()
		w.multipart(e, params, depth)
	case mt == "message/rfc822" || mt == "message/global":
		w.message(e.Body, depth+1)
	default:
		// Every leaf, text/html too: a zip labelled text/html is a zip.
		w.leaf(e, mt, params, depth) // extract.go
	}
}

func (w *walker) multipart(e *message.Entity, params map[string]string, depth int) {
	if params["boundary"] == "" {
		w.res.flag(UninspectableParse)
		return
	}
	mr := textproto.NewMultipartReader(e.Body, params["boundary"])
	for !w.stopped() {
		p, err := nextPart(mr) // transfer.go
		if err == io.EOF {
			return
		}
		if p == nil {
			w.res.flag(UninspectableParse)
			return
		}
		w.entity(p, err, depth+1)
	}
}

// headers scans every header field people write, with RFC 2047 words and
// RFC 2231 parameters (file names) decoded.
func (w *walker) headers(h message.Header) {
	fields := h.Fields()
	for fields.Next() {
		key := strings.ToLower(fields.Key())
		if skipHeaders[key] || strings.HasPrefix(key, "x-tlsgate-") {
			continue
		}
		raw := fields.Value()
		v, err := wordDecoder.DecodeHeader(raw)
		if err != nil {
			w.res.flag(UninspectableHeaderCharset)
			v = raw
		}
		w.scanString(v)
		if key == "content-type" || key == "content-disposition" {
			if _, params, err := mime.ParseMediaType(raw); err == nil {
				for _, pv := range params {
					if d, err := wordDecoder.DecodeHeader(pv); err == nil {
						pv = d
					}
					w.scanString(pv)
				}
			}
		}
	}
}

func (w *walker) scanString(s string) {
	w.text.WriteString(s)
	w.text.end()
}

// readReason names a failure to read a part's body.
func readReason(err error) Reason {
	if errors.As(err, new(base64.CorruptInputError)) {
		return UninspectableEncoding
	}
	if errors.Is(err, html.ErrBufferExceeded) {
		return LimitHTMLToken
	}
	return UninspectableParse
}

// maxHTMLToken bounds one HTML token (a run of text or a tag) in memory.
const maxHTMLToken = 4 << 20

// blockTags end a line of text when rendered; other tags do not, so
// "1<b>2</b>3" reads "123".
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "td": true, "th": true, "tr": true, "li": true, "table": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "blockquote": true,
	"pre": true, "ul": true, "ol": true, "dd": true, "dt": true, "section": true, "article": true,
	"title": true, "option": true,
}

// visibleAttrs are attributes whose text a reader sees or a client shows.
var visibleAttrs = map[string]bool{"alt": true, "title": true, "value": true, "placeholder": true, "aria-label": true}

// html scans the text of an HTML body: entities decoded, tags removed,
// script and style dropped, visible attributes kept.
func (w *walker) html(r io.Reader) {
	defer w.text.end()
	z := html.NewTokenizer(bufio.NewReaderSize(r, 32<<10))
	z.SetMaxBuf(maxHTMLToken)
	skip := 0
	for !w.stopped() {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				w.res.flag(readReason(err))
			}
			return
		case html.TextToken:
			if skip == 0 {
				w.text.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			if tt == html.StartTagToken && (tag == "script" || tag == "style") {
				skip++
			}
			if blockTags[tag] {
				w.text.Write([]byte{' '})
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if visibleAttrs[string(k)] {
					w.text.Write([]byte{' '})
					w.text.Write(v)
					w.text.Write([]byte{' '})
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if (tag == "script" || tag == "style") && skip > 0 {
				skip--
			}
			if blockTags[tag] {
				w.text.Write([]byte{' '})
			}
		}
	}
}
