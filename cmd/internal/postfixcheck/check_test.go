package postfixcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, mainFile, masterFile string) (map[string]string, []Service) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", mainFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ParseMain(f)
	if err != nil {
		t.Fatalf("%s: %v", mainFile, err)
	}
	g, err := os.Open(filepath.Join("testdata", masterFile))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	s, err := ParseMaster(g)
	if err != nil {
		t.Fatalf("%s: %v", masterFile, err)
	}
	return m, s
}

func input(m map[string]string, s []Service, v Version, milter string) Input {
	return Input{Main: m, Master: s, Version: v, Milter: milter,
		HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic", Root: "testdata"}
}

func TestCheck(t *testing.T) {
	v37, v310, v311 := Version{3, 7}, Version{3, 10}, Version{3, 11}
	const inet = "inet:127.0.0.1:8898"
	tests := []struct {
		name, main, master string
		version            Version
		milter             string
		// problems are substrings, one per expected problem, in order.
		problems []string
		notes    []string
	}{
		{name: "recipe on Postfix 3.7", main: "good.main", master: "good.master", version: v37, milter: inet},
		{name: "recipe on Postfix 3.10", main: "good.main", master: "good.master", version: v310, milter: inet,
			// postconf -n on 3.7 drops tls_required_enable (unused); the
			// same output on 3.10 means it is at its default, yes.
			problems: []string{"tls_required_enable: is yes (Postfix 3.10)"}},
		{name: "version unknown", main: "good.main", master: "good.master", milter: inet,
			notes: []string{"tls_required_enable: not set, and the Postfix version is unknown"}},
		{name: "other milter address", main: "good.main", master: "good.master", version: v37, milter: "inet:127.0.0.1:9999",
			problems: []string{"smtpd_milters: does not name tlsgate's socket inet:127.0.0.1:9999", "non_smtpd_milters: does not name"}},
		{name: "stock Debian", main: "debian-default.main", master: "debian-default.master", version: v37, milter: inet,
			problems: []string{
				"smtpd_milters: is empty",
				"non_smtpd_milters: is empty",
				"milter_header_checks: is empty",
				"smtp_tls_security_level: is may, not encrypt",
				`smtp_tls_mandatory_protocols: is ">=TLSv1", which allows TLSv1, TLSv1.1`,
				"master.cf smtp-tls-required: is missing",
				"master.cf smtp-tls-optional: is missing",
			},
			notes: []string{"message_reject_characters"}},
		{name: "broken main.cf", main: "broken-main.main", master: "good.master", version: v310, milter: inet,
			problems: []string{
				"non_smtpd_milters: is empty",
				"milter_default_action: is accept",
				"smtp_tls_security_level: is may",
				`smtp_tls_mandatory_protocols: is "!SSLv2, !SSLv3", which allows TLSv1, TLSv1.1`,
				"tls_required_enable: is yes",
			}},
		{name: "broken routes and per-milter quarantine", main: "broken-routes.main", master: "good.master", version: v37, milter: inet,
			problems: []string{
				"smtpd_milters (tlsgate's default_action): is quarantine",
				"non_smtpd_milters (tlsgate's default_action): is quarantine",
				`milter_header_checks: does not route "X-TLSGate-Policy: opportunistic": the matching rule says "WARN opportunistic"`,
			}},
		{name: "broken transports", main: "good.main", master: "broken.master", version: v37, milter: inet,
			problems: []string{
				"master.cf smtp-tls-required: delivers with smtp_tls_security_level=may",
				`master.cf smtp-tls-required: has smtp_tls_mandatory_protocols "TLSv1.1,TLSv1.2,TLSv1.3", which allows TLSv1.1`,
				"master.cf smtp-tls-required: has no smtp_header_checks",
				"master.cf smtp-tls-optional: is missing",
			}},
		{name: "unix socket in the spool, shutdown, dane-only", main: "unix-socket.main", master: "good.master", version: v311,
			milter: MilterAddress("unix:/var/spool/postfix/tlsgate/tlsgate.sock", ""),
			notes:  []string{"milter_default_action: is shutdown", "message_reject_characters"}},
		{name: "shutdown by default on 3.11", main: "broken-main.main", master: "good.master", version: v311, milter: inet,
			problems: []string{"non_smtpd_milters", "milter_default_action: is accept", "smtp_tls_security_level", "smtp_tls_mandatory_protocols", "tls_required_enable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, s := load(t, tt.main, tt.master)
			fs := Check(input(m, s, tt.version, tt.milter))
			var problems, notes []Finding
			for _, f := range fs {
				if f.Problem {
					problems = append(problems, f)
				} else {
					notes = append(notes, f)
				}
			}
			match := func(kind string, got []Finding, want []string) {
				t.Helper()
				if len(got) != len(want) {
					var b strings.Builder
					for _, f := range got {
						b.WriteString(f.String() + "\n")
					}
					t.Fatalf("got %d %s, want %d:\n%s", len(got), kind, len(want), b.String())
				}
				for i, w := range want {
					line := got[i].Setting + ": " + got[i].Text
					if !strings.Contains(line, w) {
						t.Errorf("%s %d:\n got %q\nwant it to contain %q", kind, i, line, w)
					}
				}
			}
			match("problems", problems, tt.problems)
			match("notes", notes, tt.notes)
			if got := Problems(fs); got != len(tt.problems) {
				t.Errorf("Problems() = %d, want %d", got, len(tt.problems))
			}
		})
	}
}

func TestWeakProtocols(t *testing.T) {
	tests := map[string]string{
		">=TLSv1.2":                        "",
		">=TLSv1":                          "TLSv1 TLSv1.1",
		"!SSLv2, !SSLv3":                   "TLSv1 TLSv1.1",
		"!SSLv2, !SSLv3, !TLSv1, !TLSv1.1": "",
		"TLSv1.2 TLSv1.3":                  "",
		"TLSv1.1:TLSv1.2":                  "TLSv1.1",
		"":                                 "SSLv2 SSLv3 TLSv1 TLSv1.1",
		"<=TLSv1.3 >=TLSv1.2":              "",
	}
	for in, want := range tests {
		if got := strings.Join(weakProtocols(in), " "); got != want {
			t.Errorf("weakProtocols(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMilterAddress(t *testing.T) {
	tests := map[string]string{
		"inet:127.0.0.1:8898":                          "inet:127.0.0.1:8898",
		"inet:0.0.0.0:8898":                            "inet:127.0.0.1:8898",
		"unix:/var/spool/postfix/tlsgate/tlsgate.sock": "unix:/tlsgate/tlsgate.sock",
		"unix:/run/tlsgate/tlsgate.sock":               "unix:/run/tlsgate/tlsgate.sock",
	}
	for in, want := range tests {
		if got := MilterAddress(in, ""); got != want {
			t.Errorf("MilterAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// What postfix-config prints passes postfix-check, for the default header
// and for a changed one.
func TestRecipePassesCheck(t *testing.T) {
	for _, h := range [][3]string{
		{"X-TLSGate-Policy", "require", "opportunistic"},
		{"X-Kommune-TLS", "tvungen", "frivillig"},
	} {
		const milter = "inet:127.0.0.1:8898"
		r := NewRecipe(milter, h[0], h[1], h[2])
		root := t.TempDir()
		for path, text := range map[string]string{r.HeaderChecksPath: r.HeaderChecks, r.StripPath: r.Strip} {
			p := filepath.Join(root, path)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m := map[string]string{}
		for _, kv := range r.Main {
			m[kv[0]] = kv[1]
		}
		svcs, err := ParseMaster(strings.NewReader(r.Master))
		if err != nil {
			t.Fatal(err)
		}
		in := Input{Main: m, Master: svcs, Version: Version{3, 10}, Milter: milter,
			HeaderName: h[0], Require: h[1], Opportunistic: h[2], Root: root}
		for _, f := range Check(in) {
			t.Errorf("header %v: %s", h, f)
		}
		var b strings.Builder
		if err := r.Write(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "postconf -e 'smtpd_milters = inet:127.0.0.1:8898'") {
			t.Errorf("output lacks the smtpd_milters line:\n%s", b.String())
		}
	}
}

// The snippets shipped in packaging/postfix (used by the end-to-end test)
// pass the check too.
func TestShippedSnippetsPass(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "packaging", "postfix")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	m, err := ParseMain(strings.NewReader(read("main.cf.example")))
	if err != nil {
		t.Fatal(err)
	}
	svcs, err := ParseMaster(strings.NewReader(read("master.cf.example")))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc", "postfix"), 0o755)
	for _, n := range []string{"tlsgate_milter_header_checks", "tlsgate_strip"} {
		os.WriteFile(filepath.Join(root, "etc", "postfix", n), []byte(read(n)), 0o644)
	}
	in := Input{Main: m, Master: svcs, Version: Version{3, 10}, Milter: "inet:127.0.0.1:8898",
		HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic", Root: root}
	for _, f := range Check(in) {
		t.Errorf("%s", f)
	}
}
