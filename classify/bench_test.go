package classify

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// benchText is ordinary Danish business prose with numbers, ~1 MB.
var benchText = strings.Repeat("Hej Bente. Tak for mødet i går; faktura 2024-00123 på kr. 12.500,00 er betalt "+
	"til reg.nr. 1234 konto 0012345678. Ring på +45 33 12 34 56 hvis der er spørgsmål om ordren.\n", 6000)

// benchHTML is benchText marked up as an HTML mail client writes it.
var benchHTML = strings.ReplaceAll(benchText, "\n", "<br>\r\n<p><b>Faktura</b> &amp; <span style=\"x\">ordre</span></p>\r\n")

func benchClassifier(b *testing.B) *Classifier {
	b.Helper()
	c, err := New(Options{Terms: testTerms})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// base64Lines encodes p as a mail client does: 76-character lines.
func base64Lines(p []byte) string {
	enc := base64.StdEncoding.EncodeToString(p)
	var lines strings.Builder
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	return lines.String()
}

func BenchmarkCPRScanner(b *testing.B) {
	res := &Result{}
	t := newTextScanner(nil, res)
	p := []byte(benchText)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		t.Write(p)
		t.end()
	}
}

// BenchmarkTermsAndCPR is the term matcher with the CPR scanner, as every
// piece of text is scanned.
func BenchmarkTermsAndCPR(b *testing.B) {
	c := benchClassifier(b)
	res := &Result{}
	t := newTextScanner(c.m, res)
	p := []byte(benchText)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		t.Write(p)
		t.end()
	}
}

// BenchmarkHTMLExtract is the HTML text extraction and the scan of its
// text, without the MIME walk.
func BenchmarkHTMLExtract(b *testing.B) {
	c := benchClassifier(b)
	b.SetBytes(int64(len(benchHTML)))
	for b.Loop() {
		res := &Result{}
		w := &walker{c: c, ctx: context.Background(), res: res, text: newTextScanner(c.m, res)}
		w.html(strings.NewReader(benchHTML))
		if res.CPR != 0 || len(res.Uninspectable) != 0 {
			b.Fatalf("unexpected result %v", res.Reasons())
		}
	}
}

// benchScan measures Classifier.Scan of msg, whose decision must not
// change between runs, in bytes of msg per second.
func benchScan(b *testing.B, msg string) {
	benchScanBytes(b, msg, len(msg))
}

// benchScanBytes is benchScan counting n bytes per message.
func benchScanBytes(b *testing.B, msg string, n int) {
	c := benchClassifier(b)
	want := strings.Join(c.Scan(context.Background(), strings.NewReader(msg)).Reasons(), " ")
	b.SetBytes(int64(n))
	for b.Loop() {
		if got := strings.Join(c.Scan(context.Background(), strings.NewReader(msg)).Reasons(), " "); got != want {
			b.Fatalf("reasons %q, first run %q", got, want)
		}
	}
}

func BenchmarkScanPlain(b *testing.B) {
	benchScan(b, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+strings.ReplaceAll(benchText, "\n", "\r\n"))
}

// BenchmarkScanPlainMultipart is the same text as the 8-bit first part of
// a multipart/mixed message: there the wire-form CPR pass runs over it too
// (see wireGate).
func BenchmarkScanPlainMultipart(b *testing.B) {
	benchScan(b, "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"+
		"--BB\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"+
		strings.ReplaceAll(benchText, "\n", "\r\n")+"--BB--\r\n")
}

func BenchmarkScanQuotedPrintable(b *testing.B) {
	var qp strings.Builder
	w := quotedprintable.NewWriter(&qp)
	w.Write([]byte(strings.ReplaceAll(benchText, "\n", "\r\n")))
	w.Close()
	benchScan(b, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+qp.String())
}

func BenchmarkScanHTML(b *testing.B) {
	benchScan(b, "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"+benchHTML)
}

func BenchmarkScanBase64Text(b *testing.B) {
	benchScan(b, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"+
		base64Lines([]byte(benchText)))
}

// BenchmarkScanBase64Attachment is a short note with a text file attached
// as application/octet-stream, which is opened by its name.
func BenchmarkScanBase64Attachment(b *testing.B) {
	benchScan(b, mixed(
		part{ctype: "text/plain; charset=utf-8", body: []byte("Hej, her er noterne fra mødet.\r\n")},
		part{ctype: "application/octet-stream", name: "noter.txt", body: []byte(benchText)},
	))
}

// BenchmarkScanPDF is a base64 PDF attachment with a compressed 1 MB
// content stream; throughput is counted on the decompressed content, as in
// BenchmarkPDFText (the message itself is ~15 times smaller).
func BenchmarkScanPDF(b *testing.B) {
	benchScanBytes(b, mixed(
		part{ctype: "text/plain; charset=utf-8", body: []byte("Hej, her er rapporten.\r\n")},
		part{ctype: "application/pdf", name: "rapport.pdf", body: textPDF(b, 1<<20)},
	), 1<<20)
}

// textPDF is a one-page FlateDecode document of about n bytes of text.
func textPDF(t testing.TB, n int) []byte {
	var c bytes.Buffer
	c.WriteString("BT /F1 10 Tf 72 720 Td\n")
	for i := 0; c.Len() < n; i++ {
		fmt.Fprintf(&c, "[(Linje %d med tekst og CPR 0102) -40 (85-%04d) -300 (slut)] TJ 0 -12 Td\n", i, i%10000)
	}
	c.WriteString("ET")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(c.Bytes())
	zw.Close()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", z.Len(), z.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
