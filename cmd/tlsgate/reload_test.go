package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// decision is the routing header's value and the new Subject, if changed.
type decision struct{ policy, subject string }

// clientSession opens a milter connection as Postfix does, from loopback
// (trusted, so outbound).
func clientSession(t *testing.T, addr string) *gomilter.ClientSession {
	return clientSessionFrom(t, addr, "127.0.0.1")
}

// clientSessionFrom opens a milter connection for an SMTP client at ip.
func clientSessionFrom(t *testing.T, addr, ip string) *gomilter.ClientSession {
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
	if _, err := s.Conn("client.example", gomilter.FamilyInet, 40000, ip); err != nil {
		t.Fatal(err)
	}
	return s
}

// begin sends a message up to its header end.
func begin(t *testing.T, s *gomilter.ClientSession, subject string) {
	beginAs(t, s, "", "alice@example.dk", subject)
}

// beginAs is begin for the SMTP AUTH user (empty: none) and envelope
// sender from.
func beginAs(t *testing.T, s *gomilter.ClientSession, user, from, subject string) {
	t.Helper()
	s.Macros(gomilter.CodeMail, "i", "R1", "{auth_authen}", user)
	if act, err := s.Mail("<"+from+">", nil); err != nil || act.Code != gomilter.ActContinue {
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
	p := testdaemon.Start(t, bin, v1)
	const body = "Vi ses til frokostordningen fredag.\r\n"
	check := func(subject string, want decision) {
		t.Helper()
		if got := sendMessage(t, p.Addr, subject, body); got != want {
			t.Errorf("%q: got %+v, want %+v", subject, got, want)
		}
	}
	check("[unsecure] Fredag", decision{"opportunistic", "Fredag"})
	check("[usikker] Fredag", decision{"require", ""}) // not a tag yet

	// v2: a site term in [terms.add], and a second tag.
	const v2 = "rules_version = \"v2\"\noptout_tags = [\"[unsecure]\", \"[usikker]\"]\n" +
		"[terms.add]\nhealth = [\"frokostordning*\"]\n"
	testdaemon.WriteFile(t, p.ConfPath, v2)
	p.Signal(t, syscall.SIGHUP)
	p.WaitLog(t, "rules_version=v2", 1)
	check("[unsecure] Fredag", decision{"require", "Fredag"}) // refused now: the new term
	if got := sendMessage(t, p.Addr, "[usikker] Hej", "Hej.\r\n"); got != (decision{"opportunistic", "Hej"}) {
		t.Errorf("new tag, clean body: got %+v", got)
	}

	// A broken file: the old (v2) rules stay.
	testdaemon.WriteFile(t, p.ConfPath, "bogus = 1\n"+v2+"[limits]\nmax_parts = 0\n")
	p.Signal(t, syscall.SIGHUP)
	log := p.WaitLog(t, "reload failed; keeping the old rules", 1)
	for _, want := range []string{p.ConfPath + ":1: bogus: unknown key", p.ConfPath + ":7: limits.max_parts"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if err := p.ExitError(); err != nil {
		t.Fatalf("tlsgate exited on a bad reload: %v", err)
	}
	check("[unsecure] Fredag", decision{"require", "Fredag"})
	if got := sendMessage(t, p.Addr, "[usikker] Hej", "Hej.\r\n"); got != (decision{"opportunistic", "Hej"}) {
		t.Errorf("after the bad reload, the v2 tag: got %+v", got)
	}

	// SIGTERM while a message is between MAIL and its end.
	s := clientSession(t, p.Addr)
	begin(t, s, "[unsecure] Sidst")
	if _, err := s.BodyChunk([]byte("Første del. ")); err != nil {
		t.Fatal(err)
	}
	p.Signal(t, syscall.SIGTERM)
	if log := p.WaitLog(t, "stopping; draining messages in flight", 1); !strings.Contains(log, "in_flight=1") {
		t.Errorf("the daemon did not count the message in flight at SIGTERM:\n%s", log)
	}
	if got := finish(t, s, "Anden del.\r\n"); got != (decision{"opportunistic", "Sidst"}) {
		t.Errorf("message in flight at SIGTERM: got %+v", got)
	}
	s.Close()
	if err := p.WaitExit(t, 60*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}
	p.WaitLog(t, "msg=stopped", 1)
}
