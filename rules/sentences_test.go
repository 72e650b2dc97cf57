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

// Greetings and signatures for scanSentence: real mail names its reader
// and its writer, and those names must not make the words between them
// about a person.
var (
	greetings  = []string{"Hej Lars", "Kære Mette", "Hi Peter", "Hej Anne", "Dear Sarah", "Hej alle", "Hej Jens og Birgitte"}
	signatures = []string{"Med venlig hilsen\r\nAnna Jensen\r\nHR-afdelingen", "Mvh\r\nSøren Nielsen", "Best regards\r\nJohn Smith",
		"Venlig hilsen\r\n\r\nKaren Hansen\r\nTlf. 33 12 34 56", "/Michael"}
)

// scanSentence sends s through the classifier as the body of a plain
// message, as a mail client writes it: the i-th greeting, s, the i-th
// signature.
func scanSentence(c *classify.Classifier, s string, i int) *classify.Result {
	msg := "Subject: Opfølgning\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + greetings[i%len(greetings)] + "\r\n\r\n" + s + "\r\n\r\n" +
		signatures[i%len(signatures)] + "\r\n"
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
	for i, s := range sens {
		tl := m.caught[s.label]
		tl.n++
		m.allCaught.n++
		if scanSentence(c, s.text, i).Terms[s.label] > 0 {
			tl.hit++
			m.allCaught.hit++
		} else {
			m.missed = append(m.missed, s.label+": "+s.text)
		}
		m.caught[s.label] = tl
	}
	for i, s := range harm {
		tl := m.refused[s.label]
		tl.n++
		m.allRefused.n++
		if r := scanSentence(c, s.text, i); !r.Clean() {
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

// Gates on the design sets (issue 10): recall per category and false
// refusals overall. The held-out sets were written after the vocabulary
// was frozen; their figures are published, not gated.
const (
	minRecall       = 0.98
	maxFalseRefusal = 0.02
)

// variant is a way of using the shipped term lists, for the comparison in
// RESULTS.md.
type variant struct {
	name string
	edit func(pattern string) (string, bool) // the pattern to use, or drop
}

var variants = []variant{
	{"lists only (every term strong, no exceptions)", func(p string) (string, bool) {
		return strings.TrimPrefix(p, "~"), !strings.HasPrefix(p, "!")
	}},
	{"lists + exceptions", func(p string) (string, bool) { return strings.TrimPrefix(p, "~"), true }},
	{"lists + exceptions + context (shipped)", func(p string) (string, bool) { return p, true }},
}

func (v variant) lists() map[string][]string {
	out := map[string][]string{}
	for cat, l := range DefaultTerms {
		for _, p := range l {
			if q, ok := v.edit(p); ok {
				out[cat] = append(out[cat], q)
			}
		}
	}
	return out
}

// TestSentences runs the sentence sets through the classifier with the
// shipped rules, gates the design sets, and checks that
// testdata/sentences/RESULTS.md is current (-update rewrites it).
func TestSentences(t *testing.T) {
	design := measure(classifierFor(t, nil), readSentences(t, "sensitive.tsv"), readSentences(t, "harmless.tsv"))
	holdout := measure(classifierFor(t, nil), readSentences(t, "sensitive-holdout.tsv"), readSentences(t, "harmless-holdout.tsv"))
	for _, cat := range sortedKeys(design.caught) {
		if r := design.caught[cat].rate(); r < minRecall {
			t.Errorf("%s: recall %s, want >= %.0f%%", cat, design.caught[cat], 100*minRecall)
		}
	}
	if r := design.allRefused.rate(); r > maxFalseRefusal {
		t.Errorf("false refusals %s, want <= %.0f%%", design.allRefused, 100*maxFalseRefusal)
	}
	if t.Failed() || os.Getenv("TLSGATE_SENTENCES_VERBOSE") != "" {
		for _, s := range design.missed {
			t.Logf("missed %s", s)
		}
		for _, s := range design.falseRefused {
			t.Logf("refused %s", s)
		}
	}
	var vs [][2]measurement
	for _, v := range variants {
		c := classifierFor(t, v.lists())
		vs = append(vs, [2]measurement{
			measure(c, readSentences(t, "sensitive.tsv"), readSentences(t, "harmless.tsv")),
			measure(c, readSentences(t, "sensitive-holdout.tsv"), readSentences(t, "harmless-holdout.tsv")),
		})
	}
	got := resultsTable(design, holdout, vs)
	path := filepath.Join(sentenceDir, "RESULTS.md")
	if *updateSentences {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Errorf("%s is not current; run go test ./rules -run TestSentences -update", path)
	}
}

// heldOutRounds are the held-out figures of the earlier rounds, each
// measured once at its freeze, before its sentences joined the design
// sets. The current round's held-out sets are measured live below.
var heldOutRounds = []struct{ round, sets, caught, refused string }{
	{"1", "130 + 130, bare sentences", "104/130 (80.0%)", "5/130 (3.8%)"},
	{"2", "134 + 125", "111/134 (82.8%)", "9/125 (7.2%)"},
	{"3", "151 + 157, styles round 2 did not cover", "109/151 (72.2%)", "12/157 (7.6%)"},
	{"4", "155 + 153", "133/155 (85.8%)", "8/153 (5.2%)"},
	{"5", "153 + 152", "131/153 (85.6%)", "2/152 (1.3%)"},
	{"6", "154 + 150, shorter sentences", "140/154 (90.9%)", "3/150 (2.0%)"},
	{"7", "154 + 153, short and medium sentences", "147/154 (95.5%)", "1/153 (0.7%)"},
}

func resultsTable(design, holdout measurement, vs [][2]measurement) string {
	var b strings.Builder
	b.WriteString("# Sentence sets: results\n\n" +
		"Written by `go test ./rules -run TestSentences -update`; the test fails when this file is not current.\n" +
		"Each sentence is sent through the classifier with the shipped default rules as the body of a plain\n" +
		"message between a greeting and a signature that name people (\"Hej Lars\", \"Anna Jensen\"). A sensitive sentence counts as caught when its own category is found; a harmless one as\n" +
		"refused when anything is found. The design sets were used to build the vocabulary and are gated\n" +
		"(recall >= 98% per category, false refusals <= 2%); the held-out sets were written after it was\n" +
		"frozen, measured once, and are reported only. Each round's held-out sets then joined the design\n" +
		"sets and new held-out sets were written after the next freeze:\n\n" +
		"| round | held-out sets | caught at its freeze | refused at its freeze |\n|---|---|---:|---:|\n")
	for _, r := range heldOutRounds {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.round, r.sets, r.caught, r.refused)
	}
	b.WriteString("\nRound 2 labelled two sentences harmless that are health data about a person (\"Peter er syg i dag,\n" +
		"så mødet flyttes\", \"Jeg har ondt i hovedet af al den støj\"); they joined the design sets as health.\n" +
		"Each round was measured once, at its freeze, before any list changed.\n" +
		"\nThe tables below measure the shipped lists on the design sets and on the latest held-out sets.\n\n" +
		"| category | design: caught | held out: caught |\n|---|---:|---:|\n")
	for _, cat := range sortedKeys(design.caught) {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", cat, design.caught[cat], holdout.caught[cat])
	}
	fmt.Fprintf(&b, "| **all** | %s | %s |\n\n", design.allCaught, holdout.allCaught)
	b.WriteString("| harmless kind | design: refused | held out: refused |\n|---|---:|---:|\n")
	kinds := map[string]bool{}
	for k := range design.refused {
		kinds[k] = true
	}
	for k := range holdout.refused {
		kinds[k] = true
	}
	for _, k := range sortedKeys(kinds) {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", k, design.refused[k], holdout.refused[k])
	}
	fmt.Fprintf(&b, "| **all** | %s | %s |\n\n", design.allRefused, holdout.allRefused)
	b.WriteString("## Alternatives measured\n\nThe shipped lists used three ways (see classify/context.go).\n\n" +
		"| variant | design: caught | design: refused | held out: caught | held out: refused |\n|---|---:|---:|---:|---:|\n")
	for i, v := range variants {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", v.name, vs[i][0].allCaught, vs[i][0].allRefused, vs[i][1].allCaught, vs[i][1].allRefused)
	}
	b.WriteString("\n## Held out: misses and false refusals\n\n")
	for _, s := range holdout.missed {
		fmt.Fprintf(&b, "- missed %s\n", s)
	}
	for _, s := range holdout.falseRefused {
		fmt.Fprintf(&b, "- refused %s\n", s)
	}
	return b.String()
}

// TestSentencesMonotone checks, with the shipped rules, that a caught
// sentence stays caught with a harmless paragraph before or after it:
// context (a cue must be near a weak term) and exceptions (a phrase
// around a term vetoes it) are decided within a sentence's reach, so
// unrelated text cannot undo a finding.
func TestSentencesMonotone(t *testing.T) {
	c := classifierFor(t, nil)
	harm := append(readSentences(t, "harmless.tsv"), readSentences(t, "harmless-holdout.tsv")...)
	for i, s := range append(readSentences(t, "sensitive.tsv"), readSentences(t, "sensitive-holdout.tsv")...) {
		if scanSentence(c, s.text, i).Terms[s.label] == 0 {
			continue
		}
		h := harm[(i*7)%len(harm)].text
		for _, grown := range []string{h + "\r\n\r\n" + s.text, s.text + "\r\n\r\n" + h, s.text + " " + h} {
			if scanSentence(c, grown, i).Terms[s.label] == 0 {
				t.Errorf("%s lost in %q", s.label, grown)
			}
		}
	}
}
