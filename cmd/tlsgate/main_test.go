package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadConfigExits2(t *testing.T) {
	cfg := write(t, "bad.toml", "refused_action = \"maybe\"\n[limits]\nmax_parts = 0\n")
	var stderr bytes.Buffer
	if code := run([]string{"-check-config", "-config", cfg}, &stderr, &stderr); code != exitConfig {
		t.Errorf("exit = %d, want %d", code, exitConfig)
	}
	for _, want := range []string{"bad.toml:1: refused_action", "bad.toml:3: limits.max_parts"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q lacks %q", stderr.String(), want)
		}
	}
	// The daemon itself refuses to start on the same file.
	stderr.Reset()
	if code := run([]string{"-config", cfg, "-listen", "inet:127.0.0.1:0"}, &stderr, &stderr); code != exitConfig {
		t.Errorf("daemon exit = %d, want %d", code, exitConfig)
	}
	if code := run([]string{"-listen", "tcp:1"}, &stderr, &stderr); code != exitConfig {
		t.Errorf("bad -listen: exit = %d, want %d", code, exitConfig)
	}
}

func TestCheckCommand(t *testing.T) {
	clean := write(t, "clean.eml", "Subject: [unsecure] Frokost\r\n\r\nVi ses kl. 12.\r\n")
	cpr := write(t, "cpr.eml", "Subject: =?UTF-8?Q?=5Bunsecure=5D?= Svar\r\n\r\nNummer 010285-1234\r\n")
	plain := write(t, "plain.eml", "Subject: Svar\r\n\r\nNummer 010285-1234\r\n")
	var stdout, stderr bytes.Buffer
	if code := check([]string{"-json", clean, cpr, plain}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var reps []checkReport
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var r checkReport
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	want := []struct{ decision, header, reason string }{
		{"optout-granted", "opportunistic", ""},
		{"optout-refused", "require", "cpr:1"},
		{"require", "require", ""}, // not scanned: no opt-out asked, as in the daemon
	}
	if len(reps) != len(want) {
		t.Fatalf("got %d reports, want %d", len(reps), len(want))
	}
	for i, w := range want {
		r := reps[i]
		if r.Decision != w.decision || r.Header != w.header || (w.reason != "" && !contains(r.Reasons, w.reason)) {
			t.Errorf("%s: got %+v, want %+v", r.File, r, w)
		}
	}
	if strings.Contains(stdout.String(), "010285") {
		t.Errorf("check output repeats the CPR number")
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// check -tag decides as if the sender had typed the tag: the answer to
// "would this go out without TLS?", for messages with and without a
// Subject.
func TestCheckTag(t *testing.T) {
	noInstalledConfig(t)
	cpr := write(t, "plain.eml", "From: a@example.dk\r\nSubject: Svar\r\n\r\nNummer 010285-1234\r\n")
	clean := write(t, "nosubject.eml", "From: a@example.dk\n\nVi ses.\n")
	code, out, errOut := tlsgate("check", "-tag", cpr, clean)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	for i, want := range []string{
		cpr + ": optout-refused (X-TLSGate-Policy: require) reasons=cpr:1 parts=1 ",
		clean + ": optout-granted (X-TLSGate-Policy: opportunistic) parts=1 ",
	} {
		if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
			t.Errorf("got:\n%swant line %d to start %q", out, i+1, want)
		}
	}
	if _, out, _ = tlsgate("check", cpr); !strings.Contains(out, ": require (") {
		t.Errorf("without -tag: %s", out)
	}
}
