package classify

import (
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// decodeWith reads the body of an entity made by newEntity (ours) or by
// message.New (go-message's) from a base64 part.
func decodeWith(mk func(message.Header, io.Reader) (*message.Entity, error), body string, rd func(io.Reader) io.Reader) ([]byte, error) {
	return decodeCTE(mk, "base64", body, rd)
}

// decodeCTE reads the body of an entity with transfer encoding cte.
func decodeCTE(mk func(message.Header, io.Reader) (*message.Entity, error), cte, body string, rd func(io.Reader) io.Reader) ([]byte, error) {
	var h textproto.Header
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Transfer-Encoding", cte)
	e, err := mk(message.Header{Header: h}, rd(strings.NewReader(body)))
	if err != nil {
		return nil, err
	}
	if got := e.Header.Get("Content-Transfer-Encoding"); got != cte {
		return nil, errors.New("Content-Transfer-Encoding lost: " + got)
	}
	return io.ReadAll(e.Body)
}

// afterPadding reports whether body holds base64 characters after a
// quantum ending in '=' (see base64Reader).
func afterPadding(body string) bool {
	f := make([]byte, len(body))
	f = f[:filterSpace(f, []byte(body))]
	for i := 3; i < len(f); i += 4 {
		if f[i] == '=' && i+1 < len(f) {
			return true
		}
	}
	return false
}

// checkBase64 compares base64Reader with go-message's decoder on body: the
// same bytes and the same reason code for an error, except where ours is
// stricter by design (data after padding), and then its bytes are a prefix
// of theirs, with go-message's error or a corrupt-input error.
func checkBase64(t *testing.T, body string) {
	t.Helper()
	want, werr := decodeWith(message.New, body, func(r io.Reader) io.Reader { return r })
	for _, rd := range cutReaders {
		got, gerr := decodeWith(newEntity, body, rd.r)
		if afterPadding(body) {
			sameErr := werr != nil && gerr != nil && readReason(gerr) == readReason(werr)
			if !sameErr && (gerr == nil || readReason(gerr) != UninspectableEncoding) || !bytes.HasPrefix(want, got) {
				t.Errorf("%q, %s reads: data after padding: got %q, %v; want a prefix of %q and go-message's error (%v) or a corrupt-input error",
					body, rd.name, got, gerr, want, werr)
			}
			continue
		}
		if !bytes.Equal(got, want) || (gerr == nil) != (werr == nil) || gerr != nil && readReason(gerr) != readReason(werr) {
			t.Errorf("%q, %s reads: got %q, %v; go-message %q, %v", body, rd.name, got, gerr, want, werr)
		}
	}
}

var base64Cases = []string{
	"",
	"\r\n",
	"QUFB\r\n",
	"QUFBQQ==\r\n",
	"QUFBQUE=\r\n",
	"QUFBQUFB\r\nQUFB\r\n",
	"QUFB QUFB\r\n",        // space inside a line
	"QUFB\tQUFB\r\n",       // tab
	"  QUFB\r\n  QUFB\r\n", // indented lines
	"QUFB\rQUFB\r\n",       // lone CR
	"QUFB\nQUFB\n",         // bare LF
	"QUF\r\nBQUFB\r\n",     // a quantum across lines
	"QUFBQ\r\n",            // cut inside a quantum
	"QUFBQQ=\r\n",          // half a pad
	"QUFB!UFB\r\n",         // corrupt
	"QUFBQQ==QUFB\r\n",     // data after padding
	"QUFBQQ==\r\nQUFB\r\n",
	"QUFBQQ==\r\n\r\n",
	"Q===\r\n",
	"====\r\n",
	"QUFB\x00QUFB",
	"QUFB\xffQUFB",
	"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", // no line end
}

func TestBase64Reader(t *testing.T) {
	for _, body := range base64Cases {
		checkBase64(t, body)
	}
	// Bodies larger than a block, line ends and a corrupt byte at
	// either side of a block boundary.
	long := base64Lines(bytes.Repeat([]byte("Hej Bente, tak for mødet 010285-1234. "), 3000))
	checkBase64(t, long)
	for _, at := range []int{base64Block - 2, base64Block - 1, base64Block, base64Block + 1, base64Block + 3} {
		b := []byte(long)
		b[at] = '*'
		checkBase64(t, string(b))
		b = []byte(long)
		b[at] = ' '
		checkBase64(t, string(b))
	}
	checkBase64(t, long[:base64Block+1])
	checkBase64(t, long[:base64Block-1])
}

func FuzzBase64Reader(f *testing.F) {
	for _, s := range base64Cases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkBase64(t, body)
	})
}

// cutReaders are the ways the differential tests cut a body's reads.
var cutReaders = []struct {
	name string
	r    func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one-byte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data-err", iotest.DataErrReader},
}

// checkQP compares qpReader with go-message's decoder on body: the same
// bytes and the same reason code for an error.
func checkQP(t *testing.T, body string) {
	t.Helper()
	want, werr := decodeCTE(message.New, "quoted-printable", body, func(r io.Reader) io.Reader { return r })
	for _, rd := range cutReaders {
		got, gerr := decodeCTE(newEntity, "quoted-printable", body, rd.r)
		if !bytes.Equal(got, want) || (gerr == nil) != (werr == nil) || gerr != nil && readReason(gerr) != readReason(werr) {
			t.Errorf("%q, %s reads: got %q, %v; go-message %q, %v", body, rd.name, got, gerr, want, werr)
		}
	}
}

var qpCases = []string{
	"", "\r\n", "abc", "abc\r\n", "abc\n", "abc \t \r\n", "abc=\r\ndef\r\n", "abc=\ndef", "abc= \r\ndef",
	"abc=", "=", "==", "a==", "=4", "=4\r\n", "=41=42\r\n", "=4a=4B", "=G1", "=\r", "a=\rb\r\n", "a=b\r\n",
	"a=\r\n", "a=x", "=x\n", "\x01", "a\x7fb", "\xc3\xa6\xc3\xb8", "a\rb\nc", "abc=  x\r\n", "a=4\r\n",
	"=\n", "= \n", "tab\there\r\n", "=3D=20\r\n", "\r\r\n", "=\r\n\r\n",
}

func TestQPReader(t *testing.T) {
	for _, body := range qpCases {
		checkQP(t, body)
	}
	// Lines at and past quotedprintable's 4 KiB buffer.
	for _, n := range []int{4094, 4095, 4096, 4097, 9000} {
		checkQP(t, strings.Repeat("x", n)+"\r\nabc\r\n")
		checkQP(t, strings.Repeat("x", n)+"=\r\nabc\r\n")
		checkQP(t, strings.Repeat("=41", n/3)+"\r\n")
	}
	var long bytes.Buffer
	w := quotedprintable.NewWriter(&long)
	w.Write(bytes.Repeat([]byte("Hej Bente, tak for mødet = 010285-1234.\r\n"), 3000))
	w.Close()
	checkQP(t, long.String())
}

func FuzzQPReader(f *testing.F) {
	for _, s := range qpCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkQP(t, body)
	})
}
