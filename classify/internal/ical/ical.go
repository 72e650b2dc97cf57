// Package ical reads the text of iCalendar (RFC 5545) and vCard (RFC 6350,
// and the older 2.1 and 3.0) files: content lines unfolded, TEXT values
// unescaped, vCard 2.1 quoted-printable values decoded, so that a number or
// a word the producer folded or escaped reads as the reader sees it.
package ical

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// ErrBinary is an inline binary value (ATTACH;ENCODING=BASE64, an embedded
// file) that is not read. The rest of the file has been read when Text
// returns it.
var ErrBinary = errors.New("ical: inline binary attachment")

// ErrTooLong is a content line longer than MaxLine after unfolding.
var ErrTooLong = errors.New("ical: content line too long")

// MaxLine bounds one unfolded content line. A picture of a contact
// (PHOTO) may be longer; it is skipped, not held.
const MaxLine = 1 << 20

// pictures are properties whose binary value is a picture or key of the
// contact or calendar, like the pictures in a document: not read.
var pictures = map[string]bool{"PHOTO": true, "LOGO": true, "SOUND": true, "KEY": true, "IMAGE": true}

// Text writes the unfolded, unescaped content lines of r to out, one a
// line. Property names and parameters are written too: an X- property
// name or a CN parameter is text a person wrote.
func Text(r io.Reader, out io.Writer) error {
	br := bufio.NewReaderSize(r, 16<<10)
	l := &lines{br: br}
	var binary bool
	for {
		line, skip, err := l.next()
		if len(line) > 0 && !skip {
			isBinary, err := writeLine(out, line)
			if err != nil {
				return err
			}
			binary = binary || isBinary
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if binary {
		return ErrBinary
	}
	return nil
}

// lines unfolds physical lines into content lines (RFC 5545 3.1: a line
// break followed by a space or a tab is removed with that one character;
// vCard 2.1: a quoted-printable value goes on after a line ending in '=').
type lines struct {
	br    *bufio.Reader
	next0 []byte // the physical line read ahead
	eof   bool
}

// next returns the next content line without its line break. skip is set
// for a picture too long to hold, which has been read past.
func (l *lines) next() (line []byte, skip bool, err error) {
	cur, err := l.physical()
	if err != nil {
		return nil, false, err
	}
	line = append([]byte(nil), cur...)
	qp := isQP(line)
	for {
		if len(line) > MaxLine && !skip {
			if !pictures[propName(line)] {
				return nil, false, ErrTooLong
			}
			skip, line = true, line[:0]
		}
		if qp && bytes.HasSuffix(line, []byte("=")) {
			more, err := l.physical()
			if err == io.EOF {
				return line, skip, nil
			}
			if err != nil {
				return nil, false, err
			}
			line = append(line, '\n')
			line = append(line, more...)
		} else {
			peek, err := l.peek()
			if err != nil || len(peek) == 0 || (peek[0] != ' ' && peek[0] != '\t') {
				return line, skip, nil
			}
			more, _ := l.physical()
			if !skip {
				line = append(line, more[1:]...)
			}
		}
	}
}

// physical returns the next physical line, without CR LF.
func (l *lines) physical() ([]byte, error) {
	if l.next0 != nil {
		p := l.next0
		l.next0 = nil
		return p, nil
	}
	return l.read()
}

func (l *lines) peek() ([]byte, error) {
	if l.next0 == nil {
		p, err := l.read()
		if err != nil {
			return nil, err
		}
		l.next0 = p
	}
	return l.next0, nil
}

// read reads one physical line; a line longer than the buffer comes back
// whole, bounded by MaxLine.
func (l *lines) read() ([]byte, error) {
	if l.eof {
		return nil, io.EOF
	}
	var line []byte
	for {
		chunk, err := l.br.ReadSlice('\n')
		if len(line) <= MaxLine {
			// Past MaxLine the rest is dropped; the caller sees a line
			// over MaxLine and refuses or skips it.
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			l.eof = true
			if len(line) == 0 {
				return nil, io.EOF
			}
			err = nil
		}
		if err != nil {
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if line == nil {
			line = []byte{}
		}
		return line, nil
	}
}

// propName is the upper-case name of a content line.
func propName(line []byte) string {
	i := bytes.IndexAny(line, ";:")
	if i < 0 {
		i = len(line)
	}
	return strings.ToUpper(string(bytes.TrimSpace(line[:i])))
}

// params returns the upper-case parameter part of a content line (between
// the name and the first ':' outside quotes) and the value.
func split(line []byte) (name, params string, value []byte) {
	quoted := false
	for i, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ':' && !quoted:
			head := string(line[:i])
			name, params, _ = strings.Cut(head, ";")
			return strings.ToUpper(strings.TrimSpace(name)), strings.ToUpper(params), line[i+1:]
		}
	}
	return strings.ToUpper(string(line)), "", nil
}

func isQP(line []byte) bool {
	_, params, _ := split(line)
	return strings.Contains(params, "QUOTED-PRINTABLE")
}

// writeLine writes one content line: name and parameters as they stand,
// the value unescaped or decoded. It reports an inline binary value that
// is not a picture.
func writeLine(out io.Writer, line []byte) (binary bool, err error) {
	name, params, value := split(line)
	isBin := strings.Contains(params, "ENCODING=B") || strings.Contains(params, "VALUE=BINARY")
	if isBin && !strings.Contains(params, "QUOTED-PRINTABLE") {
		if pictures[name] {
			return false, nil
		}
		out.Write([]byte(name + "\n"))
		return true, nil
	}
	head := line[:len(line)-len(value)]
	out.Write(head)
	out.Write([]byte{' '})
	if strings.Contains(params, "QUOTED-PRINTABLE") {
		value = decodeQP(value, params)
	}
	out.Write(unescape(value))
	out.Write([]byte{'\n'})
	return false, nil
}

// decodeQP decodes a vCard 2.1 quoted-printable value (soft breaks are
// "=\n" here), in its CHARSET when that is Latin-1 or Windows-1252.
func decodeQP(v []byte, params string) []byte {
	v = bytes.ReplaceAll(v, []byte("=\n"), nil)
	dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(v)))
	if err != nil {
		return v // read as it stands
	}
	if strings.Contains(params, "CHARSET=ISO-8859-1") || strings.Contains(params, "CHARSET=WINDOWS-1252") {
		if u, err := charmap.Windows1252.NewDecoder().Bytes(dec); err == nil {
			return u
		}
	}
	return dec
}

// unescape undoes RFC 5545 3.3.11 and RFC 6350 3.4 escapes: \n and \N are
// line breaks, \, \; \: and \\ the character itself.
func unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 {
		return v
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i+1 == len(v) {
			out = append(out, v[i])
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			out = append(out, '\n')
		default:
			out = append(out, v[i])
		}
	}
	return out
}
