package classify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOfficeFixtures scans the documents real producers wrote
// (internal/office/testdata, made by its make.sh with LibreOffice,
// python-docx, openpyxl and XlsxWriter) as attachments. A file's name says
// what it holds: cpr-*, term-* (a health word) or clean-*, or that it must
// stay uninspectable (uninspectable-*); lo-* is what LibreOffice wrote when
// it read and saved the same content.
func TestOfficeFixtures(t *testing.T) {
	if n := scanFixtures(t, filepath.Join("internal", "office", "testdata"), ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"); n < 20 {
		t.Errorf("%d fixtures, want at least 20", n)
	}
}

// TestCalendarFixtures does the same for the iCalendar and vCard files of
// internal/ical/testdata (python3-icalendar, python3-vobject), folded
// across the number or the word.
func TestCalendarFixtures(t *testing.T) {
	if n := scanFixtures(t, filepath.Join("internal", "ical", "testdata"), ".ics", ".vcf"); n < 5 {
		t.Errorf("%d fixtures, want at least 5", n)
	}
}

// scanFixtures scans each file of dir with one of exts and checks the
// result against its name; it returns how many it scanned.
func scanFixtures(t *testing.T, dir string, exts ...string) int {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := newTest(t)
	n := 0
	for _, e := range ents {
		name := e.Name()
		if !slices.Contains(exts, filepath.Ext(name)) {
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
		case strings.HasPrefix(want, "uninspectable-"):
			if len(res.Uninspectable) == 0 {
				t.Errorf("%s: read, want uninspectable: %v", name, res.Reasons())
			}
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
	return n
}
