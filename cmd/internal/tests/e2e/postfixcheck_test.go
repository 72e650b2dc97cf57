package e2e

import (
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/postfixcheck"
)

// postfixCheck runs postfix-check's checks against the running test
// instance, which the subtests of TestPostfix prove keeps every guarantee,
// and wants exactly the problems listed (substrings): none while tlsgate
// runs, the probe's once it is stopped.
func (e *env) postfixCheck(problems ...string) func(t *testing.T) {
	return func(t *testing.T) {
		in := postfixcheck.Input{Listen: "inet:" + e.daemon.Addr, HeaderName: "X-TLSGate-Policy",
			Require: "require", Opportunistic: "opportunistic", Probe: postfixcheck.ProbeMilter}
		if err := (postfixcheck.Postconf{Dir: e.pf.confDir}).Read(&in); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range postfixcheck.Check(in) {
			if f.Level == postfixcheck.Problem {
				got = append(got, f.String())
			}
		}
		if len(got) != len(problems) {
			t.Fatalf("got %d problems, want %d:\n%s", len(got), len(problems), strings.Join(got, "\n"))
		}
		for i, w := range problems {
			if !strings.Contains(got[i], w) {
				t.Errorf("problem %d: got %s, want %s", i, got[i], w)
			}
		}
	}
}
