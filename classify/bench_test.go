package classify

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

// benchText is ordinary Danish business prose with numbers, ~1 MB.
var benchText = strings.Repeat("Hej Bente. Tak for mødet i går; faktura 2024-00123 på kr. 12.500,00 er betalt "+
	"til reg.nr. 1234 konto 0012345678. Ring på +45 33 12 34 56 hvis der er spørgsmål om ordren.\n", 6000)

func benchClassifier(b *testing.B) *Classifier {
	b.Helper()
	c, err := New(Options{Terms: testTerms})
	if err != nil {
		b.Fatal(err)
	}
	return c
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

func benchScan(b *testing.B, msg string) {
	c := benchClassifier(b)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if r := c.Scan(context.Background(), strings.NewReader(msg)); r.CPR != 0 {
			b.Fatal("unexpected CPR")
		}
	}
}

func BenchmarkScanPlain(b *testing.B) {
	benchScan(b, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+strings.ReplaceAll(benchText, "\n", "\r\n"))
}

func BenchmarkScanHTML(b *testing.B) {
	html := strings.ReplaceAll(benchText, "\n", "<br>\r\n<p><b>Faktura</b> &amp; <span style=\"x\">ordre</span></p>\r\n")
	benchScan(b, "Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"+html)
}

func BenchmarkScanBase64Text(b *testing.B) {
	enc := base64.StdEncoding.EncodeToString([]byte(benchText))
	var lines strings.Builder
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	benchScan(b, "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"+lines.String())
}
