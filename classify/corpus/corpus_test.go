package corpus

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/rules"
)

var update = flag.Bool("update", false, "write the recall table to testdata/corpus/RESULTS.md")

const corpusDir = "../../testdata/corpus"

// maxFP is the goal for false positives on negatives (issue 3).
const maxFP = 0.02

type label struct {
	file, class, expect string
}

func readLabels(t *testing.T) []label {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "LABELS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 3 {
			t.Fatalf("LABELS.tsv: bad line %q", sc.Text())
		}
		out = append(out, label{fs[0], fs[1], fs[2]})
	}
	return out
}

func newClassifier(t testing.TB) *classify.Classifier {
	t.Helper()
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	return pol.Classifier
}

func scanFile(t *testing.T, c *classify.Classifier, name string) *classify.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return c.Scan(context.Background(), bytes.NewReader(b))
}

func caught(reasons []string, prefix string) bool {
	for _, r := range reasons {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

type tally struct{ n, ok int }

func TestCorpus(t *testing.T) {
	c := newClassifier(t)
	labels := readLabels(t)
	byClass := map[string]*tally{}
	var neg tally
	var misses, fps []string
	for _, l := range labels {
		res := scanFile(t, c, l.file)
		reasons := res.Reasons()
		if l.class == "negative" {
			neg.n++
			if res.Clean() {
				neg.ok++
			} else {
				fps = append(fps, fmt.Sprintf("%s: %v", l.file, reasons))
			}
			continue
		}
		tl := byClass[l.class]
		if tl == nil {
			tl = &tally{}
			byClass[l.class] = tl
		}
		tl.n++
		if caught(reasons, l.expect) {
			tl.ok++
		} else {
			misses = append(misses, fmt.Sprintf("%s: want %s, got %v", l.file, l.expect, reasons))
		}
	}
	table := recallTable(byClass, neg)
	t.Log("\n" + table)
	if *update {
		if err := os.WriteFile(filepath.Join(corpusDir, "RESULTS.md"), []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range misses {
		t.Errorf("missed %s", m)
	}
	for _, f := range fps {
		t.Logf("false positive %s", f)
	}
	if neg.n < 100 {
		t.Errorf("only %d negatives, want at least 100", neg.n)
	}
	if fp := float64(neg.n-neg.ok) / float64(neg.n); fp > maxFP {
		t.Errorf("false-positive rate %.1f%% > %.0f%%", 100*fp, 100*maxFP)
	}
	for class, tl := range byClass {
		if tl.n < 5 {
			t.Errorf("technique %s: %d positives, want at least 5", class, tl.n)
		}
	}
}

// recallTable renders the results as a Markdown table.
func recallTable(byClass map[string]*tally, neg tally) string {
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var b strings.Builder
	b.WriteString("| technique | caught | recall |\n|---|---:|---:|\n")
	pos, ok := 0, 0
	for _, c := range classes {
		tl := byClass[c]
		pos += tl.n
		ok += tl.ok
		fmt.Fprintf(&b, "| %s | %d/%d | %.0f%% |\n", c, tl.ok, tl.n, 100*float64(tl.ok)/float64(tl.n))
	}
	fmt.Fprintf(&b, "| **all positives** | %d/%d | %.1f%% |\n", ok, pos, 100*float64(ok)/float64(pos))
	fmt.Fprintf(&b, "\nFalse positives: %d of %d negatives (%.1f%%, goal ≤ %.0f%%).\n",
		neg.n-neg.ok, neg.n, 100*float64(neg.n-neg.ok)/float64(max(neg.n, 1)), 100*maxFP)
	return b.String()
}
