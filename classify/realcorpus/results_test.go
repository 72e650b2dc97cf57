package realcorpus

import (
	"fmt"
	"strings"
)

// tally counts messages and those decided right.
type tally struct{ n, ok int }

func (t *tally) add(ok bool) {
	t.n++
	if ok {
		t.ok++
	}
}

func (t tally) String() string { return fmt.Sprintf("%d/%d", t.ok, t.n) }

func (t tally) failRate() float64 {
	if t.n == 0 {
		return 0
	}
	return float64(t.n-t.ok) / float64(t.n)
}

func (t tally) failString() string {
	return fmt.Sprintf("%d/%d (%.1f%%)", t.n-t.ok, t.n, 100*t.failRate())
}

// results renders RESULTS.md: totals, then caught/total for sensitive
// messages and refused/total for harmless ones, per technique and producer,
// per producer and per reason kind, and the messages decided wrongly.
func results(outs []outcome) string {
	var b strings.Builder
	var pos, neg tally
	type key struct{ tech, prod string }
	rows := map[key]*[2]tally{}
	byProd := map[string]*[2]tally{}
	byReason := map[string]*tally{}
	for _, o := range outs {
		i := 0
		if o.expect == "grant" {
			i = 1
			neg.add(o.ok())
		} else {
			pos.add(o.ok())
			if byReason[o.reason] == nil {
				byReason[o.reason] = &tally{}
			}
			byReason[o.reason].add(o.ok())
		}
		k := key{o.technique, o.producer}
		if rows[k] == nil {
			rows[k] = &[2]tally{}
		}
		rows[k][i].add(o.ok())
		if byProd[o.producer] == nil {
			byProd[o.producer] = &[2]tally{}
		}
		byProd[o.producer][i].add(o.ok())
	}
	b.WriteString("# Real-producer corpus: results\n\n")
	b.WriteString("Written by `go test ./classify/realcorpus -run TestRealCorpus -update`; see README.md.\n")
	b.WriteString("Default rules, decided as the daemon decides (Subject, classifier, decision table).\n\n")
	fmt.Fprintf(&b, "- Sensitive messages caught for the labelled reason: **%s** (%.1f%%)\n", pos, 100*(1-pos.failRate()))
	fmt.Fprintf(&b, "- Harmless messages refused: **%s** (goal at most %.0f%%)\n\n", neg.failString(), 100*maxFalseRefusals)
	b.WriteString("## Per technique and producer\n\n| technique | producer | caught | harmless refused |\n|---|---|---:|---:|\n")
	keys := make([]string, 0, len(rows))
	index := map[string]key{}
	for k := range rows {
		s := k.tech + "\x00" + k.prod
		keys = append(keys, s)
		index[s] = k
	}
	for _, s := range sortedStrings(keys) {
		k, r := index[s], rows[index[s]]
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", k.tech, k.prod, cell(r[0], false), cell(r[1], true))
	}
	b.WriteString("\n## Per producer\n\n| producer | caught | harmless refused |\n|---|---:|---:|\n")
	for _, p := range sortedKeys(byProd) {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", p, cell(byProd[p][0], false), cell(byProd[p][1], true))
	}
	b.WriteString("\n## Per reason kind\n\n| reason | caught |\n|---|---:|\n")
	for _, r := range sortedKeys(byReason) {
		fmt.Fprintf(&b, "| %s | %s |\n", r, byReason[r])
	}
	b.WriteString("\n## Decided wrongly\n\n")
	n := 0
	for _, o := range outs {
		if !o.ok() {
			n++
			fmt.Fprintf(&b, "- `%s`: want %s (%s), got %s", o.file, o.expect, o.reason, strings.Join(append([]string{string(o.verdict)}, o.reasons...), " "))
			if o.alone != "" {
				fmt.Fprintf(&b, " (%s)", o.alone)
			}
			b.WriteString("\n")
		}
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	return b.String()
}

func cell(t tally, harmless bool) string {
	if t.n == 0 {
		return ""
	}
	if harmless {
		return fmt.Sprintf("%d/%d", t.n-t.ok, t.n)
	}
	return t.String()
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
