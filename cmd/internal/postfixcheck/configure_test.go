package postfixcheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// privateConfig copies a case into a private Postfix configuration
// directory, its /etc/postfix/ paths (and tables) moved there.
func privateConfig(t *testing.T, dir string) string {
	t.Helper()
	pc := t.TempDir()
	for _, name := range []string{"main.cf", "master.cf"} {
		b, err := os.ReadFile(filepath.Join("testdata", "cases", dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/etc/tlsgate/"), []byte(pc+"/")) // the notice files (notice.go)
		writeOld(t, filepath.Join(pc, name), bytes.ReplaceAll(b, []byte("/etc/postfix/"), []byte(pc+"/")))
	}
	tables, _ := filepath.Glob(filepath.Join("testdata", "etc", "*", "*"))
	for _, tb := range tables {
		b, err := os.ReadFile(tb)
		if err != nil {
			t.Fatal(err)
		}
		writeOld(t, filepath.Join(pc, filepath.Base(tb)), b)
	}
	return pc
}

func readPrivate(t *testing.T, pc string) Input {
	t.Helper()
	in := Input{Listen: inetListen, HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic",
		Probe: stubProbe(false)}
	if err := (Postconf{Dir: pc}).Read(&in); err != nil {
		t.Fatal(err)
	}
	return in
}

// ageConfig dates main.cf and master.cf back, so postconf need not wait
// for them to settle.
func ageConfig(t *testing.T, pc string) {
	t.Helper()
	old := time.Now().Add(-time.Minute)
	for _, name := range []string{"main.cf", "master.cf"} {
		if err := os.Chtimes(filepath.Join(pc, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// postfix-config -apply on a private configuration: afterwards postfix-check
// finds no problem, the relay's other milters are kept after tlsgate, and a
// second run changes nothing.
func TestPostfixConfigApply(t *testing.T) {
	if _, err := exec.LookPath("postconf"); err != nil {
		t.Skip("postconf not installed")
	}
	tests := []struct {
		dir string
		// want are postconf -n / -P lines the result must contain.
		want []string
	}{
		{"debian-default", []string{"smtpd_milters = inet:127.0.0.1:8898", "smtp_tls_security_level = encrypt", "smtp-tls-required/unix/smtp_tls_security_level = encrypt"}},
		{"dkim-before-tlsgate", []string{"smtpd_milters = inet:127.0.0.1:8898, inet:localhost:8891", "non_smtpd_milters = $smtpd_milters"}},
		{"submission-dkim-only", []string{"submission/inet/smtpd_milters = inet:127.0.0.1:8898,inet:localhost:8891"}},
		{"submission-milters-empty", []string{"submission/inet/smtpd_milters = inet:127.0.0.1:8898"}},
		{"submission-no-milters", []string{"submission/inet/receive_override_options =\n"}},
		{"main-no-milters", []string{"receive_override_options =\n"}},
		{"submission-accept", []string{"submission/inet/milter_default_action = tempfail"}},
		{"per-milter-accept", []string{"smtpd_milters = inet:127.0.0.1:8898\n"}},
		{"content-filter-amavis-recipe", []string{"smtpd_milters =\n", "non_smtpd_milters = $smtpd_milters",
			"127.0.0.1:10025/inet/smtpd_milters = inet:127.0.0.1:8898\n", "127.0.0.1:10025/inet/receive_override_options = no_unknown_recipient_checks,no_header_body_checks\n"}},
		{"smtp-transport-may", nil},
		{"content-filter-hop-encrypt", []string{"amavis/unix/smtp_tls_security_level = none"}},
		{"required-tls10", []string{"smtp-tls-required/unix/smtp_tls_mandatory_protocols = >=TLSv1.2"}},
		{"missing-transports", []string{"smtp-tls-optional/unix/smtp_tls_security_level = may"}},
		{"header-checks-require-only", []string{"milter_header_checks = regexp:"}},
		{"good", nil},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel() // postconf waits for freshly edited files to settle
			pc := privateConfig(t, tt.dir)
			pcf := Postconf{Dir: pc}
			plan := NewPlan(readPrivate(t, pc))
			if len(plan.Manual) > 0 {
				t.Errorf("left to the administrator:\n%s", strings.Join(plan.Manual, "\n"))
			}
			var log bytes.Buffer
			if err := pcf.Apply(plan, pc, &log, time.Now()); err != nil {
				t.Fatalf("%v\n%s", err, log.String())
			}
			backups, _ := filepath.Glob(filepath.Join(pc, "*.tlsgate-*"))
			if plan.Empty() != (len(backups) == 0) {
				t.Errorf("plan empty %v, backups %v", plan.Empty(), backups)
			}
			if !plan.Empty() && !strings.Contains(log.String(), "Postfix is not running") {
				t.Errorf("apply log:\n%s", log.String())
			}
			ageConfig(t, pc)
			in := readPrivate(t, pc)
			if fs := Check(in); Problems(fs) > 0 {
				t.Errorf("after apply:\n%s\napplied:\n%s", findingLines(fs, Problem), log.String())
			}
			n, _ := pcf.Run("-n")
			P, _ := pcf.Run("-P")
			for _, w := range tt.want {
				if !strings.Contains(string(n)+string(P), w) {
					t.Errorf("postconf -n/-P lacks %q:\n%s%s", w, n, P)
				}
			}
			if strings.Contains(string(n), "tls_required_enable") {
				t.Errorf("tls_required_enable written for Postfix %v", in.Version)
			}
			before := snapshot(t, pc)
			again := NewPlan(in)
			if !again.Empty() {
				t.Errorf("second run would change: %v %v", again.Files, again.Edits)
			}
			log.Reset()
			if err := pcf.Apply(again, pc, &log, time.Now()); err != nil {
				t.Fatal(err)
			}
			if after := snapshot(t, pc); after != before {
				t.Errorf("second run changed the files; log:\n%s", log.String())
			}
		})
	}
}

func snapshot(t *testing.T, pc string) string {
	t.Helper()
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(pc, "*"))
	for _, f := range files {
		c, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(f + "\n" + string(c))
	}
	return b.String()
}

func findingLines(fs []Finding, l Level) string {
	var out []string
	for _, f := range fs {
		if f.Level == l {
			out = append(out, f.String())
		}
	}
	return strings.Join(out, "\n")
}

// tls_required_enable is written only where Postfix knows it.
func TestPlanTLSRequiredEnable(t *testing.T) {
	for _, known := range []bool{false, true} {
		in := caseInput(t, checkCase{dir: "good"})
		in.Defaults = map[string]string{"mail_version": "3.7.11"}
		if known {
			in.Defaults = map[string]string{"mail_version": "3.10.1", "tls_required_enable": "yes"}
		}
		in.Root = "testdata"
		in.Main["config_directory"] = "/etc/postfix"
		var edits []string
		for _, e := range NewPlan(in).Edits {
			edits = append(edits, e.String())
		}
		got := strings.Contains(strings.Join(edits, "\n"), "tls_required_enable = no")
		if got != known {
			t.Errorf("Postfix knows tls_required_enable: %v; plan: %v", known, edits)
		}
	}
}

// The recipe printed where no Postfix is installed is a script that sets
// up a stock Debian Postfix so that postfix-check passes, and running it a
// second time changes nothing.
func TestRecipeScript(t *testing.T) {
	if _, err := exec.LookPath("postconf"); err != nil {
		t.Skip("postconf not installed")
	}
	pc := privateConfig(t, "debian-default")
	var b strings.Builder
	if err := NewRecipe(MilterAddress(inetListen, ""), "X-TLSGate-Policy", "require", "opportunistic").Write(&b); err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("postconf ", "postconf -c "+pc+" ", "postfix status", "postfix -c "+pc+" status",
		"/etc/postfix/", pc+"/", "/etc/tlsgate/", pc+"/", "tlsgate postfix-check\n", "").Replace(b.String())
	run := func() {
		t.Helper()
		out, err := exec.Command("sh", "-e", "-c", script).CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		ageConfig(t, pc)
	}
	run()
	first := snapshot(t, pc)
	in := readPrivate(t, pc)
	for _, f := range Check(in) {
		if f.Level != OK {
			t.Errorf("%s", f)
		}
	}
	if strings.Contains(first, "tls_required_enable") {
		t.Errorf("tls_required_enable written for Postfix %v", in.Version)
	}
	run()
	if snapshot(t, pc) != first {
		t.Errorf("second run changed the configuration")
	}
}

// Apply reloads Postfix only when "postfix status" says it runs. The
// postfix command is a stand-in that records its arguments (postconf is
// the real one).
func TestApplyReloadsOnlyRunningPostfix(t *testing.T) {
	if _, err := exec.LookPath("postconf"); err != nil {
		t.Skip("postconf not installed")
	}
	for _, running := range []bool{false, true} {
		pc := privateConfig(t, "debian-default")
		bin := t.TempDir()
		status := "1"
		if running {
			status = "0"
		}
		script := "#!/bin/sh\necho \"$*\" >> " + bin + "/calls\ncase \"$*\" in *status) exit " + status + ";; esac\n"
		if err := os.WriteFile(filepath.Join(bin, "postfix"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
		plan := Plan{Edits: []Edit{{"-e", `message_reject_characters = \0`, "test"}}}
		var log bytes.Buffer
		if err := (Postconf{Dir: pc}).Apply(plan, pc, &log, time.Now()); err != nil {
			t.Fatal(err)
		}
		calls, _ := os.ReadFile(filepath.Join(bin, "calls"))
		want := "-c " + pc + " status\n"
		if running {
			want += "-c " + pc + " reload\n"
		}
		if string(calls) != want {
			t.Errorf("running %v: postfix called with\n%s\nwant\n%s", running, calls, want)
		}
	}
}

// For an indexed table Postfix reads the .db that postmap builds, and
// postfix-check reads the source beside it: a missing or older .db is a
// warning, since Postfix may then act on entries the check did not see.
func TestIndexedMapFreshness(t *testing.T) {
	if _, err := exec.LookPath("postmap"); err != nil {
		t.Skip("postmap not installed")
	}
	pc := privateConfig(t, "good")
	spec := "hash:" + pc + "/tls_policy"
	in := readPrivate(t, pc)
	in.Main["smtp_tls_policy_maps"] = spec
	warnings := func() string {
		t.Helper()
		return findingLines(Check(in), Warning)
	}
	if w := warnings(); !strings.Contains(w, "tls_policy.db, which is missing") {
		t.Errorf("no .db yet: warnings %q", w)
	}
	if out, err := exec.Command("postmap", "-c", pc, spec).CombinedOutput(); err != nil {
		t.Fatalf("postmap: %v %s", err, out)
	}
	if w := warnings(); w != "" {
		t.Errorf("fresh .db: warnings %q", w)
	}
	if fs := Check(in); !strings.Contains(findingLines(fs, Problem), `the entry "example.org may"`) {
		t.Errorf("the may entry is not reported:\n%s", findingLines(fs, Problem))
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(pc, "tls_policy"), later, later); err != nil {
		t.Fatal(err)
	}
	if w := warnings(); !strings.Contains(w, "tls_policy.db is older than") {
		t.Errorf("source edited after postmap: warnings %q", w)
	}
}
