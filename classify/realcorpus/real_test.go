package realcorpus

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false,
	"rewrite testdata/real/RESULTS.md and drop from KNOWN_FAILURES.tsv the files now decided right (it never adds any)")

// maxFalseRefusals is the bar of issue 10 for harmless messages refused.
const maxFalseRefusals = 0.02

// TestRealCorpus decides every message and holds each to its label, except
// the files listed in KNOWN_FAILURES.tsv; a listed file that is now decided
// right must leave the list, so the list only shrinks. RESULTS.md must be
// the table this run produces. go test -update rewrites RESULTS.md and
// removes the fixed files from the list.
func TestRealCorpus(t *testing.T) {
	outs := evaluate(t)
	kn := readKnown(t)
	var fixed []string
	for _, o := range outs {
		k, listed := kn[o.file]
		switch {
		case !o.ok() && !listed:
			t.Errorf("wrong decision, not in KNOWN_FAILURES.tsv: %s", o)
		case o.ok() && listed && *update:
			fixed = append(fixed, o.file)
		case o.ok() && listed:
			t.Errorf("%s is decided right now: remove it from KNOWN_FAILURES.tsv (-update does; %s: %s)", o.file, k.owner, k.note)
		}
		delete(kn, o.file)
	}
	if len(fixed) > 0 {
		dropKnown(t, fixed)
		t.Logf("removed %d fixed files from KNOWN_FAILURES.tsv", len(fixed))
	}
	for f := range kn {
		t.Errorf("KNOWN_FAILURES.tsv lists %s, which LABELS.tsv does not", f)
	}
	checkResults(t, results(outs))
}

// TestRealGate is the bar itself: recall 100% on every technique, at most
// 2% of harmless messages refused. While KNOWN_FAILURES.tsv is not empty the
// gate is red by admission: the test reports and skips (TestRealCorpus keeps
// the list exact).
func TestRealGate(t *testing.T) {
	outs := evaluate(t)
	var problems []string
	byTech := map[string]*tally{}
	var harmless tally
	for _, o := range outs {
		if o.expect == "grant" {
			harmless.add(o.ok())
			continue
		}
		tl := byTech[o.technique]
		if tl == nil {
			tl = &tally{}
			byTech[o.technique] = tl
		}
		tl.add(o.ok())
	}
	for _, tech := range sortedKeys(byTech) {
		if tl := byTech[tech]; tl.ok < tl.n {
			problems = append(problems, "recall "+tl.String()+" on "+tech)
		}
	}
	if fr := harmless.failRate(); fr > maxFalseRefusals {
		problems = append(problems, "harmless refused "+harmless.failString())
	}
	if len(problems) == 0 {
		return
	}
	report := strings.Join(problems, "\n")
	if n := len(readKnown(t)); n > 0 {
		t.Skipf("gate red, %d known failures (KNOWN_FAILURES.tsv):\n%s", n, report)
	}
	t.Errorf("gate:\n%s", report)
}

// TestLabelsCoverCorpus: every .eml is labelled, every label has a file,
// and the corpus is as broad as issue 10 asks.
func TestLabelsCoverCorpus(t *testing.T) {
	labels := readLabels(t)
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range files {
		have[filepath.Base(f)] = true
	}
	harmlessBy := map[string]int{}
	for _, l := range labels {
		if !have[l.file] {
			t.Errorf("LABELS.tsv lists %s, which is missing", l.file)
		}
		delete(have, l.file)
		if l.expect == "grant" {
			harmlessBy[l.producer]++
		}
	}
	for f := range have {
		t.Errorf("%s is not in LABELS.tsv", f)
	}
	if len(labels) < 220 {
		t.Errorf("%d messages, want at least 220", len(labels))
	}
	for _, p := range []string{"libreoffice", "python-docx", "openpyxl", "xlsxwriter", "reportlab", "pypdf",
		"ghostscript", "tesseract", "pandoc", "outlook", "thunderbird", "web"} {
		if harmlessBy[p] == 0 {
			t.Errorf("no harmless message from %s", p)
		}
	}
}

func checkResults(t *testing.T, table string) {
	t.Helper()
	path := filepath.Join(corpusDir, "RESULTS.md")
	if *update {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(old) != table {
		t.Errorf("testdata/real/RESULTS.md is out of date: go test ./classify/realcorpus -run TestRealCorpus -update")
	}
}

// dropKnown removes files from KNOWN_FAILURES.tsv, keeping every other
// line as it is.
func dropKnown(t *testing.T, files []string) {
	t.Helper()
	path := filepath.Join(corpusDir, "KNOWN_FAILURES.tsv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	drop := map[string]bool{}
	for _, f := range files {
		drop[f] = true
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		name, _, _ := strings.Cut(line, "\t")
		if !drop[name] {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
