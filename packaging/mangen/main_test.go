package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed man pages are what the sources generate: after editing a
// .md file, run "go run ./packaging/mangen" and commit both.
func TestCommittedPagesUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "packaging", "man")
	srcs, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(srcs) < 2 {
		t.Fatalf("expected the man page sources in %s, found %v (%v)", dir, srcs, err)
	}
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Convert(string(b))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		page := strings.TrimSuffix(src, ".md")
		got, err := os.ReadFile(page)
		if err != nil {
			t.Fatalf("%v (run go run ./packaging/mangen)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is out of date: run go run ./packaging/mangen and commit it", page)
		}
	}
}

func TestConvert(t *testing.T) {
	got, err := Convert("% x 8 \"2026-01-01\"\n# Name\nx \\- a -b **bold** `code`\n.dot\n```\nliteral -x \\0\n```\n- item\nterm\n: def\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".TH x 8 \"2026-01-01\"\n", ".SH NAME\n.PP\nx \\e\\- a \\-b \\fBbold\\fR \\fBcode\\fR\n\\&.dot\n",
		".nf\n\\f(CW\nliteral \\-x \\e0\n\\fR\n.fi\n", ".IP \\(bu 2\nitem\n", ".TP\nterm\ndef\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
