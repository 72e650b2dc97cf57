package classify

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// newEntity is message.New with a base64 body decoded by base64Reader,
// which decodes whole blocks where go-message's decoder (the standard
// library's stream decoder behind a filter that copies byte by byte)
// decodes a kilobyte at a time. Every other case, an unknown transfer
// encoding included, is go-message's own. The entity's Header is h as it
// came, Content-Transfer-Encoding and all.
func newEntity(h message.Header, body io.Reader) (*message.Entity, error) {
	mt, _, _ := h.ContentType()
	if strings.HasPrefix(mt, "multipart/") || !strings.EqualFold(h.Get("Content-Transfer-Encoding"), "base64") {
		return message.New(h, body)
	}
	plain := h.Copy()
	plain.Del("Content-Transfer-Encoding")
	e, err := message.New(plain, newBase64Reader(body))
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
}

const base64Block = 32 << 10

func newBase64Reader(r io.Reader) *base64Reader {
	return &base64Reader{
		r:      r,
		raw:    make([]byte, base64Block),
		filt:   make([]byte, base64Block+4),
		outBuf: make([]byte, (base64Block+4)/4*3),
	}
}

func (d *base64Reader) Read(p []byte) (int, error) {
	for len(d.out) == 0 && d.err == nil {
		d.fill()
	}
	if len(d.out) > 0 {
		n := copy(p, d.out)
		d.out = d.out[n:]
		return n, nil
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
