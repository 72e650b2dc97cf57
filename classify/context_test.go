package classify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var contextTerms = map[string][]string{
	"income":       {"~løn", "~*løn", "!lønsom*", "lønseddel*"},
	"ethnicity":    {"~race", "!race condition"},
	"health":       {"*sygehus*", "!sygehusvej*", "sygemeldt"},
	CategoryPerson: {"han", "hun", "he", "medarbejderen*", "mette", "mettes", "=lars", "=anna", "=jensen", "+er", "+har", "^mod"},
}

func TestContext(t *testing.T) {
	c, err := New(Options{Terms: contextTerms})
	if err != nil {
		t.Fatal(err)
	}
	far := strings.Repeat("x ", contextWindow)
	tests := []struct {
		in   string
		want map[string]int
	}{
		{"Mettes løn er 40.000 kr.", map[string]int{"income": 1}},
		{"Lønnen: han får løn den 25.", map[string]int{"income": 1}},              // cue before
		{"Den nye løn gælder for hende, siger hun.", map[string]int{"income": 1}}, // cue after
		{"Den nye løn gælder fra marts.", nil},                                    // no cue: fail closed means not counted
		{"løn", nil},
		{"løn " + far + "hun", nil}, // cue beyond the window
		{"hun " + far + "løn", nil},
		{"hun har en høj årsløn", map[string]int{"income": 1}},
		{"projektet er lønsomt for medarbejderen", nil},                // not a match of ~løn at all
		{"Vedhæftet lønseddel for marts", map[string]int{"income": 1}}, // strong
		{"There is a race condition, he says.", nil},                   // exception vetoes
		{"He won the race.", map[string]int{"ethnicity": 1}},
		{"he, race; condition", map[string]int{"ethnicity": 1}}, // punctuation: no phrase
		{"Levering til Sygehusvej 12", nil},
		{"Han er indlagt på sygehuset", map[string]int{"health": 1}},
		{"Sygehusvej og sygehuset", map[string]int{"health": 1}},
		{"sygemeldt", map[string]int{"health": 1}},
		// A name is a cue only with a verb right after it.
		{"Lars er glad for sin løn", map[string]int{"income": 1}},
		{"Anna Jensen har fået ny løn", map[string]int{"income": 1}}, // a run of names
		{"Hej Lars. Den nye løn gælder fra marts.", nil},             // greeting
		{"Den nye løn gælder fra marts. Anna Jensen", nil},           // signature
		{"Den nye løn gælder fra marts. Lars, er du med?", nil},      // comma: no verb after the name
		{"Den nye løn. Hvem er Lars?", nil},                          // verb before the name
		{"løn " + far + "Lars er", nil},                              // beyond the window
		{"Lars er " + strings.Repeat("x ", 25) + "løn", map[string]int{"income": 1}},
		{"løn " + strings.Repeat("x ", 28) + "Anna Jensen har", map[string]int{"income": 1}}, // the held match waits for it
		{"Krav om løn mod Lars", map[string]int{"income": 1}},                                // a linking word before the name
		{"Krav om løn mod, Lars", nil},
		{"Krav om løn, mod Karsten", nil}, // not a listed name
	}
	for _, tc := range tests {
		if got := c.ScanText(tc.in).Terms; !cmp.Equal(tc.want, got) {
			t.Errorf("ScanText(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestContextChunks checks that the decision does not depend on how the
// text is cut into writes.
func TestContextChunks(t *testing.T) {
	c, err := New(Options{Terms: contextTerms})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Mettes løn er høj", "race condition og løn uden nogen", "hun fik race condition", "Sygehusvej 2, hun", "løn og Anna Jensen har", "Hej Lars, løn"} {
		whole := c.ScanText(s).Terms
		for cut := 1; cut < len(s); cut++ {
			res := &Result{}
			ts := newTextScanner(c.m, res)
			ts.WriteString(s[:cut])
			ts.WriteString(s[cut:])
			ts.end()
			if !cmp.Equal(whole, res.Terms) {
				t.Errorf("%q cut at %d: %v, whole %v", s, cut, res.Terms, whole)
			}
		}
	}
}

// TestContextBounded checks that a long run of weak terms holds at most
// maxHeld matches and that overflow counts (fail closed).
func TestContextBounded(t *testing.T) {
	c, err := New(Options{Terms: contextTerms})
	if err != nil {
		t.Fatal(err)
	}
	// Four patterns match each "a": more matches than maxHeld fall
	// within one window.
	dense, err := New(Options{Terms: map[string][]string{"x": {"~a", "~*a", "~a*", "~*a*"}, CategoryPerson: {"han"}}})
	if err != nil {
		t.Fatal(err)
	}
	res := &Result{}
	ts := newTextScanner(dense.m, res)
	ts.WriteString(strings.Repeat("a ", 10*maxHeld))
	if len(ts.ctx.held) > maxHeld {
		t.Errorf("%d matches held, limit %d", len(ts.ctx.held), maxHeld)
	}
	ts.end()
	if res.Terms["x"] == 0 {
		t.Errorf("overflowing weak terms were dropped, want counted")
	}
	// Spread out, each leaves the window before the next: nothing held
	// for long, nothing counted.
	res = &Result{}
	ts = newTextScanner(c.m, res)
	ts.WriteString(strings.Repeat("løn "+strings.Repeat("x", 200)+" ", 100))
	if len(ts.ctx.held) > 2 { // "~løn" and "~*løn" of the last one
		t.Errorf("%d matches held after their window", len(ts.ctx.held))
	}
	ts.end()
	if len(res.Terms) != 0 {
		t.Errorf("uncued weak terms counted: %v", res.Terms)
	}
}

func TestContextPatternErrors(t *testing.T) {
	for _, terms := range []map[string][]string{
		{CategoryPerson: {"~han"}},
		{CategoryPerson: {"!han"}},
		{"x": {"~"}},
		{"x": {"!*"}},
	} {
		if _, err := New(Options{Terms: terms}); err == nil {
			t.Errorf("New(%v): no error", terms)
		}
	}
}

// FuzzContext checks, for the context terms, that the findings do not
// depend on how the text is cut into writes, and that appending a new
// paragraph never removes a finding (monotonicity; an exception can only
// complete across a paragraph break if the paragraph starts with its
// words, which the fixed suffix does not).
func FuzzContext(f *testing.F) {
	for _, s := range []string{"Mettes løn er høj", "race condition og løn", "hun fik race condition", "Sygehusvej 2, hun",
		"løn løn løn han", "han " + strings.Repeat("x", 70) + " løn", "sygehus\u00advej"} {
		f.Add(s, uint16(3))
	}
	c, err := New(Options{Terms: contextTerms})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, cut uint16) {
		whole := c.ScanText(s).Terms
		n := int(cut) % (len(s) + 1)
		res := &Result{}
		ts := newTextScanner(c.m, res)
		ts.WriteString(s[:n])
		ts.WriteString(s[n:])
		ts.end()
		if !cmp.Equal(whole, res.Terms) {
			t.Fatalf("%q cut at %d: %v, whole %v", s, n, res.Terms, whole)
		}
		grown := c.ScanText(s + "\n\nTak for i dag.").Terms
		for cat := range whole {
			if grown[cat] == 0 {
				t.Fatalf("%q: %s found, lost after a new paragraph (%v)", s, cat, grown)
			}
		}
	})
}
