package rules

import (
	"strconv"
	"strings"
	"testing"
)

func policyOf(t *testing.T, src string) *Policy {
	t.Helper()
	cfg, err := Parse("test.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The rules digest changes with anything that can change a decision, and
// only with that: not with the label, the log level or how the file is
// written.
func TestRulesDigest(t *testing.T) {
	base := policyOf(t, "").Version()
	if len(base) != digestLetters || strings.Trim(base, "abcdefghijklmnop") != "" {
		t.Fatalf("digest %q: want %d letters a-p", base, digestLetters)
	}
	same := map[string]string{
		"label":           `rules_version = "2026-11"`,
		"log level":       "[log]\nlevel = \"debug\"",
		"default spelt":   "optout_tags = [\"[unsecure]\"]\n[limits]\nmax_parts = 1000",
		"add then remove": "[terms]\nadd = { health = [\"frokost\"] }\nremove = { health = [\"frokost\"] }",
	}
	for name, src := range same {
		if got := policyOf(t, src).Version(); got != base {
			t.Errorf("%s: digest %s, want the default's %s", name, got, base)
		}
	}
	differ := map[string]string{
		"added term":     "[terms]\nadd = { health = [\"frokost\"] }",
		"removed term":   "[terms]\nremove = { health = [" + strconv.Quote(Default().TermLists()["health"][0]) + "] }",
		"cpr keyword":    "[cpr]\nkeywords = [\"cpr\"]",
		"tag":            `optout_tags = ["[usikker]"]`,
		"limit":          "[limits]\nmax_parts = 999",
		"images":         "[content]\nimages = \"ignore\"",
		"refused action": `refused_action = "reject"`,
		"trusted net":    `trusted_networks = ["127.0.0.0/8", "::1/128", "10.0.0.0/8"]`,
		"encrypted":      "[content]\nencrypted = \"refuse\"",
	}
	seen := map[string]string{base: "default"}
	for name, src := range differ {
		got := policyOf(t, src).Version()
		if prev, ok := seen[got]; ok {
			t.Errorf("%s: digest %s is the same as %s's", name, got, prev)
		}
		seen[got] = name
	}
	if l := policyOf(t, `rules_version = "2026-11"`).Label(); l != "2026-11" {
		t.Errorf("label %q", l)
	}
}
