package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestPostfixCheckCommand(t *testing.T) {
	td := filepath.Join("..", "internal", "postfixcheck", "testdata")
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := subcommands["postfix-check"](append([]string{"-config", "", "-root", td}, args...), &out, &errb)
		return code, out.String() + errb.String()
	}
	code, out := run("-n", filepath.Join(td, "good.main"), "-M", filepath.Join(td, "good.master"), "-postfix-version", "3.7.11")
	if code != 0 || !strings.HasPrefix(out, "OK:") {
		t.Errorf("good config: exit %d\n%s", code, out)
	}
	code, out = run("-n", filepath.Join(td, "debian-default.main"), "-M", filepath.Join(td, "debian-default.master"), "-postfix-version", "3.7.11")
	if code != 1 || !strings.Contains(out, "7 problem(s)") {
		t.Errorf("stock Debian: exit %d\n%s", code, out)
	}
	if code, _ := run("-n", "/nonexistent", "-M", "/nonexistent"); code != 2 {
		t.Errorf("missing files: exit %d, want 2", code)
	}
}

func TestPostfixConfigCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := subcommands["postfix-config"]([]string{"-config", filepath.Join("..", "..", "packaging", "tlsgate.toml")}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"postconf -e 'smtpd_milters = inet:127.0.0.1:8898'", "/^X-TLSGate-Policy: *require$/ FILTER smtp-tls-required:", "smtp-tls-optional unix"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
