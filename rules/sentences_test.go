package rules

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/classify"
)

var updateSentences = flag.Bool("update", false, "rewrite testdata/sentences/RESULTS.md")

const sentenceDir = "../testdata/sentences"

// sentence is one line of a sentence set: its category (sensitive) or kind
// (harmless) and the text.
type sentence struct{ label, text string }

func readSentences(t *testing.T, name string) []sentence {
	t.Helper()
	f, err := os.Open(filepath.Join(sentenceDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sentence
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for n := 2; sc.Scan(); n++ {
		label, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok || label == "" || strings.TrimSpace(text) == "" {
			t.Fatalf("%s:%d: expected LABEL<tab>SENTENCE", name, n)
		}
		out = append(out, sentence{label, text})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// scanSentence sends s through the classifier as the body of a plain
// message, as a mail client writes it.
func scanSentence(c *classify.Classifier, s string) *classify.Result {
	msg := "Subject: Opfølgning\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\nHej\r\n\r\n" + s + "\r\n\r\nVenlig hilsen\r\n"
	return c.Scan(context.Background(), strings.NewReader(msg))
}

// tally counts hits out of n.
type tally struct{ hit, n int }

func (t tally) String() string {
	if t.n == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", t.hit, t.n, 100*float64(t.hit)/float64(t.n))
}

func (t tally) rate() float64 { return float64(t.hit) / float64(max(t.n, 1)) }

// measurement is what one term configuration does to one pair of sets: per
// category, the sensitive sentences whose category was found; per kind,
// the harmless sentences refused (anything found).
type measurement struct {
	caught, refused       map[string]tally
	allCaught, allRefused tally
	missed, falseRefused  []string
}

func measure(c *classify.Classifier, sens, harm []sentence) measurement {
	m := measurement{caught: map[string]tally{}, refused: map[string]tally{}}
	for _, s := range sens {
		tl := m.caught[s.label]
		tl.n++
		m.allCaught.n++
		if scanSentence(c, s.text).Terms[s.label] > 0 {
			tl.hit++
			m.allCaught.hit++
		} else {
			m.missed = append(m.missed, s.label+": "+s.text)
		}
		m.caught[s.label] = tl
	}
	for _, s := range harm {
		tl := m.refused[s.label]
		tl.n++
		m.allRefused.n++
		if r := scanSentence(c, s.text); !r.Clean() {
			tl.hit++
			m.allRefused.hit++
			m.falseRefused = append(m.falseRefused, fmt.Sprintf("%s %v: %s", s.label, r.Reasons(), s.text))
		}
		m.refused[s.label] = tl
	}
	return m
}

func classifierFor(t *testing.T, lists map[string][]string) *classify.Classifier {
	t.Helper()
	cfg := Default()
	cfg.Terms.Lists = lists
	p, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p.Classifier
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestSentencesMeasure(t *testing.T) {
	sens, harm := readSentences(t, "sensitive.tsv"), readSentences(t, "harmless.tsv")
	c := classifierFor(t, nil)
	m := measure(c, sens, harm)
	for _, k := range sortedKeys(m.caught) {
		t.Logf("%-12s %s", k, m.caught[k])
	}
	for _, k := range sortedKeys(m.refused) {
		t.Logf("%-12s refused %s", k, m.refused[k])
	}
	t.Logf("all caught %s, refused %s", m.allCaught, m.allRefused)
	for _, s := range m.missed {
		t.Logf("MISSED %s", s)
	}
	for _, s := range m.falseRefused {
		t.Logf("REFUSED %s", s)
	}
}
