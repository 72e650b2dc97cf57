package holdout

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tlsgate/tlsgate/rules"
)

// round is one held-out corpus, each written after the one before it was
// measured (and then no longer held out), in a directory of its own.
type round struct{ dir, title string }

var rounds = []round{
	{"../../testdata/holdout", "Held-out corpus"},
	{"../../testdata/holdout2", "Second held-out corpus"},
	{"../../testdata/holdout3", "Third held-out corpus"},
}

// label is one row of LABELS.tsv.
type label struct {
	file      string
	expect    string // refuse or grant
	kind      string // cpr, term:<category>, uninspectable or none
	technique string // the place and form, e.g. xlsx-numfmt-dash
	producer  string
}

func readTSV(t testing.TB, dir, name string, cols int) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	sc.Scan() // header
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != cols {
			t.Fatalf("%s: want %d columns: %q", name, cols, sc.Text())
		}
		out = append(out, fs)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readLabels(t testing.TB, dir string) []label {
	t.Helper()
	var out []label
	for _, fs := range readTSV(t, dir, "LABELS.tsv", 5) {
		l := label{fs[0], fs[1], fs[2], fs[3], fs[4]}
		if (l.expect == "grant") != (l.kind == "none") || (l.expect != "grant" && l.expect != "refuse") {
			t.Fatalf("LABELS.tsv: %s: expect %q with kind %q", l.file, l.expect, l.kind)
		}
		out = append(out, l)
	}
	return out
}

func newPolicy(t testing.TB) *rules.Policy {
	t.Helper()
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// decide runs one message the way the milter does: the Subject fields say
// whether an opt-out was asked for; the classifier reads the whole
// message; rules.Decide applies the decision table.
func decide(t testing.TB, pol *rules.Policy, raw []byte) rules.Decision {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	var subjects []rules.Subject
	for _, v := range m.Header["Subject"] {
		subjects = append(subjects, rules.ParseSubject(v, pol.Config.OptOutTags))
	}
	in := rules.Input{}
	in.Tagged, in.SubjectProblems = rules.SubjectInput(subjects)
	if in.Tagged && len(in.SubjectProblems) == 0 {
		in.Scan = pol.Classifier.Scan(context.Background(), bytes.NewReader(raw))
	}
	return pol.Decide(in)
}

// outcome is what happened to one labelled message.
type outcome struct {
	label
	verdict rules.Verdict
	reasons []string
	// alone, for a sensitive message let through, says whether the
	// classifier catches the payload (PAYLOADS.tsv) given as plain text:
	// if it does, the reader of the place missed it; if not, the
	// vocabulary or the CPR scanner did.
	alone string
}

// right reports whether the verdict is the labelled one: a harmless message
// granted, a sensitive one refused.
func (o outcome) right() bool {
	if o.expect == "grant" {
		return o.verdict == rules.Granted
	}
	return o.verdict == rules.Refused
}

// forLabel reports whether a refusal of a sensitive message names the
// labelled kind: a CPR number read as a number, the labelled term
// category, or (for a part that cannot be read) an uninspectable part or a
// CPR number.
func (o outcome) forLabel() bool {
	if o.expect != "refuse" || o.verdict != rules.Refused {
		return false
	}
	for _, r := range o.reasons {
		switch {
		case o.kind == "cpr" && strings.HasPrefix(r, "cpr:"),
			o.kind == "uninspectable" && (strings.HasPrefix(r, "uninspectable:") || strings.HasPrefix(r, "cpr:")),
			strings.HasPrefix(o.kind, "term:") && r == o.kind:
			return true
		}
	}
	return false
}

var (
	evalMu   sync.Mutex
	evalDone = map[string][]outcome{}
)

// evaluate decides every labelled message of the corpus in dir once per
// test binary.
func evaluate(t testing.TB, dir string) []outcome {
	t.Helper()
	evalMu.Lock()
	defer evalMu.Unlock()
	if evalDone[dir] == nil {
		evalDone[dir] = evaluateAll(t, dir)
	}
	return evalDone[dir]
}

func evaluateAll(t testing.TB, dir string) []outcome {
	t.Helper()
	pol := newPolicy(t)
	payloads := map[string]string{}
	for _, fs := range readTSV(t, dir, "PAYLOADS.tsv", 2) {
		payloads[fs[0]] = fs[1]
	}
	var out []outcome
	for _, l := range readLabels(t, dir) {
		raw, err := os.ReadFile(filepath.Join(dir, l.file))
		if err != nil {
			t.Fatal(err)
		}
		d := decide(t, pol, raw)
		o := outcome{label: l, verdict: d.Verdict, reasons: wire(d.Reasons)}
		if p, ok := payloads[l.file]; ok && o.expect == "refuse" && !o.forLabel() {
			alone := outcome{label: l, verdict: rules.Refused, reasons: wire(pol.Classifier.ScanText(p).Reasons())}
			o.alone = "missed as plain text too"
			if alone.forLabel() {
				o.alone = "caught as plain text"
			}
		}
		out = append(out, o)
	}
	return out
}

// wire gives reason codes in their wire form ("cpr:2", "term:health"),
// whether the decision holds strings or typed codes with a String method.
func wire[T any](rs []T) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprint(r)
	}
	return out
}
