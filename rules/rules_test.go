package rules

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tlsgate/tlsgate/classify"
)

func TestStripTag(t *testing.T) {
	tags := []string{"[unsecure]"}
	tests := []struct {
		in, out string
		found   bool
		err     error
	}{
		{"Hello", "Hello", false, nil},
		{"[unsecure] lunch", "lunch", true, nil},
		{"Re: [unsecure] x", "Re: x", true, nil},
		{"[UNSECURE]lunch", "lunch", true, nil},
		{"lunch [Unsecure]", "lunch", true, nil},
		{"[unsecure] a [unsecure] b", "a b", true, nil},
		{"=?UTF-8?Q?=5Bunsec?= =?UTF-8?Q?ure=5D?= hej", "hej", true, nil},
		{"=?UTF-8?B?W3Vuc2VjdXJlXSBmcm9rb3N0?=", "frokost", true, nil},
		{"[unsecure] =?UTF-8?Q?m=C3=B8de?=", "=?utf-8?q?m=C3=B8de?=", true, nil},
		{"[unsecure]\n\tfolded\n line", "folded line", true, nil},
		{"[unsecure]", "", true, nil},
		{"[unsecure", "[unsecure", false, nil},
		{"unsecure", "unsecure", false, nil},
		{"[unsecure] =?x-klingon?Q?abc?=", "=?x-klingon?Q?abc?=", true, ErrUndecodable},
		{"[unsecure] write =?utf-8?q?x?= literally", "write x literally", true, nil},
	}
	for _, tc := range tests {
		out, found, err := StripTag(tc.in, tags)
		if out != tc.out || found != tc.found || err != tc.err {
			t.Errorf("StripTag(%q) = %q, %v, %v; want %q, %v, %v", tc.in, out, found, err, tc.out, tc.found, tc.err)
		}
	}
}

func mustPolicy(t *testing.T, src string) *Policy {
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

func TestDecide(t *testing.T) {
	p := mustPolicy(t, "")
	clean := &classify.Result{}
	cpr := &classify.Result{CPR: 2}
	attach := &classify.Result{Uninspectable: map[classify.Reason]int{classify.UninspectableAttachment: 1}}
	tests := []struct {
		name string
		in   Input
		want Decision
	}{
		{"no tag", Input{}, Decision{Verdict: Require}},
		{"no tag, sensitive", Input{Scan: cpr}, Decision{Verdict: Require}},
		{"tag, clean", Input{Tagged: true, Scan: clean}, Decision{Verdict: Granted}},
		{"tag, cpr", Input{Tagged: true, Scan: cpr}, Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"cpr:2"})}},
		{"tag, attachment", Input{Tagged: true, Scan: attach}, Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"uninspectable:attachment"})}},
		{"tag, not scanned", Input{Tagged: true}, Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"error:not-scanned"})}},
		{"tag, two subjects", Input{Tagged: true, Scan: clean, SubjectProblems: []classify.Reason{classify.SubjectMultiple}}, Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"subject:multiple"})}},
		{"tag, size", Input{Tagged: true, Scan: clean, Errors: []classify.Reason{classify.LimitSize}}, Decision{Verdict: Refused, Reasons: classify.ParseCodes([]string{"limit:size"})}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, p.Decide(tc.in)); diff != "" {
			t.Errorf("%s: Decide (-want +got):\n%s", tc.name, diff)
		}
	}
	r := mustPolicy(t, `refused_action = "reject"`)
	if d := r.Decide(Input{Tagged: true, Scan: cpr}); !d.Reject {
		t.Errorf("reject mode: Decide = %+v, want Reject", d)
	}
	if d := r.Decide(Input{Tagged: true, Scan: clean}); d.Reject || d.Verdict != Granted {
		t.Errorf("reject mode, clean: Decide = %+v, want granted", d)
	}
}

func TestOutbound(t *testing.T) {
	p := mustPolicy(t, `trusted_networks = ["127.0.0.0/8", "10.1.0.0/16", "2001:db8::/32"]`)
	tests := []struct {
		auth, addr string
		want       bool
	}{
		{"", "127.0.0.1", true},
		{"", "10.1.2.3", true},
		{"", "::ffff:10.1.2.3", true},
		{"", "2001:db8::1", true},
		{"", "10.2.0.1", false},
		{"", "", false},
		{"alice", "192.0.2.1", true},
	}
	for _, tc := range tests {
		a, _ := netip.ParseAddr(tc.addr)
		if got := p.Outbound(tc.auth, a); got != tc.want {
			t.Errorf("Outbound(%q, %q) = %v, want %v", tc.auth, tc.addr, got, tc.want)
		}
	}
}

func TestExplain(t *testing.T) {
	p := mustPolicy(t, "")
	da, en := p.Explain(classify.ParseCodes([]string{"cpr:1", "term:health", "uninspectable:attachment"}))
	for _, want := range []string{"CPR-nummer", "helbredsoplysninger", "ikke kunne kontrolleres", "[unsecure]"} {
		if !strings.Contains(da, want) {
			t.Errorf("Danish explanation %q lacks %q", da, want)
		}
	}
	for _, want := range []string{"CPR number", "health data", "could not be checked"} {
		if !strings.Contains(en, want) {
			t.Errorf("English explanation %q lacks %q", en, want)
		}
	}
	for _, s := range []string{da, en} {
		for _, r := range s {
			if r > 126 || r == '%' {
				t.Errorf("explanation has %q, not allowed in an SMTP reply: %s", r, s)
			}
		}
	}
}

func TestBadConfigs(t *testing.T) {
	tests := []struct{ src, want string }{
		{`listen = "tcp:1"`, `bad.toml:1: listen: expected inet:HOST:PORT or unix:/path, got "tcp:1"`},
		{`refused_action = "bounce"`, `bad.toml:1: refused_action: expected "enforce" or "reject", got "bounce"`},
		{"\n\nfrobnicate = 1", `bad.toml:3: frobnicate: unknown key`},
		{"[limits]\nmax_depth = 0", `bad.toml:2: limits.max_depth: expected 1 to 100, got 0`},
		{"[limits]\nscan_timeout = \"soon\"", `bad.toml`},
		{`trusted_networks = ["10.0.0.0/33"]`, `trusted_networks: expected an address or CIDR network`},
		{"[header]\nname = \"X Bad\"", `bad.toml:2: header.name: expected a header field name`},
		{"[terms.remove]\nnosuch = [\"x\"]", `bad.toml:2: terms.remove.nosuch: unknown category "nosuch"`},
		{"[terms.add]\nhealth = [\"a*b\"]", `terms.add.health: pattern "a*b"`},
		{"listen = ", `bad.toml:1:`},
		{"[metrics]\nlisten = \"0.0.0.0:9898\"", `bad.toml:2: metrics.listen: expected a loopback address (127.0.0.1, [::1] or localhost), got "0.0.0.0"`},
		{"[metrics]\nlisten = \"9898\"", `bad.toml:2: metrics.listen: expected HOST:PORT`},
		{"[notice]\nsmtp = \"localhost\"", `bad.toml:2: notice.smtp: expected HOST:PORT of the local MTA such as "127.0.0.1:25", got "localhost"`},
		{"[notice]\nfrom = \"Post Master <pm@x.dk>\"", `bad.toml:2: notice.from: expected a plain address`},
	}
	for _, tc := range tests {
		_, err := Parse("bad.toml", tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", tc.src, err, tc.want)
		}
	}
	// Every problem is reported, not just the first.
	_, err := Parse("bad.toml", "refused_action = \"x\"\nbogus = 1\n[log]\nlevel = \"loud\"")
	var ce *ConfigError
	if !asConfigError(err, &ce) || len(ce.Problems) != 3 {
		t.Errorf("three problems: got %v", err)
	}
}

func asConfigError(err error, ce **ConfigError) bool {
	c, ok := err.(*ConfigError)
	*ce = c
	return ok
}

func TestSplitListen(t *testing.T) {
	tests := []struct{ in, network, addr string }{
		{"inet:127.0.0.1:8898", "tcp", "127.0.0.1:8898"},
		{"inet:[::1]:8898", "tcp", "[::1]:8898"},
		{"inet:localhost:0", "tcp", "localhost:0"},
		{"unix:/run/tlsgate/tlsgate.sock", "unix", "/run/tlsgate/tlsgate.sock"},
	}
	for _, tc := range tests {
		n, a, err := SplitListen(tc.in)
		if err != nil || n != tc.network || a != tc.addr {
			t.Errorf("SplitListen(%q) = %q, %q, %v", tc.in, n, a, err)
		}
	}
}
