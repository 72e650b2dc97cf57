package pdf

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is one row of testdata/real/fixtures.tsv: a PDF written by a
// real producer (see make.py there), what it holds, and a text it shows.
type fixture struct {
	file, expect, needle string
}

func readFixtures(t testing.TB) []fixture {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "real", "fixtures.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fixture
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("fixtures.tsv: bad line %q", line)
		}
		out = append(out, fixture{parts[0], parts[1], parts[2]})
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

// readAll extracts a file's text, embedded files' bytes appended.
func readAll(t testing.TB, file string) (string, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "real", file))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = Text(bytes.NewReader(data), int64(len(data)), &out, func(name string, b []byte) {
		out.WriteString("\n" + name + "\n")
		out.Write(b)
	})
	return out.String(), err
}

// TestRealProducers: every fixture made by LibreOffice, reportlab, pypdf,
// Ghostscript and tesseract is read, and the text put in it (body, header,
// footer, table, comment, form field, bookmark, properties, embedded file,
// OCR layer) comes out; a scan without text is ErrNoText.
func TestRealProducers(t *testing.T) {
	for _, fx := range readFixtures(t) {
		t.Run(fx.file, func(t *testing.T) {
			got, err := readAll(t, fx.file)
			if fx.expect == "no-text" {
				if !errors.Is(err, ErrNoText) {
					t.Fatalf("err = %v, want ErrNoText", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v\n%s", err, got)
			}
			if !strings.Contains(fold(got), fold(fx.needle)) {
				t.Errorf("text does not contain %q:\n%s", fx.needle, got)
			}
		})
	}
}

// fold lower-cases s and writes a minus sign as a hyphen, as the
// classifier's normaliser does.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "\u2212", "-")
}

// BenchmarkRealProducers times whole documents: the biggest fixture (a
// 40-section LibreOffice report), a Ghostscript rewrite and an OCR scan.
func BenchmarkRealProducers(b *testing.B) {
	for _, file := range []string{"lo-long-harmless.pdf", "gs-lo-cpr.pdf", "ocr-cpr.pdf", "rl-form-cpr.pdf"} {
		data, err := os.ReadFile(filepath.Join("testdata", "real", file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := Text(bytes.NewReader(data), int64(len(data)), io.Discard, func(string, []byte) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
