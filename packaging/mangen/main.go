// Command mangen turns tlsgate's man page sources, packaging/man/*.md, into
// roff man pages beside them (tlsgate.8.md → tlsgate.8). The pages are
// committed; the test in this directory fails when they are out of date.
//
//	go run ./packaging/mangen            # from the repository root
//
// The source is a small markdown subset, written for this purpose:
//
//	% tlsgate 8 "2026-11-23" "tlsgate" "System Manager's Manual"
//	# SECTION            → .SH
//	## Subsection        → .SS
//	paragraph text       → .PP (consecutive lines join)
//	- item               → .IP \(bu 2
//	term
//	: definition         → .TP (a line starting with ": " defines the line before)
//	```                  → .nf/.fi literal block, \f(CW
//	**bold** _italic_ `code` inline; any other character, '*' included, is
//	                     printed as it is (term patterns such as "cpr-nummer*").
//	{{builtin-terms}}    → the built-in term lists, from package rules
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tlsgate/tlsgate/rules"
)

func main() {
	dir := flag.String("dir", "packaging/man", "`directory` holding the *.md sources")
	flag.Parse()
	if err := generateDir(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

func generateDir(dir string) error {
	srcs, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		return fmt.Errorf("no *.md in %s", dir)
	}
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		out, err := Convert(Expand(string(b)))
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		if err := os.WriteFile(strings.TrimSuffix(src, ".md"), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// text converts one line of running text with inline markup: **bold**,
// _italic_ (underscores at the edges of a word only, so that max_parts
// stays as it is) and `code`. Every other character is kept; a single '*'
// is never markup.
func text(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if inner, n, font := span(s, i); n > 0 {
			b.WriteString(font + escape(inner) + `\fR`)
			i += n
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escape(s[i : i+n]))
		i += n
	}
	return line(b.String())
}

// span recognises markup starting at s[i]: its inner text, its length in
// s and the font to set (n is 0 when there is none).
func span(s string, i int) (inner string, n int, font string) {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "**"):
		if j := strings.Index(rest[2:], "**"); j > 0 {
			return rest[2 : 2+j], j + 4, `\fB`
		}
	case rest[0] == '`':
		if j := strings.IndexByte(rest[1:], '`'); j > 0 {
			return rest[1 : 1+j], j + 2, `\fB`
		}
	case rest[0] == '_' && (i == 0 || !isWord(s[i-1])):
		for j := 2; j < len(rest); j++ {
			if rest[j] == '_' && rest[j-1] != ' ' && rest[1] != ' ' && (j+1 == len(rest) || !isWord(rest[j+1])) {
				return rest[1:j], j + 1, `\fI`
			}
		}
	}
	return "", 0, ""
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// escape makes text safe for roff: backslashes, hyphens written as minus
// signs (options and paths must copy and paste as ASCII), and letters
// beyond ASCII (æ, ø, å) as \[uXXXX], which every groff reads whatever
// the page's encoding is taken to be.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case r > 0x7e:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// line protects a line that roff would take as a request.
func line(s string) string {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		return `\&` + s
	}
	return s
}

// Expand replaces the placeholders of a source with text generated from
// the code, so that the page cannot drift from it: {{builtin-terms}} (one
// definition per built-in term category) and {{cpr-keywords}} (the
// default CPR keywords as a TOML list).
func Expand(src string) string {
	var terms strings.Builder
	lists := rules.Default().TermLists()
	for i, cat := range rules.TermCategories() {
		if i > 0 {
			terms.WriteString("\n")
		}
		fmt.Fprintf(&terms, "**%s**\n: %s\n", cat, quoted(lists[cat]))
	}
	src = strings.ReplaceAll(src, "{{builtin-terms}}\n", terms.String())
	return strings.ReplaceAll(src, "{{cpr-keywords}}", "["+quoted(rules.Default().CPR.Keywords)+"]")
}

// quoted writes a list of patterns as TOML strings.
func quoted(l []string) string {
	q := make([]string, len(l))
	for i, p := range l {
		q[i] = strconv.Quote(p)
	}
	return strings.Join(q, ", ")
}

// Convert turns one markdown source into a roff man page.
func Convert(src string) ([]byte, error) {
	var b bytes.Buffer
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "% ") {
		return nil, fmt.Errorf(`first line must be: %% NAME SECTION "DATE" "SOURCE" "MANUAL"`)
	}
	b.WriteString(".\\\" Generated by packaging/mangen from the .md file beside it; do not edit.\n")
	fmt.Fprintf(&b, ".TH %s\n", strings.TrimPrefix(lines[0], "% "))
	inPara := false
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "```"):
			b.WriteString(".PP\n.RS 4\n.nf\n\\f(CW\n")
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
				b.WriteString(line(escape(lines[i])) + "\n")
			}
			b.WriteString("\\fR\n.fi\n.RE\n")
			inPara = false
		case strings.HasPrefix(l, "## "):
			fmt.Fprintf(&b, ".SS %s\n", escape(strings.TrimPrefix(l, "## ")))
			inPara = false
		case strings.HasPrefix(l, "# "):
			fmt.Fprintf(&b, ".SH %s\n", escape(strings.ToUpper(strings.TrimPrefix(l, "# "))))
			inPara = false
		case strings.TrimSpace(l) == "":
			inPara = false
		case strings.HasPrefix(l, "- "):
			b.WriteString(".IP \\(bu 2\n" + text(strings.TrimPrefix(l, "- ")) + "\n")
			inPara = true
		case i+1 < len(lines) && strings.HasPrefix(lines[i+1], ": "):
			b.WriteString(".TP\n" + text(l) + "\n" + text(strings.TrimPrefix(lines[i+1], ": ")) + "\n")
			i++
			inPara = true
		default:
			if !inPara {
				b.WriteString(".PP\n")
				inPara = true
			}
			b.WriteString(text(strings.TrimSpace(l)) + "\n")
		}
	}
	return b.Bytes(), nil
}
