package classify

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// newEntity is message.New with a base64 body decoded by base64Reader,
// which decodes whole blocks where go-message's decoder (the standard
// library's stream decoder behind a filter that copies byte by byte)
// decodes a kilobyte at a time, and a quoted-printable body by qpReader,
// a line at a time where the standard library's reader takes a byte per
// step of its Read loop. Every other case, an unknown transfer
// encoding included, is go-message's own. The entity's Header is h as it
// came, Content-Transfer-Encoding and all.
func newEntity(h message.Header, body io.Reader) (*message.Entity, error) {
	mt, _, _ := h.ContentType()
	if strings.HasPrefix(mt, "multipart/") {
		return message.New(h, body)
	}
	var dec io.Reader
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		dec = newBase64Reader(body)
	case "quoted-printable":
		dec = newQPReader(body)
	default:
		return message.New(h, body)
	}
	plain := h.Copy()
	plain.Del("Content-Transfer-Encoding")
	e, err := message.New(plain, dec)
	e.Header = h
	return e, err
}

// nextPart is message's MultipartReader.NextPart with newEntity.
func nextPart(mr *textproto.MultipartReader) (*message.Entity, error) {
	p, err := mr.NextPart()
	if err != nil {
		return nil, err
	}
	return newEntity(message.Header{Header: p.Header}, p)
}

// base64Reader decodes a base64 body as go-message does (white space
// anywhere is skipped: CR and LF as RFC 2045 says, space and tab because
// some mailers indent the lines; a corrupt body is a
// base64.CorruptInputError; a body that stops inside a quantum is
// io.ErrUnexpectedEOF), in blocks.
//
// One difference, on the strict side: data after a padded quantum ("QQ==QUFB")
// is always corrupt. The standard stream decoder accepts it only when its
// kilobyte chunks happen to end just after the padding, which depends on how
// the reads fall.
type base64Reader struct {
	r      io.Reader
	raw    []byte // the block read
	filt   []byte // its base64 characters; filt[:nfilt] are those left over
	nfilt  int    // from the block before (fewer than four)
	out    []byte // decoded, not yet returned
	outBuf []byte
	padded bool  // a padded quantum has been decoded: the body must end
	err    error // returned once out is empty
	bufs   *base64Bufs
}

const base64Block = 32 << 10

// base64Bufs are a base64Reader's buffers, pooled: a small message's parts
// would otherwise each cost 88 KiB of garbage.
type base64Bufs struct{ raw, filt, out []byte }

var base64Pool = sync.Pool{New: func() any {
	return &base64Bufs{
		raw:  make([]byte, base64Block),
		filt: make([]byte, base64Block+4),
		out:  make([]byte, (base64Block+4)/4*3),
	}
}}

func newBase64Reader(r io.Reader) *base64Reader {
	return &base64Reader{r: r}
}

func (d *base64Reader) Read(p []byte) (int, error) {
	if d.bufs == nil && d.err == nil {
		d.bufs = base64Pool.Get().(*base64Bufs)
		d.raw, d.filt, d.outBuf = d.bufs.raw, d.bufs.filt, d.bufs.out
	}
	for len(d.out) == 0 && d.err == nil {
		d.fill()
	}
	if len(d.out) > 0 {
		n := copy(p, d.out)
		d.out = d.out[n:]
		return n, nil
	}
	if d.bufs != nil {
		// Done: nothing reads the buffers again.
		base64Pool.Put(d.bufs)
		d.bufs, d.raw, d.filt, d.outBuf = nil, nil, nil, nil
	}
	return 0, d.err
}

// fill reads one block and decodes it.
func (d *base64Reader) fill() {
	n, rerr := io.ReadFull(d.r, d.raw)
	if rerr == io.ErrUnexpectedEOF {
		rerr = io.EOF
	}
	raw := d.raw[:n]
	// The fast way: drop the line ends and decode. It is right when the
	// block decodes to three bytes per four characters (no padding, no
	// lone CR, which Decode skips) and no white space is left over.
	nf := d.nfilt + copyLines(d.filt[d.nfilt:], raw)
	nq := nf / 4 * 4
	m, err := base64.StdEncoding.Decode(d.outBuf, d.filt[:nq])
	if err != nil || m != nq/4*3 || d.padded || hasSpace(d.filt[nq:nf]) {
		// Space, tab or a lone CR inside a line, padding, or a corrupt
		// block: filter it byte by byte and decode again.
		nf = d.nfilt + filterSpace(d.filt[d.nfilt:], raw)
		if d.padded && nf > d.nfilt {
			d.err = base64.CorruptInputError(0)
			return
		}
		nq = nf / 4 * 4
		m, err = base64.StdEncoding.Decode(d.outBuf, d.filt[:nq])
	}
	d.out = d.outBuf[:m]
	if err != nil {
		d.err = err
		return
	}
	if nq > 0 && d.filt[nq-1] == '=' {
		d.padded = true
	}
	d.nfilt = copy(d.filt, d.filt[nq:nf])
	if rerr != nil {
		d.err = rerr
		if rerr == io.EOF && d.nfilt > 0 {
			d.err = io.ErrUnexpectedEOF
		}
	}
}

// copyLines copies p to dst without its line ends (LF or CRLF) and returns
// the number of bytes copied. Other white space stays; see fill.
func copyLines(dst, p []byte) int {
	n := 0
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		line := p
		if i >= 0 {
			line, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		if k := len(line); k > 0 && line[k-1] == '\r' {
			line = line[:k-1]
		}
		n += copy(dst[n:], line)
	}
	return n
}

// hasSpace reports whether p holds white space that filterSpace drops.
func hasSpace(p []byte) bool {
	for _, b := range p {
		if b == '\r' || b == '\n' || b == ' ' || b == '\t' {
			return true
		}
	}
	return false
}

// filterSpace copies p to dst without CR, LF, space and tab.
func filterSpace(dst, p []byte) int {
	n := 0
	for _, b := range p {
		if b != '\r' && b != '\n' && b != ' ' && b != '\t' {
			dst[n] = b
			n++
		}
	}
	return n
}

// qpReader decodes a quoted-printable body exactly as the standard
// library's quotedprintable.Reader does (go-message's decoder), with its
// deviations from RFC 2045 and its errors (a line longer than its 4 KiB
// buffer is bufio.ErrBufferFull), but a line at a time into a buffer
// rather than a byte per step of its Read loop.
type qpReader struct {
	br   *bufio.Reader
	out  []byte // decoded, not yet returned
	buf  []byte
	line []byte // a line with its line end, to decode
	rerr error  // of the read of the line decoded last
	err  error  // returned once out is empty
	done error  // the buffers are back in the pool: only this is left
}

// qpPool holds qpReaders' buffers between parts.
var qpPool = sync.Pool{New: func() any {
	// quotedprintable.NewReader's buffer size: it decides which lines
	// are too long.
	return &qpReader{br: bufio.NewReaderSize(nil, 4096), buf: make([]byte, 0, 4096+2), line: make([]byte, 0, 4096+2)}
}}

// newQPReader returns a reader from the pool; it goes back once it has
// returned its error (io.EOF included).
func newQPReader(r io.Reader) *qpReader {
	q := qpPool.Get().(*qpReader)
	q.br.Reset(r)
	return q
}

func (q *qpReader) Read(p []byte) (int, error) {
	if q.done != nil {
		return 0, q.done
	}
	for len(q.out) == 0 && q.err == nil {
		q.fill()
	}
	if len(q.out) > 0 {
		n := copy(p, q.out)
		q.out = q.out[n:]
		return n, nil
	}
	// Done: the buffers go back, this reader keeps only its error.
	err := q.err
	pooled := &qpReader{br: q.br, buf: q.buf, line: q.line}
	pooled.br.Reset(nil)
	qpPool.Put(pooled)
	*q = qpReader{done: err}
	return 0, err
}

// fill decodes one line; see quotedprintable.Reader.Read.
func (q *qpReader) fill() {
	if q.rerr != nil {
		q.err = q.rerr
		return
	}
	var whole []byte
	whole, q.rerr = q.br.ReadSlice('\n')
	hasLF := bytes.HasSuffix(whole, []byte("\n"))
	hasCR := bytes.HasSuffix(whole, []byte("\r\n"))
	line := bytes.TrimRight(whole, " \t\r\n")
	if bytes.HasSuffix(line, []byte("=")) {
		right := bytes.TrimLeft(whole[len(line):], " \t")
		line = line[:len(line)-1]
		if !bytes.HasPrefix(right, []byte("\n")) && !bytes.HasPrefix(right, []byte("\r\n")) &&
			!(len(right) == 0 && len(line) > 0 && q.rerr == io.EOF) {
			q.rerr = fmt.Errorf("quotedprintable: invalid bytes after =: %q", right)
		}
	} else if hasLF {
		// The line end is decoded with the line: "=A" before it is a
		// literal '=', not a cut escape.
		q.line = append(q.line[:0], line...)
		if hasCR {
			q.line = append(q.line, '\r')
		}
		line = append(q.line, '\n')
	}
	var err error
	q.out, err = qpDecodeLine(q.buf[:0], line)
	if err != nil {
		q.err = err
	}
}

// qpDecodeLine appends the decoded line to dst; it stops at the first
// error, as quotedprintable.Reader does, with what it decoded before.
func qpDecodeLine(dst, line []byte) ([]byte, error) {
	for i := 0; i < len(line); i++ {
		b := line[i]
		switch {
		case b == '=':
			if i+2 < len(line) {
				if hb, lb := unhex(line[i+1]), unhex(line[i+2]); hb < 16 && lb < 16 {
					dst = append(dst, hb<<4|lb)
					i += 2
					continue
				}
			}
			if i+1 == len(line) || line[i+1] == '\r' || line[i+1] == '\n' {
				if i+2 >= len(line) {
					return dst, io.ErrUnexpectedEOF
				}
				return dst, fmt.Errorf("quotedprintable: invalid hex byte 0x%02x", line[i+1])
			}
			// Taken as a literal '='.
		case b == '\t' || b == '\r' || b == '\n' || b >= 0x80:
		case b < ' ' || b > '~':
			return dst, fmt.Errorf("quotedprintable: invalid unescaped byte 0x%02x in body", b)
		}
		dst = append(dst, b)
	}
	return dst, nil
}

// unhex is the value of a hex digit (either case), 16 for any other byte.
func unhex(b byte) byte {
	switch {
	case b >= '0' && b <= '9':
		return b - '0'
	case b >= 'A' && b <= 'F':
		return b - 'A' + 10
	case b >= 'a' && b <= 'f':
		return b - 'a' + 10
	}
	return 16
}
