package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tlsgate/tlsgate/classify"
)

func TestDecideContentEncrypted(t *testing.T) {
	enc := &classify.Result{ContentEncrypted: true}
	encTerm := &classify.Result{ContentEncrypted: true, Terms: map[string]int{"health": 1}}
	tests := []struct {
		name string
		src  string
		in   Input
		want Decision
	}{
		{"grant by default", "", Input{Tagged: true, Scan: enc},
			Decision{Verdict: Granted, Reasons: classify.ParseCodes([]string{"content-encrypted"})}},
		{"term in subject still refuses", "", Input{Tagged: true, Scan: encTerm},
			Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"term:health"})}},
		{"subject problem still refuses", "", Input{Tagged: true, Scan: enc, SubjectProblems: []classify.Reason{classify.SubjectMultiple}},
			Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"subject:multiple"})}},
		{"refuse", "[content]\nencrypted = \"refuse\"", Input{Tagged: true, Scan: enc},
			Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"uninspectable:content-encrypted"})}},
		{"untagged", "", Input{Scan: enc}, Decision{Verdict: Require}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPolicy(t, tc.src)
			if diff := cmp.Diff(tc.want, p.Decide(tc.in)); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Parse("bad.toml", "[content]\nencrypted = \"maybe\""); err == nil {
		t.Error(`content.encrypted = "maybe": no error`)
	}
}
