package smtptest

import (
	"crypto/tls"
	"net/smtp"
	"slices"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, withSTARTTLS bool) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", withSTARTTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// send runs one transaction with net/smtp, upgrading to TLS when useTLS.
func send(t *testing.T, s *Server, useTLS bool, from string, to []string, body string) {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if useTLS {
		if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
			t.Fatalf("STARTTLS: %v", err)
		}
		if ok, _ := c.Extension("STARTTLS"); ok {
			t.Error("STARTTLS still advertised inside TLS")
		}
	}
	// RSET and NOOP before the real transaction: both must leave no trace.
	if err := c.Mail("junk@client.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(); err != nil {
		t.Fatalf("RSET: %v", err)
	}
	if err := c.Noop(); err != nil {
		t.Fatalf("NOOP: %v", err)
	}
	if err := c.Mail(from); err != nil {
		t.Fatal(err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

func TestReceive(t *testing.T) {
	// The body has lines starting with a dot to check dot-unstuffing.
	const body = "Subject: hi\r\n\r\n.hidden\r\n..two\r\nend\r\n"
	for _, tc := range []struct {
		name          string
		offer, useTLS bool
	}{
		{"plain", false, false},
		{"offered-unused", true, false},
		{"starttls", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, tc.offer)
			send(t, s, tc.useTLS, "alice@a.test", []string{"bob@[127.0.0.2]", "carol@c.test"}, body)
			m, ok := s.WaitFor(func(Message) bool { return true }, 5*time.Second)
			if !ok {
				t.Fatal("no message recorded")
			}
			if m.From != "alice@a.test" || !slices.Equal(m.To, []string{"bob@[127.0.0.2]", "carol@c.test"}) {
				t.Errorf("envelope = %q %q", m.From, m.To)
			}
			if string(m.Data) != body {
				t.Errorf("data = %q, want %q", m.Data, body)
			}
			if m.TLS != tc.useTLS {
				t.Errorf("TLS = %v, want %v", m.TLS, tc.useTLS)
			}
			if tc.useTLS && m.TLSVersion < tls.VersionTLS12 {
				t.Errorf("TLS version = %x, want >= TLS 1.2", m.TLSVersion)
			}
			if n := len(s.Messages()); n != 1 {
				t.Errorf("%d messages recorded, want 1 (RSET must discard)", n)
			}
		})
	}
}

func TestNoSTARTTLS(t *testing.T) {
	s := start(t, false)
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS advertised by a server started without it")
	}
	err = c.StartTLS(&tls.Config{InsecureSkipVerify: true})
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("STARTTLS = %v, want a 502 refusal", err)
	}
}

func TestRefusesOldTLS(t *testing.T) {
	s := start(t, true)
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	conf := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}
	if err := c.StartTLS(conf); err == nil {
		t.Error("TLS 1.1 handshake succeeded, want it refused")
	}
}

func TestWaitForTimeout(t *testing.T) {
	s := start(t, false)
	if _, ok := s.WaitFor(func(Message) bool { return true }, 50*time.Millisecond); ok {
		t.Error("WaitFor reported a message on an idle server")
	}
}
