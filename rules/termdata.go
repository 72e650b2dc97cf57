package rules

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"path"
	"strings"
)

// termFiles are the built-in term lists, one file per category
// (terms/health.txt is the category health). See terms/README.txt for the
// format and the sources.
//
//go:embed terms/*.txt
var termFiles embed.FS

// DefaultTerms are the built-in sensitive-term lists, Danish and English, one
// per GDPR art. 9 category plus the kinds of personal data the Danish data
// protection authority treats as confidential (income, debt, employment
// matters, social cases, criminal records, CPR), read from the embedded
// files terms/*.txt. See TermsConfig for the pattern syntax.
var DefaultTerms = mustLoadTerms()

func mustLoadTerms() map[string][]string {
	m, err := loadTerms(termFiles)
	if err != nil {
		panic(err) // the files are part of the program; a test reads them
	}
	return m
}

// loadTerms reads every terms/*.txt in fsys except README.txt.
func loadTerms(fsys embed.FS) (map[string][]string, error) {
	names, err := fsys.ReadDir("terms")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, e := range names {
		cat, ok := strings.CutSuffix(e.Name(), ".txt")
		if !ok || e.Name() == "README.txt" {
			continue
		}
		b, err := fsys.ReadFile(path.Join("terms", e.Name()))
		if err != nil {
			return nil, err
		}
		l, err := parseTermFile(b)
		if err != nil {
			return nil, fmt.Errorf("terms/%s: %w", e.Name(), err)
		}
		out[cat] = l
	}
	return out, nil
}

// parseTermFile reads one list: a pattern per line; blank lines and lines
// starting with '#' are skipped.
func parseTermFile(b []byte) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if err := checkPattern(l); err != nil {
			return nil, fmt.Errorf("line %d: pattern %q: %w", n, l, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}
