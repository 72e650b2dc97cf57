package classify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func fuzzClassifier(f *testing.F) *Classifier {
	f.Helper()
	c, err := New(Options{Terms: testTerms, MaxDepth: 8, MaxParts: 200, MaxHeaderBytes: 64 << 10})
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// FuzzScan feeds arbitrary messages to the MIME walk: it must not panic,
// must end, must report only well-formed reason codes, and must never call
// a message clean whose wire form holds a CPR number (see wireGate).
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"Subject: x\r\n\r\n010285-1234\r\n",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n1<b>2</b>3&#52;\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: =?utf-8?q?helbred?=\r\n\r\nhej\r\n--b--\r\n",
		"Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n//4wADEAMAAyAA==\r\n",
		"Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n0102=\r\n85-1234=ZZ\r\n",
		"Content-Type: application/zip; name*=utf-8''a%20b.zip\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBAoAAAAAAA==\r\n",
		"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n",
		"Subject: 010285\r\n\r\n-1234 tak\r\n",
		"Subject: x\r\n\r\nHej\r\nbegin 644 a.txt\r\nM010285-1234\r\n`\r\nend\r\n",
		"Content-Type: text/plain; charset=utf-16\r\n\r\nCPR 010285-1234\r\n",
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"smime.eml", "pgp-mime.eml"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "encrypted", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	c := fuzzClassifier(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res := c.Scan(ctx, strings.NewReader(string(msg)))
		for _, r := range res.Reasons() {
			if !IsReason(r) {
				t.Errorf("malformed reason %q", r)
			}
		}
		if ctx.Err() != nil {
			t.Errorf("scan of %d bytes did not end in 10 s", len(msg))
		}
		if res.Clean() && wireCPR(msg) > 0 {
			t.Errorf("the wire form holds a CPR number, the scan found it clean")
		}
	})
}

// FuzzNormalize checks that normalising is idempotent and yields valid
// UTF-8 whatever comes in.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "ＡＢＣ０１２", "01\u200b02\u00ad85", "A\tB\r\n  C", "\xff\xfe0\x001", "ﬁ ß İ ǅ", "٠١٢ ۳۴", "e\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Fatalf("not idempotent: Normalize(%q) = %q, again %q", s, n, nn)
		}
	})
}

// scanChunks counts CPR numbers in s written in pieces cut at cuts.
func scanChunks(c *Classifier, s string, cuts []byte) int {
	res := &Result{}
	ts := newTextScanner(c.m, res)
	for _, k := range cuts {
		if len(s) == 0 {
			break
		}
		n := int(k) % (len(s) + 1)
		ts.WriteString(s[:n])
		s = s[n:]
	}
	ts.WriteString(s)
	ts.end()
	return res.CPR
}

// FuzzCPR checks that the chunked scanner finds the same number of CPR
// numbers whatever the chunk boundaries.
func FuzzCPR(f *testing.F) {
	for _, s := range []string{"010285-1234", "cpr-nr. 0102851234 og 29.02.2000-4321", "０１０２８５－１２３４", "01\u200b0285 1234", "Kunde 4711 010285-1234\n311299 9999"} {
		f.Add(s, []byte{3, 1, 7})
	}
	c := fuzzClassifier(f)
	f.Fuzz(func(t *testing.T, s string, cuts []byte) {
		whole := scanChunks(c, s, nil)
		if got := scanChunks(c, s, cuts); got != whole {
			t.Fatalf("%q cut at %v: %d CPR numbers, whole: %d", s, cuts, got, whole)
		}
	})
}

// FuzzEncryptedShape feeds arbitrary bytes to the S/MIME and OpenPGP shape
// checks: they must not panic, and OpenPGP data must start with a
// session-key packet to pass.
func FuzzEncryptedShape(f *testing.F) {
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0xa0, 0x80})
	f.Add([]byte{0x85, 0x01, 0x0c, 0x03, 0xfc, 0xd2, 0x0a, 0x01})
	f.Add([]byte{0xc1, 0x02, 0x03, 0x01, 0xd2, 0xff})
	f.Fuzz(func(t *testing.T, p []byte) {
		cmsEnveloped(p)
		if pgpEncrypted(p) && len(p) > 0 && p[0]&0x40 != 0 && p[0]&0x3f != tagPKESK && p[0]&0x3f != tagSKESK {
			t.Errorf("% x: passed without a session-key packet first", p)
		}
	})
}
