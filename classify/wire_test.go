package classify

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// wireCPR counts the CPR numbers in the wire form of msg, as the full
// second pass of Scan does.
func wireCPR(msg []byte) int {
	var res Result
	t := newTextScanner(nil, &res)
	t.Write(msg)
	t.end()
	return res.CPR
}

// TestWireGate checks the messages for which the wire pass must go on, or
// must have searched far enough before it stopped: whatever the wire form
// shows, Scan finds, however the reads are cut.
func TestWireGate(t *testing.T) {
	c := benchClassifier(&testing.B{})
	uu := "begin 644 noter.txt\r\nM010285-1234" + strings.Repeat("`", 49) + "\r\n`\r\nend\r\n"
	for _, tc := range []struct{ name, msg string }{
		{"body", "Subject: x\r\n\r\nCPR 010285-1234\r\n"},
		// Neither the header value nor the body holds the whole number.
		{"header-body", "Subject: 010285\r\n\r\n-1234 tak\r\n"},
		// Decoded as UTF-16 the digits are gone; the wire still has them.
		{"charset-label", "Content-Type: text/plain; charset=utf-16\r\n\r\nCPR 010285-1234\r\n"},
		{"latin1", "Content-Type: text/plain; charset=iso-8859-1\r\n\r\nCPR 010285-1234\r\n"},
		{"qp", "Content-Transfer-Encoding: quoted-printable\r\n\r\n010285-1234=ZZ\r\n"},
		// The lines of a uuencoded block are decoded, not read as text.
		{"uuencode", "Subject: x\r\n\r\nHej\r\n" + uu + "Hilsen\r\n"},
	} {
		if wireCPR([]byte(tc.msg)) == 0 {
			t.Fatalf("%s: the wire form holds no CPR number; the case tests nothing", tc.name)
		}
		for _, rd := range []struct {
			name string
			r    func(io.Reader) io.Reader
		}{
			{"whole", func(r io.Reader) io.Reader { return r }},
			{"one-byte", iotest.OneByteReader},
			{"half", iotest.HalfReader},
		} {
			res := c.Scan(context.Background(), rd.r(strings.NewReader(tc.msg)))
			if res.CPR == 0 {
				t.Errorf("%s, %s reads: no CPR number found (reasons %v)", tc.name, rd.name, res.Reasons())
			}
		}
	}
}

// TestWireGateStops checks that the gate stops the wire pass only outside a
// number.
func TestWireGateStops(t *testing.T) {
	var res Result
	g := &wireGate{t: newTextScanner(nil, &res)}
	g.Write([]byte("Subject: 0102"))
	g.skip = true
	g.Write([]byte("85-1234 tak\r\n")) // inside a number: passed on
	g.Write([]byte("CPR 311299-9999\r\n"))
	g.t.end()
	if res.CPR != 1 {
		t.Errorf("CPR = %d, want 1: the number begun before skip, not the one after", res.CPR)
	}
	if want := int64(len("Subject: 0102") + len("85-1234 tak\r\n")); res.TextBytes != want {
		t.Errorf("wire pass read %d bytes, want %d", res.TextBytes, want)
	}
}
