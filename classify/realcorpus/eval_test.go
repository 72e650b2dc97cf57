package realcorpus

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tlsgate/tlsgate/rules"
)

const corpusDir = "../../testdata/real"

// label is one row of LABELS.tsv.
type label struct {
	file      string
	expect    string // refuse or grant
	reason    string // cpr, term:<category>, uninspectable or none
	technique string // format and place, e.g. xlsx-numfmt
	producer  string
}

func readTSV(t testing.TB, name string, cols int) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "#") {
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

func readLabels(t testing.TB) []label {
	t.Helper()
	var out []label
	for _, fs := range readTSV(t, "LABELS.tsv", 5) {
		l := label{fs[0], fs[1], fs[2], fs[3], fs[4]}
		if (l.expect == "grant") != (l.reason == "none") || (l.expect != "grant" && l.expect != "refuse") {
			t.Fatalf("LABELS.tsv: %s: expect %q with reason %q", l.file, l.expect, l.reason)
		}
		out = append(out, l)
	}
	return out
}

// known is a row of KNOWN_FAILURES.tsv: a file decided wrongly today, the
// helper whose part must change, and what is missing.
type known struct{ file, owner, note string }

func readKnown(t testing.TB) map[string]known {
	t.Helper()
	out := map[string]known{}
	for _, fs := range readTSV(t, "KNOWN_FAILURES.tsv", 3) {
		out[fs[0]] = known{fs[0], fs[1], fs[2]}
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

// decide runs one message the way the milter does: the Subject fields
// decide whether an opt-out was asked for and whether they forbid it; the
// classifier reads the whole message; rules.Decide applies the table.
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
		in.Scan = pol.Classifier.Scan(context.Background(), io.Reader(bytes.NewReader(raw)))
	}
	return pol.Decide(in)
}

// outcome is what happened to one labelled message.
type outcome struct {
	label
	verdict rules.Verdict
	reasons []string
	// alone, for a sensitive message decided wrongly, says whether the
	// classifier catches its payload (PAYLOADS.tsv) as plain text: if it
	// does, the reader of the place missed it; if not, the vocabulary or
	// the CPR scanner did.
	alone string
}

// ok reports whether the decision is the labelled one: a harmless message
// granted; a sensitive one refused for the labelled kind of reason (a CPR
// number read as a number, not only the keyword next to it; the labelled
// term category; a part that could not be read).
func (o outcome) ok() bool {
	if o.expect == "grant" {
		return o.verdict == rules.Granted
	}
	if o.verdict != rules.Refused {
		return false
	}
	for _, r := range o.reasons {
		switch {
		case o.reason == "cpr" && strings.HasPrefix(r, "cpr:"),
			o.reason == "uninspectable" && strings.HasPrefix(r, "uninspectable:"),
			strings.HasPrefix(o.reason, "term:") && r == o.reason:
			return true
		}
	}
	return false
}

func (o outcome) String() string {
	return fmt.Sprintf("%s: want %s (%s), got %s %v", o.file, o.expect, o.reason, o.verdict, o.reasons)
}

var (
	evalMu   sync.Mutex
	evalDone []outcome
)

// evaluate decides every labelled message once per test binary; the tests
// share the outcomes.
func evaluate(t testing.TB) []outcome {
	t.Helper()
	evalMu.Lock()
	defer evalMu.Unlock()
	if evalDone == nil {
		evalDone = evaluateAll(t)
	}
	return evalDone
}

func evaluateAll(t testing.TB) []outcome {
	t.Helper()
	pol := newPolicy(t)
	payloads := map[string]string{}
	for _, fs := range readTSV(t, "PAYLOADS.tsv", 2) {
		payloads[fs[0]] = fs[1]
	}
	var out []outcome
	for _, l := range readLabels(t) {
		raw, err := os.ReadFile(filepath.Join(corpusDir, l.file))
		if err != nil {
			t.Fatal(err)
		}
		d := decide(t, pol, raw)
		o := outcome{label: l, verdict: d.Verdict, reasons: wire(d.Reasons)}
		if p, ok := payloads[l.file]; ok && !o.ok() {
			alone := outcome{label: l, verdict: rules.Refused, reasons: wire(pol.Classifier.ScanText(p).Reasons())}
			o.alone = "the text alone is missed too"
			if alone.ok() {
				o.alone = "the text alone is caught"
			}
		}
		out = append(out, o)
	}
	return out
}

// wire gives reason codes in their wire form ("cpr:2", "term:health"),
// whether the decision holds them as strings or as typed codes with a
// String method.
func wire[T any](rs []T) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprint(r)
	}
	return out
}
