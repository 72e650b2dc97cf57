package rules

import (
	"crypto/sha256"
	"encoding/json"
	"sort"
)

// digestLetters is how many letters of the rules digest are kept: 48 bits,
// plenty to tell rule sets apart.
const digestLetters = 12

// digest names the effective rules: everything that can change a decision
// (term lists with the CPR keywords, opt-out tags, limits, content
// handling, refused_action, trusted networks), hashed with SHA-256. Two
// audit records with the same digest were decided by the same rules,
// whatever the files looked like. The nibbles are written as the letters
// a to p, so the digest never holds a run of digits that a log scan for
// CPR numbers would stop at.
func digest(c *Config) string {
	terms := c.TermLists()
	for cat, l := range terms {
		l = append([]string(nil), l...)
		sort.Strings(l)
		terms[cat] = l
	}
	b, err := json.Marshal(struct {
		Terms           map[string][]string
		OptOutTags      []string
		Limits          LimitsConfig
		Content         ContentConfig
		RefusedAction   string
		TrustedNetworks []string
	}{terms, c.OptOutTags, c.Limits, c.Content, c.RefusedAction, c.TrustedNetworks})
	if err != nil {
		panic(err) // plain strings and numbers always marshal
	}
	sum := sha256.Sum256(b)
	out := make([]byte, digestLetters)
	for i := range out {
		n := sum[i/2] >> 4
		if i%2 == 1 {
			n = sum[i/2] & 0xf
		}
		out[i] = 'a' + n
	}
	return string(out)
}
