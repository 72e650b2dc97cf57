package rules

import (
	"crypto/sha256"
	"encoding/json"
	"sort"
)

// digestLetters is how many letters of the rules digest are kept: 48 bits,
// plenty to tell rule sets apart.
const digestLetters = 12

// digest names the effective rules: everything that can change a decision,
// hashed with SHA-256: the effective term lists (built-in lists with the
// site's edits and the CPR keywords) and every setting of the
// configuration except those that only say where things go (sockets, log,
// audit file, metrics, notice, header names, the Sendmail channel and its
// secret) and the label. A setting added later counts unless it is listed
// here as not deciding. Two audit records with the same digest were
// decided by the same rules, whatever the files looked like. The nibbles
// are written as the letters a to p, so the digest never holds a run of
// digits that a log scan for CPR numbers would stop at.
func digest(c *Config) string {
	terms := c.TermLists()
	for cat, l := range terms {
		l = append([]string(nil), l...)
		sort.Strings(l)
		terms[cat] = l
	}
	deciding := *c
	deciding.Listen, deciding.RulesVersion = "", ""
	deciding.Server, deciding.Log, deciding.Audit = ServerConfig{}, LogConfig{}, AuditConfig{}
	deciding.Metrics, deciding.Notice, deciding.Header = MetricsConfig{}, NoticeConfig{}, HeaderConfig{}
	deciding.Sendmail = SendmailConfig{}
	deciding.Terms, deciding.CPR = TermsConfig{}, CPRConfig{} // in terms, as their effect
	b, err := json.Marshal(struct {
		Terms  map[string][]string
		Config Config
	}{terms, deciding})
	if err != nil {
		panic(err) // plain strings, numbers and durations always marshal
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
