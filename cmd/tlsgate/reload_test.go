package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/cmd/internal/testdaemon"
)

// These tests run the real daemon binary and signal it. testdaemon.Start
// does not expose the process, so proc starts it with testdaemon's helpers.

// proc is a tlsgate process started by a test.
type proc struct {
	cmd     *exec.Cmd
	addr    string // host:port of the milter socket
	conf    string // the configuration file, rewritten by the test
	logPath string
	exited  chan struct{}
	waitErr error // valid once exited is closed
}

// startProc runs bin on a free loopback port with config written to a file
// the test can rewrite, and waits until it listens.
func startProc(t *testing.T, bin, config string) *proc {
	t.Helper()
	dir := t.TempDir()
	p := &proc{
		addr: testdaemon.FreePort(t), conf: filepath.Join(dir, "tlsgate.toml"),
		logPath: filepath.Join(dir, "tlsgate.log"), exited: make(chan struct{}),
	}
	testdaemon.WriteFile(t, p.conf, config)
	logf, err := os.Create(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	p.cmd = exec.Command(bin, "-config", p.conf, "-listen", "inet:"+p.addr)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("tlsgate log:\n%s", testdaemon.ReadFile(p.logPath))
		}
	})
	alive := func() error {
		select {
		case <-p.exited:
			return p.waitErr
		default:
			return nil
		}
	}
	if err := testdaemon.WaitListening(p.addr, 30*time.Second, alive); err != nil {
		t.Fatalf("tlsgate did not start: %v\n%s", err, testdaemon.ReadFile(p.logPath))
	}
	return p
}

func (p *proc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// waitLog waits until the log holds want at least n times and returns the
// log.
func (p *proc) waitLog(t *testing.T, want string, n int) string {
	t.Helper()
	var log string
	if !testdaemon.Poll(30*time.Second, func() bool {
		log = testdaemon.ReadFile(p.logPath)
		return strings.Count(log, want) >= n
	}) {
		t.Fatalf("log has %q %d times, want %d:\n%s", want, strings.Count(log, want), n, log)
	}
	return log
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// decision is the routing header's value and the new Subject, if changed.
type decision struct{ policy, subject string }

// clientSession opens a milter connection as Postfix does, from loopback
// (trusted, so outbound).
func clientSession(t *testing.T, addr string) *gomilter.ClientSession {
	t.Helper()
	c := gomilter.NewClientWithOptions("tcp", addr, gomilter.ClientOptions{
		ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		ActionMask: gomilter.OptAddHeader | gomilter.OptChangeHeader,
	})
	s, err := c.Session()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Conn("client.example", gomilter.FamilyInet, 40000, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	return s
}

// begin sends a message up to its header end.
func begin(t *testing.T, s *gomilter.ClientSession, subject string) {
	t.Helper()
	s.Macros(gomilter.CodeMail, "i", "R1")
	if act, err := s.Mail("<alice@example.dk>", nil); err != nil || act.Code != gomilter.ActContinue {
		t.Fatalf("MAIL: %+v, %v", act, err)
	}
	if _, err := s.Rcpt("<bob@example.com>", nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range [][2]string{{"From", "alice@example.dk"}, {"To", "bob@example.com"}, {"Subject", subject}} {
		if _, err := s.HeaderField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.HeaderEnd(); err != nil {
		t.Fatal(err)
	}
}

// finish sends body and ends the message.
func finish(t *testing.T, s *gomilter.ClientSession, body string) decision {
	t.Helper()
	if _, err := s.BodyChunk([]byte(body)); err != nil {
		t.Fatal(err)
	}
	mods, act, err := s.End()
	if err != nil {
		t.Fatal(err)
	}
	if act.Code != gomilter.ActAccept {
		t.Fatalf("end of message: %+v, want accept", act)
	}
	var d decision
	for _, m := range mods {
		switch {
		case m.Code == gomilter.ActAddHeader && m.HeaderName == "X-TLSGate-Policy":
			d.policy = strings.TrimSpace(m.HeaderValue)
		case m.Code == gomilter.ActChangeHeader && m.HeaderName == "Subject":
			d.subject = m.HeaderValue
		}
	}
	return d
}

func sendMessage(t *testing.T, addr, subject, body string) decision {
	t.Helper()
	s := clientSession(t, addr)
	begin(t, s, subject)
	return finish(t, s, body)
}

// TestReload changes the rules under a running daemon with SIGHUP, then
// breaks the file: the error names the file and key, the daemon keeps
// running on the last good rules. Then SIGTERM with a message in flight:
// the message completes, and the process exits 0.
func TestReload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	bin := testdaemon.Build(t)
	const v1 = "rules_version = \"v1\"\n"
	p := startProc(t, bin, v1)
	const body = "Vi ses til frokostordningen fredag.\r\n"
	check := func(subject string, want decision) {
		t.Helper()
		if got := sendMessage(t, p.addr, subject, body); got != want {
			t.Errorf("%q: got %+v, want %+v", subject, got, want)
		}
	}
	check("[unsecure] Fredag", decision{"opportunistic", "Fredag"})
	check("[usikker] Fredag", decision{"require", ""}) // not a tag yet

	// v2: a site term in [terms.add], and a second tag.
	const v2 = "rules_version = \"v2\"\noptout_tags = [\"[unsecure]\", \"[usikker]\"]\n" +
		"[terms.add]\nhealth = [\"frokostordning*\"]\n"
	testdaemon.WriteFile(t, p.conf, v2)
	p.signal(t, syscall.SIGHUP)
	p.waitLog(t, "msg=reloaded rules=v2", 1)
	check("[unsecure] Fredag", decision{"require", "Fredag"}) // refused now: the new term
	if got := sendMessage(t, p.addr, "[usikker] Hej", "Hej.\r\n"); got != (decision{"opportunistic", "Hej"}) {
		t.Errorf("new tag, clean body: got %+v", got)
	}

	// A broken file: the old (v2) rules stay.
	testdaemon.WriteFile(t, p.conf, "bogus = 1\n"+v2+"[limits]\nmax_parts = 0\n")
	p.signal(t, syscall.SIGHUP)
	log := p.waitLog(t, "reload failed; keeping the old rules", 1)
	for _, want := range []string{p.conf + ":1: bogus: unknown key", p.conf + ":7: limits.max_parts"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if !p.running() {
		t.Fatalf("tlsgate exited on a bad reload: %v", p.waitErr)
	}
	check("[unsecure] Fredag", decision{"require", "Fredag"})
	if got := sendMessage(t, p.addr, "[usikker] Hej", "Hej.\r\n"); got != (decision{"opportunistic", "Hej"}) {
		t.Errorf("after the bad reload, the v2 tag: got %+v", got)
	}

	// SIGTERM while a message is between MAIL and its end.
	s := clientSession(t, p.addr)
	begin(t, s, "[unsecure] Sidst")
	if _, err := s.BodyChunk([]byte("Første del. ")); err != nil {
		t.Fatal(err)
	}
	p.signal(t, syscall.SIGTERM)
	if log := p.waitLog(t, "stopping; draining messages in flight", 1); !strings.Contains(log, "in_flight=1") {
		t.Errorf("the daemon did not count the message in flight at SIGTERM:\n%s", log)
	}
	if got := finish(t, s, "Anden del.\r\n"); got != (decision{"opportunistic", "Sidst"}) {
		t.Errorf("message in flight at SIGTERM: got %+v", got)
	}
	s.Close()
	select {
	case <-p.exited:
	case <-time.After(60 * time.Second):
		t.Fatal("tlsgate did not exit within 60s of SIGTERM once the message was done")
	}
	if p.waitErr != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", p.waitErr)
	}
	p.waitLog(t, "msg=stopped", 1)
}
