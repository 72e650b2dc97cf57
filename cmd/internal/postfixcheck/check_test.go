package postfixcheck

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	inetListen = "inet:127.0.0.1:8898"
	spoolSock  = "unix:/var/spool/postfix/tlsgate/tlsgate.sock"
	runSock    = "unix:/run/tlsgate/tlsgate.sock"
)

// checkCase is one main.cf/master.cf pair under testdata/cases and what
// Check must say about it.
type checkCase struct {
	dir     string
	listen  string  // tlsgate's listen; inetListen when empty
	version Version // 3.7 when zero
	down    bool    // nothing answers at the milter address
	// problems and warnings are substrings of the findings' lines, in
	// order, one per finding.
	problems, warnings []string
}

var checkCases = []checkCase{
	// Good configurations: one per check.
	{dir: "good"},
	{dir: "good-dkim-after-tlsgate"},
	{dir: "good-unix-socket", listen: spoolSock},
	{dir: "good-content-filter"},
	{dir: "good-postscreen"},
	{dir: "good-policy-map"},
	{dir: "good-milter-map"},
	{dir: "good-transport-map"},
	{dir: "good-postfix-3.10", version: Version{3, 10}},

	// The broken variants of issue 11, each alone on top of "good".
	{dir: "submission-dkim-only", problems: []string{
		`PROBLEM master.cf submission/inet -o smtpd_milters: is "inet:localhost:8891", which does not reach tlsgate at inet:127.0.0.1:8898: mail received on port 587 (submission/inet) leaves without tlsgate's decision: fix: postconf -P 'submission/inet/smtpd_milters=inet:127.0.0.1:8898, inet:localhost:8891'`}},
	{dir: "submission-milters-empty", problems: []string{
		`PROBLEM master.cf submission/inet -o smtpd_milters: is empty: mail received on port 587 (submission/inet) leaves without tlsgate's decision: fix: postconf -P 'submission/inet/smtpd_milters=inet:127.0.0.1:8898'`}},
	{dir: "submission-no-milters", problems: []string{
		`PROBLEM master.cf submission/inet -o receive_override_options: contains no_milters: mail received by submission/inet skips every milter`}},
	{dir: "main-no-milters", problems: []string{
		`PROBLEM main.cf receive_override_options: contains no_milters: mail received by every service that does not override it skips every milter and leaves without tlsgate's decision: fix: postconf -e 'receive_override_options = '`}},
	{dir: "smtp-transport-may", problems: []string{
		`PROBLEM master.cf smtp/unix -o smtp_tls_security_level: is may, not encrypt: mail can leave without TLS on smtp/unix, a transport for mail that never passed tlsgate (for instance released from hold): fix: postconf -PX 'smtp/unix/smtp_tls_security_level'`}},
	{dir: "relay-transport-none", problems: []string{
		`PROBLEM master.cf relay/unix -o smtp_tls_security_level: is none, not encrypt`}},
	{dir: "policy-map-may", problems: []string{
		`PROBLEM main.cf smtp_tls_policy_maps: texthash:/etc/postfix/tls_policy: the entry "example.org may" lets mail to it leave without TLS (may), overriding encrypt on smtp/unix, relay/unix, smtp-tls-required/unix: fix: change the entry to encrypt (or delete it) in /etc/postfix/tls_policy, then postmap it`}},
	{dir: "dkim-before-tlsgate", problems: []string{
		`PROBLEM main.cf smtpd_milters: inet:localhost:8891 (OpenDKIM) comes before tlsgate for mail received over SMTP: each milter sees the message as the earlier ones left it, so a DKIM signature made before tlsgate removes the [unsecure] tag from the Subject no longer verifies (receivers with DMARC p=reject drop the mail); tlsgate must be first: fix: postconf -e 'smtpd_milters = inet:127.0.0.1:8898, inet:localhost:8891'`,
		`PROBLEM main.cf non_smtpd_milters: inet:localhost:8891 (OpenDKIM) comes before tlsgate for mail not received over SMTP`}},
	{dir: "content-filter", problems: []string{
		`PROBLEM main.cf smtpd_milters: names tlsgate, but mail received over SMTP goes to the content filter amavis:[127.0.0.1]:10024 first: tlsgate's FILTER action replaces content_filter, so that mail silently skips the filter: fix: postconf -e 'smtpd_milters = ', and add tlsgate to the re-injection smtpd after the filter`,
		`PROBLEM main.cf non_smtpd_milters: names tlsgate, but mail not received over SMTP goes`,
		`PROBLEM master.cf: smtp/inet, submission/inet, pickup/unix hand mail to a content filter, but no service that receives it back passes it to tlsgate`}},
	{dir: "content-filter-amavis-recipe", problems: []string{
		`PROBLEM main.cf smtpd_milters: names tlsgate, but mail received over SMTP goes`,
		`PROBLEM main.cf non_smtpd_milters: names tlsgate, but mail not received over SMTP goes`,
		`PROBLEM master.cf 127.0.0.1:10025/inet -o receive_override_options: contains no_milters: mail received by 127.0.0.1:10025/inet skips every milter and leaves without tlsgate's decision: fix: postconf -P '127.0.0.1:10025/inet/receive_override_options=no_unknown_recipient_checks,no_header_body_checks'`,
		`PROBLEM master.cf: smtp/inet, submission/inet, pickup/unix hand mail to a content filter`}},
	{dir: "milter-down", down: true, problems: []string{
		`PROBLEM milter inet:127.0.0.1:8898: nothing answers the milter protocol there (connection refused)`}},
	{dir: "required-tls10", problems: []string{
		`PROBLEM master.cf smtp-tls-required/unix -o smtp_tls_mandatory_protocols: is ">=TLSv1", which allows TLSv1, TLSv1.1 where TLS is required; a receiver could negotiate a broken protocol (mail tlsgate marked require): fix: postconf -P 'smtp-tls-required/unix/smtp_tls_mandatory_protocols=>=TLSv1.2'`}},
	{dir: "default-action-accept", problems: []string{
		`PROBLEM main.cf milter_default_action: is accept: when tlsgate is down or slow, mail is accepted without a routing header and leaves by the default transport; use tempfail so clients retry: fix: postconf -e 'milter_default_action = tempfail'`}},
	{dir: "per-milter-accept", problems: []string{
		`PROBLEM main.cf smtpd_milters (tlsgate's default_action): is accept`,
		`PROBLEM main.cf non_smtpd_milters (tlsgate's default_action): is accept`}},
	{dir: "submission-accept", problems: []string{
		`PROBLEM master.cf submission/inet -o milter_default_action: is accept`}},
	{dir: "run-socket", listen: runSock, problems: []string{
		`PROBLEM master.cf smtp/inet: runs chrooted in /var/spool/postfix, where tlsgate's socket unix:/run/tlsgate/tlsgate.sock does not exist: mail received over SMTP gets "451 4.7.1" (or skips tlsgate, with milter_default_action accept): fix: put tlsgate's socket inside the queue directory: listen = "unix:/var/spool/postfix/tlsgate/tlsgate.sock" and smtpd_milters = unix:/tlsgate/tlsgate.sock`,
		`PROBLEM master.cf submission/inet: runs chrooted`,
		`PROBLEM master.cf cleanup/unix: runs chrooted`}},
	{dir: "duplicate-transport", problems: []string{
		`PROBLEM master.cf smtp-tls-required/unix: is defined 2 times`}},
	{dir: "missing-transports", problems: []string{
		`PROBLEM master.cf smtp-tls-required/unix: is missing: mail tlsgate marked require stays deferred ("mail transport unavailable"): fix: postconf -M 'smtp-tls-required/unix=smtp-tls-required unix - - n - - smtp'; postconf -P 'smtp-tls-required/unix/smtp_tls_security_level=encrypt'`,
		`PROBLEM master.cf smtp-tls-optional/unix: is missing`}},
	{dir: "header-checks-require-only", problems: []string{
		`PROBLEM main.cf milter_header_checks: does not route "X-TLSGate-Policy: opportunistic": the matching rule says "WARN opportunistic", so such mail leaves by the default transport`}},
	{dir: "global-tls-may", problems: []string{
		`PROBLEM main.cf smtp_tls_security_level: is may, not encrypt: mail can leave without TLS: fix: postconf -e 'smtp_tls_security_level = encrypt'`}},
	{dir: "global-protocols-default", problems: []string{
		`PROBLEM main.cf smtp_tls_mandatory_protocols (default): is ">=TLSv1", which allows TLSv1, TLSv1.1`}},
	{dir: "optional-none", problems: []string{
		`PROBLEM master.cf smtp-tls-optional/unix -o smtp_tls_security_level: is none: opted-out mail goes in clear even to receivers that offer TLS`}},
	{dir: "required-no-strip", problems: []string{
		`PROBLEM main.cf smtp_header_checks (default): is empty: the X-TLSGate-Policy header is sent on to the receiver (mail tlsgate marked require): fix: postconf -P 'smtp-tls-required/unix/smtp_header_checks=regexp:/etc/postfix/tlsgate_strip'`}},
	{dir: "policy-map-dane-tls10", problems: []string{
		`PROBLEM main.cf smtp_tls_policy_maps: texthash:/etc/postfix/tls_policy_dane: the entry "example.net dane" lets mail to it leave without TLS (dane)`,
		`PROBLEM main.cf smtp_tls_policy_maps: texthash:/etc/postfix/tls_policy_dane: the entry "example.com encrypt protocols=>=TLSv1" allows TLSv1, TLSv1.1`}},
	{dir: "policy-map-unreadable", warnings: []string{
		`WARNING main.cf smtp_tls_policy_maps: cannot read hash:/etc/postfix/no_such_policy`,
		`WARNING main.cf smtp_tls_policy_maps: cannot read mysql:/etc/postfix/tls_policy.cf (postfix-check cannot read mysql: tables)`}},
	{dir: "good", version: Version{3, 10}, problems: []string{
		`PROBLEM main.cf tls_required_enable (default): is yes: a sender's "TLS-Required: no" header turns TLS enforcement off before tlsgate sees the message: fix: postconf -e 'tls_required_enable = no'`}},
	{dir: "milter-map-disable", problems: []string{
		`PROBLEM main.cf smtpd_milter_maps: cidr:/etc/postfix/smtpd_milter_map: the entry "10.20.0.0/16 DISABLE" turns every milter off for those clients, so their mail leaves without tlsgate's decision: fix: delete the entry from /etc/postfix/smtpd_milter_map`,
		`PROBLEM main.cf smtpd_milter_maps: cidr:/etc/postfix/smtpd_milter_map: the entry "10.30.0.0/16 inet:localhost:8891" replaces smtpd_milters for those clients without tlsgate first`}},
	{dir: "pickup-no-milters", problems: []string{
		`PROBLEM main.cf non_smtpd_milters (default): is empty: mail not received over SMTP leaves without tlsgate's decision: fix: postconf -e 'non_smtpd_milters = inet:127.0.0.1:8898'`}},
	{dir: "transport-map-optional", problems: []string{
		`PROBLEM master.cf smtp-tls-optional/unix -o smtp_tls_security_level: is may, not encrypt: mail can leave without TLS on smtp-tls-optional/unix, a transport for mail that never passed tlsgate (for instance released from hold): fix: name an encrypting transport (smtp:) in transport_maps: smtp-tls-optional is for mail tlsgate marked opportunistic only`}},
	{dir: "cleanup-no-header-checks", problems: []string{
		`PROBLEM master.cf cleanup/unix -o milter_header_checks: is empty: nothing routes on tlsgate's X-TLSGate-Policy header for mail through cleanup/unix`}},
	{dir: "content-filter-hop-encrypt", warnings: []string{
		`WARNING master.cf amavis/unix: delivers to the content filter on loopback with smtp_tls_security_level=encrypt: unless the filter offers STARTTLS, mail waits in the queue`}},
	{dir: "readme-broken", down: true, problems: []string{
		`PROBLEM main.cf smtpd_milters: inet:localhost:8891 (OpenDKIM) comes before tlsgate`,
		`PROBLEM master.cf submission/inet -o smtpd_milters: is "inet:localhost:8891"`,
		`PROBLEM main.cf non_smtpd_milters: inet:localhost:8891 (OpenDKIM) comes before tlsgate`,
		`PROBLEM milter inet:127.0.0.1:8898: nothing answers`,
		`PROBLEM main.cf smtp_tls_policy_maps: texthash:/etc/postfix/tls_policy: the entry "example.org may"`}},
	{dir: "debian-default", problems: []string{
		`PROBLEM main.cf smtpd_milters (default): is empty: mail received over SMTP leaves without tlsgate's decision: fix: postconf -e 'smtpd_milters = inet:127.0.0.1:8898'`,
		`PROBLEM main.cf non_smtpd_milters (default): is empty: mail not received over SMTP leaves without tlsgate's decision`,
		`PROBLEM main.cf smtp_tls_security_level: is may, not encrypt`,
		`PROBLEM main.cf smtp_tls_mandatory_protocols (default): is ">=TLSv1"`,
		`PROBLEM main.cf milter_header_checks (default): is empty`,
		`PROBLEM master.cf smtp-tls-required/unix: is missing`,
		`PROBLEM master.cf smtp-tls-optional/unix: is missing`},
		warnings: []string{`WARNING main.cf message_reject_characters (default): does not reject NUL bytes`,
			`WARNING main.cf delay_warning_time (default): is empty: Postfix sends no delay notice`,
			`WARNING main.cf bounce_template_file (default): is empty`}},
}

// caseInput reads a case's files as postfix-check does without postconf.
func caseInput(t *testing.T, tc checkCase) Input {
	t.Helper()
	dir := filepath.Join("testdata", "cases", tc.dir)
	read := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	m, err := ParseMain(read("main.cf"))
	if err != nil {
		t.Fatalf("main.cf: %v", err)
	}
	s, err := ParseMaster(read("master.cf"))
	if err != nil {
		t.Fatalf("master.cf: %v", err)
	}
	in := Input{Main: m, Master: s, Version: Version{3, 7}, Listen: inetListen,
		HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic",
		Root: "testdata", Probe: stubProbe(tc.down)}
	if tc.listen != "" {
		in.Listen = tc.listen
	}
	if tc.version.Known() {
		in.Version = tc.version
	}
	return in
}

func stubProbe(down bool) func(string, string) error {
	return func(string, string) error {
		if down {
			return errors.New("connection refused")
		}
		return nil
	}
}

// matchFindings compares the problems and warnings with the case's
// expectations, and wants at least one OK line.
func matchFindings(t *testing.T, tc checkCase, fs []Finding) {
	t.Helper()
	var lines [3][]string
	for _, f := range fs {
		lines[f.Level] = append(lines[f.Level], f.String())
	}
	for _, k := range []struct {
		level Level
		want  []string
	}{{Problem, tc.problems}, {Warning, tc.warnings}} {
		got := lines[k.level]
		if len(got) != len(k.want) {
			t.Errorf("got %d %s lines, want %d:\n%s", len(got), k.level, len(k.want), strings.Join(got, "\n"))
			continue
		}
		for i, w := range k.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s %d:\n got %s\nwant it to contain %s", k.level, i, got[i], w)
			}
		}
	}
	if len(lines[OK]) == 0 && len(tc.problems) == 0 {
		t.Errorf("no OK line for a good configuration")
	}
}

func TestPostfixCheckCases(t *testing.T) {
	for _, tc := range checkCases {
		name := tc.dir
		if tc.version.Known() {
			name += "-" + tc.version.String()
		}
		t.Run(name, func(t *testing.T) {
			matchFindings(t, tc, Check(caseInput(t, tc)))
		})
	}
}

// Every case directory is in the table.
func TestPostfixCheckCasesListed(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "cases"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tc := range checkCases {
		listed[tc.dir] = true
	}
	for _, d := range dirs {
		if !listed[d.Name()] {
			t.Errorf("testdata/cases/%s is not in checkCases", d.Name())
		}
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

func TestParseMasterBraces(t *testing.T) {
	src := "submission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n  -o { smtpd_milters = inet:127.0.0.1:8898, inet:localhost:8891 }\n" +
		"  -o smtpd_sasl_auth_enable=yes\n# a comment\n\n" +
		"pickup unix n - y 60 1 pickup -o {receive_override_options=no_milters}\n"
	svcs, err := ParseMaster(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 2 {
		t.Fatalf("got %d services, want 2", len(svcs))
	}
	for _, w := range []struct{ svc, key, val string }{
		{"submission/inet", "smtpd_milters", "inet:127.0.0.1:8898, inet:localhost:8891"},
		{"submission/inet", "smtpd_sasl_auth_enable", "yes"},
		{"pickup/unix", "receive_override_options", "no_milters"},
	} {
		for _, s := range svcs {
			if s.Key() == w.svc && s.Options[w.key] != w.val {
				t.Errorf("%s -o %s = %q, want %q", w.svc, w.key, s.Options[w.key], w.val)
			}
		}
	}
}

// The same cases read through the installed postconf(1) (postconf -c DIR
// -n, -M, -d) give the same findings as the files parsed directly.
func TestPostfixCheckCasesPostconf(t *testing.T) {
	if _, err := exec.LookPath("postconf"); err != nil {
		t.Skip("postconf not installed")
	}
	for _, tc := range checkCases {
		if tc.version.Known() {
			continue // the installed Postfix has its own version
		}
		t.Run(tc.dir, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range []string{"main.cf", "master.cf"} {
				b, err := os.ReadFile(filepath.Join("testdata", "cases", tc.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				writeOld(t, filepath.Join(dir, name), b)
			}
			in := caseInput(t, tc)
			if err := (Postconf{Dir: dir}).Read(&in); err != nil {
				t.Fatal(err)
			}
			if in.Version.Major != 3 {
				t.Fatalf("postconf -d mail_version gave %v", in.Version)
			}
			if in.Main["config_directory"] != dir {
				t.Fatalf("postconf -n gave config_directory %q, want %q", in.Main["config_directory"], dir)
			}
			// The fixes name table paths in the configuration directory;
			// the expectations name /etc/postfix.
			delete(in.Main, "config_directory")
			matchFindings(t, tc, Check(in))
		})
	}
}

// writeOld writes a file dated a minute back: postconf sleeps until a
// configuration file is at least a second old, in case it is still being
// written.
func writeOld(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// Stock Debian main.cf and master.cf with the snippets shipped in
// packaging/postfix added (what the README tells an administrator to do,
// and what the end-to-end test runs) pass the check; so does the recipe
// postfix-config prints where no postconf is installed.
func TestShippedSnippetsPass(t *testing.T) {
	read := func(path ...string) string {
		b, err := os.ReadFile(filepath.Join(path...))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pkg := filepath.Join("..", "..", "..", "packaging", "postfix")
	deb := filepath.Join("testdata", "cases", "debian-default")
	r := NewRecipe(MilterAddress(inetListen, ""), "X-TLSGate-Policy", "require", "opportunistic")
	var recipeMain strings.Builder
	for _, kv := range r.Main {
		recipeMain.WriteString(kv[0] + " = " + kv[1] + "\n")
	}
	for name, add := range map[string][2]string{
		"shipped": {read(pkg, "main.cf.example"), read(pkg, "master.cf.example")},
		"recipe":  {recipeMain.String(), r.Master},
	} {
		// Later main.cf lines win, as in Postfix.
		m, err := ParseMain(strings.NewReader(read(deb, "main.cf") + add[0]))
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseMaster(strings.NewReader(read(deb, "master.cf") + add[1]))
		if err != nil {
			t.Fatal(err)
		}
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "etc", "postfix"), 0o755)
		tables := map[string]string{"tlsgate_milter_header_checks": read(pkg, "tlsgate_milter_header_checks"), "tlsgate_strip": read(pkg, "tlsgate_strip")}
		if name == "recipe" {
			tables = map[string]string{"tlsgate_milter_header_checks": r.HeaderChecks, "tlsgate_strip": r.Strip}
		}
		for n, text := range tables {
			if err := os.WriteFile(filepath.Join(root, "etc", "postfix", n), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		os.MkdirAll(filepath.Join(root, "etc", "tlsgate"), 0o755) // the notice files (notice.go)
		for _, n := range []string{"tlsgate_bounce.cf", "tlsgate_tls_status"} {
			if err := os.WriteFile(filepath.Join(root, "etc", "tlsgate", n), []byte(read(pkg, n)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		in := Input{Main: m, Master: s, Version: Version{3, 10}, Listen: inetListen, HeaderName: "X-TLSGate-Policy",
			Require: "require", Opportunistic: "opportunistic", Root: root, Probe: stubProbe(false)}
		for _, f := range Check(in) {
			if f.Level != OK {
				t.Errorf("%s: %s", name, f)
			}
		}
	}
}
