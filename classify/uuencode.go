package classify

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
)

// uuencoded blocks (POSIX uuencode; still sent by old tools) inside a text
// body: "begin MODE NAME", lines of encoded data, "`" or " ", "end".

// maxUU bounds one decoded block; a larger one is spooled like any part by
// inspect, this only stops a runaway block without an "end".
const maxUU = maxSpool

// uuBegin reports whether line starts a uuencoded block, and its file name.
func uuBegin(line []byte) (string, bool) {
	if !bytes.HasPrefix(line, []byte("begin ")) {
		return "", false // most lines: no copy
	}
	s := strings.TrimRight(string(line), "\r\n")
	rest, ok := strings.CutPrefix(s, "begin ")
	if !ok {
		return "", false
	}
	mode, name, ok := strings.Cut(rest, " ")
	if !ok || len(mode) < 3 || len(mode) > 4 || strings.Trim(mode, "01234567") != "" || name == "" {
		return "", false
	}
	return name, true
}

// uudecode decodes the block after the begin line and inspects it as an
// attachment named name. When the wire pass is skipped (see wireGate) the
// lines of the block, which are not scanned as text, are given to it.
func (w *walker) uudecode(br *bufio.Reader, begin []byte, name string, depth int) {
	u := &uuReader{br: br}
	if w.wire != nil && w.wire.skip {
		u.raw = w.wire.t
		u.raw.Write(begin)
		defer w.wire.t.end()
	}
	w.inspect(u, name, "", depth+1, false)
	// Whatever inspect left unread is drained so the text after "end" is
	// read as text again.
	if _, err := io.Copy(io.Discard, u); err != nil {
		w.readFailed(err)
	}
}

var errUU = reasonError(UninspectableUUEncode)

// uuReader decodes lines up to "end".
type uuReader struct {
	br    *bufio.Reader
	raw   io.Writer // if not nil, gets every line read
	buf   []byte
	total int
	err   error
}

func (u *uuReader) Read(p []byte) (int, error) {
	for len(u.buf) == 0 && u.err == nil {
		u.buf, u.err = u.line(u.buf[:0])
	}
	n := copy(p, u.buf)
	u.buf = u.buf[n:]
	if n > 0 {
		return n, nil
	}
	return 0, u.err
}

// line decodes one line into dec.
func (u *uuReader) line(dec []byte) ([]byte, error) {
	line, err := u.br.ReadSlice('\n')
	if u.raw != nil {
		u.raw.Write(line)
	}
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, errUU
	}
	l := bytes.TrimRight(line, "\r\n")
	if string(l) == "end" {
		return nil, io.EOF
	}
	if len(l) > 0 {
		n := int((l[0] - ' ') & 0x3f)
		for i := 1; len(dec) < n; i += 4 {
			var q [4]byte
			for j := range q {
				if i+j < len(l) {
					q[j] = (l[i+j] - ' ') & 0x3f
				}
			}
			dec = append(dec, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
		}
		dec = dec[:n]
		if u.total += n; u.total > maxUU {
			return nil, reasonError(LimitAttachmentSize)
		}
	}
	switch {
	case err == io.EOF:
		return dec, errUU // no "end"
	case err != nil:
		return dec, err
	}
	return dec, nil
}
