package e2esendmail

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
)

// Receivers and their recipients. Domain literals make Sendmail deliver
// straight to the address, without DNS. 127.0.0.4/5, not the Postfix
// test's 127.0.0.2/3, so both tests can run at once.
const (
	tlsAddr   = "127.0.0.4:25" // offers STARTTLS
	clearAddr = "127.0.0.5:25" // does not
	tlsRcpt   = "bob@[127.0.0.4]"
	clearRcpt = "bob@[127.0.0.5]"
	sender    = "alice@sender.tlsgate-e2e.test"

	// deferredOn is how Sendmail's tls_server ruleset refuses a server
	// that offered no STARTTLS under "TLS_Srv: ENCR:128" (proto.m4,
	// TLS_connection): "encryption too weak 0 less than 128".
	deferredOn = "encryption too weak"

	wait = 30 * time.Second
)

// An invented CPR number with a real date that passes modulus 11, next to
// its keyword.
const cprBody = "Hi Bob,\n\nmy CPR 010372-4317 for the form.\n\nAlice\n"

// env is one Sendmail with tlsgate and both receivers.
type env struct {
	sm           *instance
	gate         *daemon
	tlsR, clearR *smtptest.Server
	n            int
	optOutIDs    []string // delivered in clear on purpose
}

// testTokenKey is the envelope channel's secret in these tests.
const testTokenKey = "e2e-key-0123456789abcdef"

// setup starts both receivers, tlsgate with config, and Sendmail with the
// shipped recipe (plus tlsgate-optout.mc when mapAddr, tlsgate's token
// map, is set).
func setup(t *testing.T, config, mapAddr string) *env {
	t.Helper()
	root := prerequisites(t)
	e := &env{}
	var err error
	if e.tlsR, err = smtptest.Start(tlsAddr, true); err != nil {
		skipOrFail(t, fmt.Sprintf("TLS receiver on %s: %v", tlsAddr, err))
	}
	t.Cleanup(func() { e.tlsR.Close() })
	if e.clearR, err = smtptest.Start(clearAddr, false); err != nil {
		skipOrFail(t, fmt.Sprintf("receiver on %s: %v", clearAddr, err))
	}
	t.Cleanup(func() { e.clearR.Close() })
	e.gate = startDaemon(t, buildDaemon(t), config)
	e.sm = startSendmail(t, root, e.gate.Addr, mapAddr)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("sendmail queue:\n%s", e.sm.queue(t))
		}
	})
	return e
}

// mustStayQueued are the messages no receiver without STARTTLS may get,
// under either recipe.
var mustStayQueued = []struct{ name, subject, extra, body string }{
	{"plain", "Meeting", "", "Hi Bob,\n\nsee you at ten.\n"},
	{"optout with CPR", "[unsecure] Form", "", cprBody},
	{"forged X-TLSGate-Policy", "Meeting", "X-TLSGate-Policy: opportunistic\r\n", "Hi.\n"},
	{"forged TLS-Required", "Meeting", "TLS-Required: No\r\n", "Hi.\n"},
}

// TestSendmailFailClosed runs the default recipe (tlsgate.mc and
// access.example): every message needs TLS, opt-outs are not honoured.
func TestSendmailFailClosed(t *testing.T) {
	e := setup(t, daemonConfig, "")
	t.Run("plain/TLS receiver gets it over TLS 1.2+", e.plainToTLS)
	t.Run("optout/TLS receiver gets it without tag", e.optOutToTLS)
	t.Run("forged/headers removed", e.forgedRemoved)
	var deferred []string
	for _, c := range append(mustStayQueued, mustStayQueued[0]) {
		if len(deferred) == len(mustStayQueued) {
			c.name, c.subject = "optout harmless (not honoured)", "[unsecure] Meeting"
		}
		deferred = append(deferred, e.send(t, clearRcpt, c.subject, c.extra, c.body))
		t.Logf("%s: sent %s to the receiver without STARTTLS", c.name, deferred[len(deferred)-1])
	}
	t.Run("clear receiver gets nothing, all deferred", func(t *testing.T) { e.nothingInClear(t, deferred) })
	t.Run("tlsgate down means 4xx", e.milterDown)
}

// TestSendmailEnvelope runs the envelope channel (tlsgate-optout.mc,
// access-optout.example, [sendmail] mode = "envelope").
func TestSendmailEnvelope(t *testing.T) {
	mapAddr := freePort(t)
	e := setup(t, daemonConfig+"[sendmail]\nmode = \"envelope\"\ntoken_key = \""+testTokenKey+"\"\nmap_listen = \"inet:"+mapAddr+"\"\n", mapAddr)
	t.Run("plain/TLS receiver gets it over TLS 1.2+", e.plainToTLS)
	t.Run("recipe restricts mailq", func(t *testing.T) {
		if cf := readFile(e.sm.cf); !regexp.MustCompile(`(?m)^O PrivacyOptions=.*restrictmailq`).MatchString(cf) {
			t.Error("the .cf has no PrivacyOptions with restrictmailq")
		}
	})
	t.Run("optout harmless/clear receiver gets it, no tag, no token", e.optOutInClear)
	var leaked []string
	t.Run("a token seen in a bounce grants nothing", func(t *testing.T) { leaked = e.tokenFromBounce(t) })
	// With the receiver down, every message is queued; once it is back,
	// queue runs deliver the opt-out (the mark survives the queue file) and
	// nothing else (the opt-out does not leak to other envelopes handled by
	// the same queue runner).
	e.clearR.Close()
	queuedOptOut := e.send(t, clearRcpt, "[unsecure] Queued", "", "Hi Bob,\n\nlater.\n")
	deferred := leaked
	for _, c := range mustStayQueued {
		deferred = append(deferred, e.send(t, clearRcpt, c.subject, c.extra, c.body))
		t.Logf("%s: sent %s to the receiver without STARTTLS", c.name, deferred[len(deferred)-1])
	}
	// An opt-out and a plain message in one SMTP session: the flag must not
	// carry over to the second transaction.
	ids := e.sendSession(t, clearRcpt, "[unsecure] First", "Second")
	deferred = append(deferred, ids[1])
	var err error
	if e.clearR, err = smtptest.Start(clearAddr, false); err != nil {
		t.Fatal(err)
	}
	t.Run("queued optout delivered by a queue run", func(t *testing.T) {
		delivered(t, e.clearR, queuedOptOut)
		delivered(t, e.clearR, ids[0])
		e.optOutIDs = append(e.optOutIDs, queuedOptOut, ids[0])
	})
	t.Run("clear receiver gets nothing else, all deferred", func(t *testing.T) { e.nothingInClear(t, deferred) })
	t.Run("tlsgate down means 4xx", e.milterDown)
}

// optOutInClear: a granted opt-out reaches a receiver without STARTTLS,
// with the tag, tlsgate's header and the token all gone.
func (e *env) optOutInClear(t *testing.T) {
	id := e.send(t, clearRcpt, "[unsecure] Meeting", "", "Hi Bob,\n\nsee you at ten.\n")
	m, pm := delivered(t, e.clearR, id)
	e.optOutIDs = append(e.optOutIDs, id)
	if got := pm.Header.Get("Subject"); got != "Meeting" {
		t.Errorf("Subject = %q, want %q", got, "Meeting")
	}
	for k := range pm.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-tlsgate") {
			t.Errorf("header %s reached the receiver", k)
		}
	}
	if tokenRE.Match(m.Data) || tokenRE.MatchString(strings.Join(m.To, ",")) {
		t.Errorf("a token reached the receiver: RCPT %q\n%s", m.To, m.Data)
	}
	if len(m.To) != 1 || m.To[0] != clearRcpt {
		t.Errorf("RCPT TO = %q, want [%s]", m.To, clearRcpt)
	}
}

// tokenRE finds an opt-out token (rules.Token) in an address.
var tokenRE = regexp.MustCompile(`\+(tg[a-z2-7]{26})@`)

// tokenFromBounce: a granted opt-out to two recipients, one of which the
// receiver refuses, bounces to the sender with the refused recipient's
// token in it. That token, used again over SMTP, through an alias and
// through a .forward file, routes nothing without TLS: SMTP refuses it,
// the alias and the .forward copies wait for TLS (and go out over TLS to
// a receiver that has it). It returns the Message-IDs that must stay
// queued.
func (e *env) tokenFromBounce(t *testing.T) []string {
	const tlsSender = "alice@[127.0.0.4]" // the bounce goes to the TLS receiver
	rejected := smtptest.RejectLocal + "@[127.0.0.5]"
	id := e.submit(t, tlsSender, []string{clearRcpt, rejected}, "[unsecure] Meeting", "Hi Bob,\n\nsee you at ten.\n")
	delivered(t, e.clearR, id)
	e.optOutIDs = append(e.optOutIDs, id)
	bounce, ok := e.tlsR.WaitFor(func(m smtptest.Message) bool {
		return m.From == "" && bytes.Contains(m.Data, []byte(id))
	}, wait)
	if !ok {
		t.Fatalf("no bounce for %s reached %s", id, tlsSender)
	}
	requireTLS12(t, bounce)
	sm := tokenRE.FindSubmatch(bounce.Data)
	if sm == nil {
		t.Fatalf("no token in the bounce (the test needs one to re-use):\n%s", bounce.Data)
	}
	token := string(sm[1])
	t.Logf("token read from the bounce: %s", token)

	// SMTP: refused at RCPT.
	err := smtp.SendMail(e.sm.addr, nil, sender, []string{"bob+" + token + "@[127.0.0.5]"}, []byte("Subject: x\r\n\r\nx\r\n"))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 {
		t.Errorf("RCPT TO with a token over SMTP: %v, want 550", err)
	}

	// An alias: the clear copy waits for TLS, the TLS copy arrives over TLS.
	e.sm.setAliases(t, "leak: bob+"+token+"@[127.0.0.5], bob+"+token+"@[127.0.0.4]\n")
	viaAlias := e.send(t, "leak@"+hostName, "Meeting", "", "Hi Bob,\n\nsee you at ten.\n")
	m, _ := delivered(t, e.tlsR, viaAlias)
	requireTLS12(t, m)

	// A .forward file: waits for TLS.
	e.sm.setForward(t, "root", "bob+"+token+"@[127.0.0.5]\n")
	viaForward := e.send(t, "root@"+hostName, "Meeting", "", "Hi Bob,\n\nsee you at ten.\n")
	return []string{viaAlias, viaForward}
}

// submit sends one message from from to rcpts and returns its Message-ID.
func (e *env) submit(t *testing.T, from string, rcpts []string, subject, body string) string {
	t.Helper()
	e.n++
	id := fmt.Sprintf("<%d.%d@sender.tlsgate-e2e.test>", time.Now().UnixNano(), e.n)
	msg := "From: Alice <" + from + ">\r\nTo: <" + rcpts[0] + ">\r\nSubject: " + subject + "\r\n" +
		"Message-ID: " + id + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
	if err := smtp.SendMail(e.sm.addr, nil, from, rcpts, []byte(msg)); err != nil {
		t.Fatalf("submit %s: %v", id, err)
	}
	return id
}

// send submits one message to Sendmail and returns its Message-ID.
func (e *env) send(t *testing.T, rcpt, subject, extraHeaders, body string) string {
	t.Helper()
	e.n++
	id := fmt.Sprintf("<%d.%d@sender.tlsgate-e2e.test>", time.Now().UnixNano(), e.n)
	msg := "From: Alice <" + sender + ">\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\n" +
		"Message-ID: " + id + "\r\n" + extraHeaders +
		"\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
	if err := smtp.SendMail(e.sm.addr, nil, sender, []string{rcpt}, []byte(msg)); err != nil {
		t.Fatalf("submit %s: %v", id, err)
	}
	return id
}

// sendSession submits one harmless message per subject in a single SMTP
// session and returns their Message-IDs.
func (e *env) sendSession(t *testing.T, rcpt string, subjects ...string) []string {
	t.Helper()
	c, err := smtp.Dial(e.sm.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var ids []string
	for _, subj := range subjects {
		e.n++
		id := fmt.Sprintf("<%d.%d@sender.tlsgate-e2e.test>", time.Now().UnixNano(), e.n)
		ids = append(ids, id)
		if err := c.Mail(sender); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt(rcpt); err != nil {
			t.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "From: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: %s\r\n\r\nHi Bob.\r\n", sender, rcpt, subj, id)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	c.Quit()
	return ids
}

// delivered waits for the message with Message-ID id at r.
func delivered(t *testing.T, r *smtptest.Server, id string) (smtptest.Message, *mail.Message) {
	t.Helper()
	m, ok := r.WaitFor(func(m smtptest.Message) bool { return bytes.Contains(m.Data, []byte(id)) }, wait)
	if !ok {
		t.Fatalf("%s not delivered to %s within %s", id, r.Addr(), wait)
	}
	pm, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	return m, pm
}

func requireTLS12(t *testing.T, m smtptest.Message) {
	t.Helper()
	if !m.TLS || m.TLSVersion < tls.VersionTLS12 {
		t.Errorf("delivered with TLS=%v version=%#x, want TLS 1.2 or later", m.TLS, m.TLSVersion)
	}
}

func (e *env) plainToTLS(t *testing.T) {
	id := e.send(t, tlsRcpt, "Meeting", "", "Hi Bob,\n\nsee you at ten.\n")
	m, pm := delivered(t, e.tlsR, id)
	requireTLS12(t, m)
	if got := pm.Header.Get("Subject"); got != "Meeting" {
		t.Errorf("Subject = %q, want unchanged", got)
	}
}

// optOutToTLS: a granted opt-out still goes over TLS on Sendmail (it cannot
// relax it), with the tag stripped.
func (e *env) optOutToTLS(t *testing.T) {
	id := e.send(t, tlsRcpt, "[unsecure] Meeting", "", "Hi Bob,\n\nsee you at ten.\n")
	m, pm := delivered(t, e.tlsR, id)
	requireTLS12(t, m)
	if got := pm.Header.Get("Subject"); strings.Contains(strings.ToLower(got), "unsecure") {
		t.Errorf("Subject = %q, want the tag removed", got)
	}
	t.Logf("receiver saw X-TLSGate-Policy: %q", pm.Header.Get("X-TLSGate-Policy"))
}

// forgedRemoved: forged policy headers never reach the receiver.
func (e *env) forgedRemoved(t *testing.T) {
	id := e.send(t, tlsRcpt, "Meeting", "X-TLSGate-Policy: opportunistic\r\nTLS-Required: No\r\nRequire-TLS-ESMTP: no\r\n", "Hi.\n")
	m, pm := delivered(t, e.tlsR, id)
	requireTLS12(t, m)
	for _, h := range []string{"TLS-Required", "Require-TLS-ESMTP"} {
		if v := pm.Header.Get(h); v != "" {
			t.Errorf("%s: %q reached the receiver", h, v)
		}
	}
	if v := pm.Header["X-Tlsgate-Policy"]; len(v) > 1 || (len(v) == 1 && v[0] != "require") {
		t.Errorf("X-TLSGate-Policy at receiver = %q, want at most tlsgate's own \"require\"", v)
	}
}

// nothingInClear waits until Sendmail has deferred every message in ids
// for want of encryption, then checks the clear receiver got none.
func (e *env) nothingInClear(t *testing.T, ids []string) {
	var q string
	ok := poll(wait, func() bool {
		q = e.sm.queue(t)
		return strings.Count(q, deferredOn) >= len(ids)
	})
	if !ok {
		t.Errorf("want %d messages deferred with %q, queue:\n%s", len(ids), deferredOn, q)
	}
	for _, m := range e.clearR.Messages() {
		if slices.ContainsFunc(e.optOutIDs, func(id string) bool { return bytes.Contains(m.Data, []byte(id)) }) {
			continue
		}
		t.Errorf("delivered in clear to %s:\n%s", clearAddr, m.Data)
	}
}

// milterDown: with tlsgate stopped, F=T makes Sendmail answer 4xx.
func (e *env) milterDown(t *testing.T) {
	e.gate.Stop(t)
	err := smtp.SendMail(e.sm.addr, nil, sender, []string{tlsRcpt}, []byte("Subject: x\r\n\r\nx\r\n"))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code/100 != 4 {
		t.Fatalf("submission with tlsgate down: %v, want a 4xx reply", err)
	}
	t.Logf("tlsgate down: %d %s", te.Code, te.Msg)
}
