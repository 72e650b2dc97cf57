package classify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPDFRealProducers scans each PDF written by a real producer
// (classify/internal/pdf/testdata/real, made by make.py there) as a mail
// attachment: the sensitive ones are refused for what they hold, read
// rather than merely uninspectable; the harmless ones pass; a scan without
// a text layer is uninspectable.
func TestPDFRealProducers(t *testing.T) {
	dir := filepath.Join("internal", "pdf", "testdata", "real")
	c, err := New(Options{Terms: map[string][]string{
		"health":    {"diabetes", "sygemeld*"},
		"criminal":  {"straffeattest*"},
		CategoryCPR: {"cpr", "cpr-nr", "personnummer*"},
	}, MaxDepth: 5, MaxParts: 50})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "fixtures.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		row := strings.Split(sc.Text(), "\t")
		if len(row) != 3 || strings.HasPrefix(row[0], "#") {
			continue
		}
		n++
		file, expect := row[0], row[1]
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			msg := mixed(part{ctype: "text/plain; charset=utf-8", body: []byte("Hej, se bilaget.\r\n")},
				part{ctype: "application/pdf", name: "bilag.pdf", body: body})
			reasons := c.Scan(context.Background(), strings.NewReader(msg)).Reasons()
			has := func(prefix string) bool {
				return slices.ContainsFunc(reasons, func(r string) bool { return strings.HasPrefix(r, prefix) })
			}
			var ok bool
			switch expect {
			case "cpr":
				ok = has("cpr:") && !has("uninspectable:")
			case "term":
				ok = has("term:") && !has("uninspectable:")
			case "clean":
				ok = len(reasons) == 0
			case "no-text":
				ok = slices.Equal(reasons, []string{"uninspectable:pdf-no-text"})
			default:
				t.Fatalf("fixtures.tsv: unknown expectation %q", expect)
			}
			if !ok {
				t.Errorf("reasons %v, want %s", reasons, expect)
			}
		})
	}
	if n < 30 {
		t.Fatalf("only %d fixtures", n)
	}
}

// TestPDFEmbeddedFiles: files embedded in a PDF are inspected as
// attachments, a PDF inside a PDF included, and what they hold counts.
func TestPDFEmbeddedFiles(t *testing.T) {
	c := newTest(t)
	embed := func(name string, data []byte) []byte {
		return []byte(fmt.Sprintf("%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 5 0 R] >> >> >>\nendobj\n"+
			"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"+
			"4 0 obj\n<< /Length 22 >>\nstream\nBT (se bilaget) Tj ET\nendstream\nendobj\n"+
			"5 0 obj\n<< /Type /Filespec /F (%s) /EF << /F 6 0 R >> >>\nendobj\n"+
			"6 0 obj\n<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n",
			name, name, len(data), data))
	}
	inner := simplePDF("BT (Kunde 010285-1234) Tj ET", "")
	for _, tc := range []struct {
		name string
		pdf  []byte
		want []string
	}{
		{"text file", embed("notat.txt", []byte("Kunde 010285-1234")), []string{"cpr:1"}},
		{"pdf in pdf", embed("a.pdf", embed("b.pdf", inner)), []string{"cpr:1"}},
		{"image", embed("scan.png", []byte("\x89PNG\r\n\x1a\n0000")), []string{"uninspectable:image"}},
		{"harmless", embed("notat.txt", []byte("Faktura 2024-00123")), nil},
	} {
		msg := mixed(part{ctype: "application/pdf", name: "a.pdf", body: tc.pdf})
		if got := c.Scan(context.Background(), strings.NewReader(msg)).Reasons(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: reasons %v, want %v", tc.name, got, tc.want)
		}
	}
}
