package classify

import (
	"bufio"
	"context"
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
		"health":   {"diabetes", "sygemeld*"},
		"criminal": {"straffeattest*"},
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
