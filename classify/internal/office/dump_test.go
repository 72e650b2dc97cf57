package office

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// docText reads every Text member of the document in file.
func docText(t testing.TB, file string) (string, []string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	open := func(f *zip.File) (io.ReadCloser, error) { return f.Open() }
	d, err := New(zr, Detect(zr), open)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var files []string
	for _, f := range zr.File {
		switch d.Role(f.Name) {
		case Text:
			if err := d.Text(f, &out); err != nil {
				t.Errorf("%s: %v", file, err)
			}
			out.WriteString("\n")
		case File:
			files = append(files, f.Name)
		}
	}
	return out.String(), files
}

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	txt, files := docText(t, filepath.Join("testdata", os.Getenv("DUMP")))
	t.Logf("%s\nfiles: %v", txt, files)
}
