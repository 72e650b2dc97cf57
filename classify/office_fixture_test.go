package classify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOfficeFixtures scans the documents real producers wrote
// (internal/office/testdata, made by its make.sh with LibreOffice,
// python-docx, openpyxl and XlsxWriter) as attachments. A file's name says
// what it holds: cpr-*, term-* (a health word) or clean-*; lo-* is what
// LibreOffice wrote when it read and saved the same content.
func TestOfficeFixtures(t *testing.T) {
	dir := filepath.Join("internal", "office", "testdata")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := newTest(t)
	n := 0
	for _, e := range ents {
		name := e.Name()
		switch filepath.Ext(name) {
		case ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp":
		default:
			continue
		}
		n++
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		res := c.Scan(context.Background(), strings.NewReader(mixed(part{ctype: "application/octet-stream", name: name, body: body})))
		want := strings.TrimPrefix(name, "lo-")
		switch {
		case len(res.Uninspectable) > 0:
			t.Errorf("%s: uninspectable: %v", name, res.Reasons())
		case strings.HasPrefix(want, "cpr-") && res.CPR == 0:
			t.Errorf("%s: no CPR number found: %v", name, res.Reasons())
		case strings.HasPrefix(want, "term-") && res.Terms["health"] == 0:
			t.Errorf("%s: no health term found: %v", name, res.Reasons())
		case strings.HasPrefix(want, "clean-") && !res.Clean():
			t.Errorf("%s: refused: %v", name, res.Reasons())
		}
	}
	if n < 20 {
		t.Errorf("%d fixtures, want at least 20", n)
	}
}
