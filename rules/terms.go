package rules

import (
	"sort"
	"strings"
)

// categoryNames gives each category in the words a sender reads: Danish
// first, then English.
var categoryNames = map[string][2]string{
	"cpr":        {"CPR-nummer", "CPR number"},
	"health":     {"helbredsoplysninger", "health data"},
	"union":      {"fagforeningsforhold", "trade-union membership"},
	"ethnicity":  {"etnisk oprindelse", "ethnic origin"},
	"politics":   {"politisk overbevisning", "political opinions"},
	"religion":   {"religion eller livssyn", "religious beliefs"},
	"sexlife":    {"seksuelle forhold", "sex life or orientation"},
	"biometric":  {"biometriske data", "biometric data"},
	"genetic":    {"genetiske data", "genetic data"},
	"criminal":   {"strafbare forhold", "criminal records"},
	"income":     {"indkomst eller løn", "income or salary"},
	"debt":       {"gæld", "debts"},
	"employment": {"ansættelsesforhold", "employment matters"},
	"social":     {"sociale forhold", "social welfare matters"},
}

// TermCategories lists the built-in categories, sorted.
func TermCategories() []string {
	cats := make([]string, 0, len(DefaultTerms))
	for c := range DefaultTerms {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	return cats
}

// TermLists returns the effective term lists: built-ins, replaced by
// terms.lists, then edited by terms.add and terms.remove. The CPR keywords
// form the "cpr" category.
func (c *Config) TermLists() map[string][]string {
	out := make(map[string][]string, len(DefaultTerms)+1)
	for cat, l := range DefaultTerms {
		out[cat] = append([]string(nil), l...)
	}
	for cat, l := range c.Terms.Lists {
		out[cat] = append([]string(nil), l...)
	}
	for cat, l := range c.Terms.Add {
		out[cat] = append(out[cat], l...)
	}
	for cat, l := range c.Terms.Remove {
		drop := make(map[string]bool, len(l))
		for _, p := range l {
			drop[strings.ToLower(p)] = true
		}
		kept := out[cat][:0]
		for _, p := range out[cat] {
			if !drop[strings.ToLower(p)] {
				kept = append(kept, p)
			}
		}
		out[cat] = kept
	}
	out["cpr"] = append(out["cpr"], c.CPR.Keywords...)
	return out
}
