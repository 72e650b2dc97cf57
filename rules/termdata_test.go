package rules

import (
	"strings"
	"testing"
)

// TestDefaultTerms checks that the embedded lists cover every category a
// sender can be told about, hold the person cues, and compile.
func TestDefaultTerms(t *testing.T) {
	for cat := range categoryNames {
		if cat == "cpr" {
			continue
		}
		if len(DefaultTerms[cat]) == 0 {
			t.Errorf("category %s: no built-in terms", cat)
		}
	}
	if len(DefaultTerms["person"]) == 0 {
		t.Errorf("no person cues")
	}
	if _, err := Compile(Default()); err != nil {
		t.Fatal(err)
	}
}

func TestParseTermFile(t *testing.T) {
	got, err := parseTermFile([]byte("# comment\n\n  løn*  \n~race\n!race condition\n"))
	if err != nil || strings.Join(got, "|") != "løn*|~race|!race condition" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := parseTermFile([]byte("ok\nbad*middle*x\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad pattern: error %v, want one naming line 2", err)
	}
}

// TestTermsConfigContext checks that a site can add weak terms, exceptions
// and cues, and that a weak or exception person cue is refused.
func TestTermsConfigContext(t *testing.T) {
	cfg := Default()
	cfg.Terms.Add = map[string][]string{"health": {"~hovedpine*", "!hovedpinevej"}, "person": {"vagten"}}
	p, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]bool{
		"Vagten har hovedpine igen.":   true,
		"Hovedpine er et ord.":         false,
		"Levering til Hovedpinevej 3.": false,
	} {
		if got := p.Classifier.ScanText(in).Terms["health"] > 0; got != want {
			t.Errorf("%q: health %v, want %v", in, got, want)
		}
	}
	cfg.Terms.Add = map[string][]string{"person": {"~han"}}
	if _, err := Compile(cfg); err == nil {
		t.Errorf("a weak person cue compiled")
	}
}
