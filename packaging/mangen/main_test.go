package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/rules"
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
		want, err := Convert(Expand(string(b)))
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
	got, err := Convert("% x 8 \"2026-01-01\"\n# Name\nx \\- a -b **bold** `code` _it_ max_parts \"cpr*\", *part* a*b*c\n.dot\n```\nliteral -x \\0\n```\n- item\nterm\n: def\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".TH x 8 \"2026-01-01\"\n", ".SH NAME\n.PP\nx \\e\\- a \\-b \\fBbold\\fR \\fBcode\\fR \\fIit\\fR max_parts \"cpr*\", *part* a*b*c\n\\&.dot\n",
		".nf\n\\f(CW\nliteral \\-x \\e0\n\\fR\n.fi\n", ".IP \\(bu 2\nitem\n", ".TP\nterm\ndef\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// render formats a roff page with groff as man(1) would show it, without
// hyphenation, on one very wide line per paragraph, and undoes the
// typographic substitutions that are not the source's characters.
func render(t *testing.T, page string) string {
	t.Helper()
	groff, err := exec.LookPath("groff")
	if err != nil {
		if os.Getenv("TLSGATE_REQUIRE_GROFF") != "" {
			t.Fatal("groff is not installed")
		}
		t.Skip("groff is not installed (apt-get install groff-base)")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-rHY=0", "-rLL=1000n", "-P-cbou", page)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil || errb.Len() > 0 {
		t.Fatalf("groff %s: %v %s", page, err, errb.String())
	}
	return strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2212", "-", "\u2018", "'", "\u2019", "'",
		"\u201c", "\"", "\u201d", "\"", "\u00b4", "'", "\u02c6", "^", "\u02dc", "~", "\u2022", "").Replace(string(out))
}

// sourceWords are the words of a source line as a reader must see them:
// markup (**, `, _ at the edges of a word, list and definition marks)
// removed, every other character kept.
func sourceWords(line string) []string {
	switch {
	case strings.HasPrefix(line, "# "):
		line = strings.ToUpper(line[2:])
	case strings.HasPrefix(line, "## "):
		line = line[3:]
	case strings.HasPrefix(line, "- "), strings.HasPrefix(line, ": "):
		line = line[2:]
	}
	var words []string
	for _, w := range strings.Fields(line) {
		w = strings.ReplaceAll(strings.ReplaceAll(w, "**", ""), "`", "")
		w = dropEdgeUnderscores(w)
		if w != "" {
			words = append(words, w)
		}
	}
	return words
}

// dropEdgeUnderscores removes the italic marks: '_' at the start or end of
// a word (max_parts keeps its '_').
func dropEdgeUnderscores(w string) string {
	var b strings.Builder
	for j := 0; j < len(w); j++ {
		if w[j] == '_' && (j == 0 || !isWord(w[j-1]) || j == len(w)-1 || !isWord(w[j+1])) {
			continue
		}
		b.WriteByte(w[j])
	}
	return b.String()
}

// Every character of the source reaches the reader: each word of each
// source line is found, in order, in the text groff renders from the
// committed page (the man page once lost every '*' of "cpr-nummer*").
func TestRenderedKeepsSource(t *testing.T) {
	dir := filepath.Join("..", "..", "packaging", "man")
	srcs, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		rendered := strings.Join(strings.Fields(render(t, strings.TrimSuffix(src, ".md"))), "")
		pos, missing := 0, 0
		lines := strings.Split(Expand(string(b)), "\n")[1:] // the .TH line is the header
		for n, l := range lines {
			if strings.HasPrefix(l, "```") {
				continue
			}
			for _, w := range sourceWords(l) {
				i := strings.Index(rendered[pos:], w)
				if i < 0 {
					if missing++; missing <= 5 {
						t.Errorf("%s:%d: %q is not in the rendered page (after byte %d)", src, n+2, w, pos)
					}
					continue
				}
				pos += i + len(w)
			}
		}
		if strings.Count(string(b), "*")-2*strings.Count(string(b), "**") > 0 && !strings.Contains(rendered, "*") {
			t.Errorf("%s: the rendered page has no '*'", src)
		}
	}
}

// tlsgate.toml(5) lists every built-in term list and the default CPR
// keywords, with every pattern as the code has it.
func TestTermListsInPage(t *testing.T) {
	page := render(t, filepath.Join("..", "..", "packaging", "man", "tlsgate.toml.5"))
	flat := strings.Join(strings.Fields(page), " ")
	lists := rules.Default().TermLists()
	for _, cat := range rules.TermCategories() {
		for _, p := range lists[cat] {
			if !strings.Contains(flat, `"`+strings.Join(strings.Fields(p), " ")+`"`) {
				t.Errorf("tlsgate.toml(5) lacks %s pattern %q", cat, p)
			}
		}
	}
	for _, k := range rules.Default().CPR.Keywords {
		if !strings.Contains(flat, `"`+k+`"`) {
			t.Errorf("tlsgate.toml(5) lacks CPR keyword %q", k)
		}
	}
}

// No page names a path of the source tree: the reader has the package.
func TestNoSourcePaths(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "packaging", "man", "*.md"))
	files = append(files, filepath.Join("..", "..", "packaging", "tlsgate.toml"), filepath.Join("..", "..", "packaging", "tlsgate.service"),
		filepath.Join("..", "..", "packaging", "debian", "README.Debian"))
	source := regexp.MustCompile(`(^|[^A-Za-z/])(packaging|cmd|testdata|classify|rules|milter)/|\b[a-z_]+\.go\b|\bREADME\.md\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range source.FindAllString(string(b), -1) {
			t.Errorf("%s names the source path %q", f, m)
		}
	}
}
