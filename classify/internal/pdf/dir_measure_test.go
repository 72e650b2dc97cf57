package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMeasureDir(t *testing.T) {
	dir := os.Getenv("PDFDIR")
	if dir == "" {
		t.Skip()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var out bytes.Buffer
		start := time.Now()
		nf := 0
		err := textOf(data, &out, func(string, []byte) { nf++ })
		d := time.Since(start)
		os.WriteFile(f+".ours.txt", out.Bytes(), 0o644)
		fmt.Printf("%-60s %8d B %6.1f ms files=%d err=%v\n", filepath.Base(f), len(data), float64(d.Microseconds())/1000, nf, err)
	}
}
