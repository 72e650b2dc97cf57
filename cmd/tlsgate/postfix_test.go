package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the postfix-check transcripts in README.md")

var casesDir = filepath.Join("..", "internal", "postfixcheck", "testdata", "cases")

// runPostfixCheck runs the subcommand on a case whose milter port is
// replaced by port, and puts 8898 back into the output.
func runPostfixCheck(t *testing.T, dir, port string) (int, string) {
	t.Helper()
	tmp := t.TempDir()
	for _, name := range []string{"main.cf", "master.cf"} {
		b, err := os.ReadFile(filepath.Join(casesDir, dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), bytes.ReplaceAll(b, []byte(":8898"), []byte(":"+port)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(tmp, "tlsgate.toml")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("listen = \"inet:127.0.0.1:%s\"\n", port)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := subcommands["postfix-check"]([]string{"-config", conf, "-root", filepath.Join(casesDir, ".."),
		"-n", filepath.Join(tmp, "main.cf"), "-M", filepath.Join(tmp, "master.cf"), "-postfix-version", "3.7.11"}, &out, &errb)
	if errb.Len() > 0 {
		t.Errorf("stderr: %s", errb.String())
	}
	return code, strings.ReplaceAll(out.String(), ":"+port, ":8898")
}

// startMilter runs tlsgate's milter server on a loopback port.
func startMilter(t *testing.T) string {
	t.Helper()
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := milter.NewServer(pol, slog.New(slog.NewTextHandler(io.Discard, nil)))
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return port
}

// The README's transcripts are postfix-check's real output on a broken
// relay (tlsgate stopped) and a good one (tlsgate running).
func TestPostfixCheckReadmeTranscripts(t *testing.T) {
	for _, tr := range []struct {
		name, dir string
		up        bool
		code      int
	}{
		{"broken", "readme-broken", false, 1},
		{"good", "good-dkim-after-tlsgate", true, 0},
	} {
		port := closedPort(t)
		if tr.up {
			port = startMilter(t)
		}
		code, out := runPostfixCheck(t, tr.dir, port)
		if code != tr.code {
			t.Errorf("%s: exit %d, want %d\n%s", tr.name, code, tr.code, out)
		}
		out = strings.ReplaceAll(out, "dial tcp 127.0.0.1:8898: connect: ", "")
		text := fmt.Sprintf("$ tlsgate postfix-check\n%s$ echo $?\n%d\n", out, code)
		compareReadme(t, tr.name, text)
	}
}

// compareReadme checks (or with -update-readme rewrites) the block between
// "<!-- postfix-check NAME -->" and "<!-- end -->" in README.md.
func compareReadme(t *testing.T, name, text string) {
	t.Helper()
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	start := "<!-- postfix-check " + name + " -->\n```\n"
	i := bytes.Index(b, []byte(start))
	j := bytes.Index(b[i+1:], []byte("```\n<!-- end -->"))
	if i < 0 || j < 0 {
		t.Fatalf("README.md lacks the block %q ... \"```\\n<!-- end -->\"", start)
	}
	j += i + 1
	got := string(b[i+len(start) : j])
	if got == text {
		return
	}
	if !*updateReadme {
		t.Errorf("README.md's postfix-check %s transcript is out of date (go test ./cmd/tlsgate -run ReadmeTranscripts -update-readme):\n got:\n%s\nwant:\n%s", name, got, text)
		return
	}
	nb := append(append(append([]byte{}, b[:i+len(start)]...), text...), b[j:]...)
	if err := os.WriteFile(path, nb, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPostfixCheckCommand(t *testing.T) {
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := subcommands["postfix-check"](append([]string{"-config", "", "-probe=false", "-root", filepath.Join(casesDir, "..")}, args...), &out, &errb)
		return code, out.String() + errb.String()
	}
	files := func(dir string) []string {
		return []string{"-n", filepath.Join(casesDir, dir, "main.cf"), "-M", filepath.Join(casesDir, dir, "master.cf"), "-postfix-version", "3.7.11"}
	}
	code, out := run(files("good")...)
	if code != 0 || !strings.Contains(out, "WARNING milter inet:127.0.0.1:8898: not probed") || strings.Contains(out, "PROBLEM") {
		t.Errorf("good config: exit %d\n%s", code, out)
	}
	code, out = run(files("submission-dkim-only")...)
	if code != 1 || !strings.Contains(out, "PROBLEM master.cf submission/inet -o smtpd_milters") {
		t.Errorf("port 587 without tlsgate: exit %d\n%s", code, out)
	}
	for _, w := range []string{"OK ", "PROBLEM ", "WARNING "} {
		if !strings.Contains(out, "\n"+w) && !strings.HasPrefix(out, w) {
			t.Errorf("no %q line:\n%s", w, out)
		}
	}
	if code, _ := run("-n", "/nonexistent", "-M", "/nonexistent"); code != 2 {
		t.Errorf("missing files: exit %d, want 2", code)
	}
	if code, _ := run("-n", filepath.Join(casesDir, "good", "main.cf")); code != 2 {
		t.Errorf("-n without -M: exit %d, want 2", code)
	}
}

// Without -apply, postfix-config changes nothing and prints the postconf
// commands; with -apply, a second run has nothing to do.
func TestPostfixConfigCommand(t *testing.T) {
	if _, err := os.Stat("/usr/sbin/postconf"); err != nil {
		t.Skip("postconf not installed")
	}
	// A private configuration whose milter port nothing listens on.
	pc, port := t.TempDir(), closedPort(t)
	old := time.Now().Add(-time.Minute)
	for _, name := range []string{"main.cf", "master.cf"} {
		b, err := os.ReadFile(filepath.Join(casesDir, "dkim-before-tlsgate", name))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/etc/postfix/"), []byte(pc+"/"))
		b = bytes.ReplaceAll(b, []byte("/etc/tlsgate/"), []byte(pc+"/")) // the notice files, copied below
		p := filepath.Join(pc, name)
		if err := os.WriteFile(p, bytes.ReplaceAll(b, []byte(":8898"), []byte(":"+port)), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	for _, n := range []string{"tlsgate_bounce.cf", "tlsgate_tls_status"} {
		b, _ := os.ReadFile(filepath.Join(casesDir, "..", "etc", "tlsgate", n))
		os.WriteFile(filepath.Join(pc, n), b, 0o644)
	}
	conf := filepath.Join(pc, "tlsgate.toml")
	if err := os.WriteFile(conf, []byte("listen = \"inet:127.0.0.1:"+port+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := subcommands["postfix-config"](append([]string{"-config", conf, "-c", pc}, args...), &out, &errb)
		return code, out.String() + errb.String()
	}
	before, _ := os.ReadFile(filepath.Join(pc, "main.cf"))
	code, out := run()
	after, _ := os.ReadFile(filepath.Join(pc, "main.cf"))
	if code != 0 || !bytes.Equal(before, after) {
		t.Fatalf("dry run: exit %d, main.cf changed %v\n%s", code, !bytes.Equal(before, after), out)
	}
	for _, w := range []string{"cat > " + pc + "/tlsgate_milter_header_checks <<'EOF'",
		"postconf -c " + pc + " -e 'smtpd_milters = inet:127.0.0.1:" + port + ", inet:localhost:8891'"} {
		if !strings.Contains(out, w) {
			t.Errorf("dry run lacks %q:\n%s", w, out)
		}
	}
	// -apply: nothing listens at the milter address, so the check it runs
	// afterwards still finds that one problem.
	code, out = run("-apply")
	if code != 1 || !strings.Contains(out, "Postfix is not running") || strings.Count(out, "PROBLEM") != 1 ||
		!strings.Contains(out, "PROBLEM milter inet:127.0.0.1:"+port+": nothing answers") {
		t.Errorf("apply: exit %d\n%s", code, out)
	}
	applied, _ := os.ReadFile(filepath.Join(pc, "main.cf"))
	old = time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(pc, "main.cf"), old, old)
	if code, out = run("-apply"); !strings.HasPrefix(out, "nothing to change\n") {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}
	if again, _ := os.ReadFile(filepath.Join(pc, "main.cf")); !bytes.Equal(applied, again) {
		t.Errorf("second apply changed main.cf")
	}
}
