package e2e

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
)

// Receivers and their recipients. Domain literals make Postfix deliver
// straight to the address, without DNS (REFERENCE.md §2).
const (
	tlsAddr    = "127.0.0.2:25" // offers STARTTLS
	clearAddr  = "127.0.0.3:25" // does not
	tlsRcpt    = "bob@[127.0.0.2]"
	clearRcpt  = "bob@[127.0.0.3]"
	sender     = "alice@sender.tlsgate-e2e.test"
	deferredOn = "TLS is required" // Postfix: "TLS is required, but was not offered by host"

	// wait bounds every wait for Postfix: local delivery takes well under a
	// second, so this is only reached when something is broken.
	wait = 20 * time.Second
)

// An invented CPR number with a real date (1 March 1972; 7th digit 4 with
// YY 72 means the 1900s) that also passes the old modulus-11 check, next to
// its keyword in otherwise harmless text.
const (
	cprNumber = "010372-4317"
	cprBody   = "Hi Bob,\n\nmy CPR " + cprNumber + " for the form.\n\nAlice\n"
)

// TestPostfix runs tlsgate behind a real Postfix and checks what the
// receivers get, one subtest per row of the decision table plus the forged
// header and the milter-down cases. The subtests share one Postfix and one
// tlsgate and run in order: the last one stops tlsgate.
func TestPostfix(t *testing.T) {
	prerequisites(t)
	e := &env{
		tlsRcv:   startReceiver(t, tlsAddr, true),
		clearRcv: startReceiver(t, clearAddr, false),
	}
	e.daemon = startDaemon(t, buildDaemon(t))
	e.pf = startPostfix(t, "inet:"+e.daemon.Addr)

	t.Run("PlainToTLSReceiver", e.plainToTLSReceiver)
	t.Run("PlainToClearReceiverDeferred", e.plainToClearReceiverDeferred)
	t.Run("OptOutToClearReceiver", e.optOutToClearReceiver)
	t.Run("OptOutWithCPRDeferred", e.optOutWithCPRDeferred)
	t.Run("OptOutToTLSReceiver", e.optOutToTLSReceiver)
	t.Run("ForgedHeadersIgnored", e.forgedHeadersIgnored)
	t.Run("SendmailOptOut", e.sendmailOptOut)
	t.Run("EncryptedOptOut", e.encryptedOptOut)
	if err := e.daemon.ExitError(); err != nil {
		t.Fatalf("tlsgate died during the tests: %v", err)
	}
	t.Run("PostfixCheckOK", e.postfixCheck())
	t.Run("MilterDownTempfails", e.milterDownTempfails)
	t.Run("PostfixCheckMilterDown", e.postfixCheck("nothing answers the milter protocol"))
}

// (a) No tag: TLS required; a STARTTLS receiver gets it over TLS 1.2+,
// without the routing header.
func (e *env) plainToTLSReceiver(t *testing.T) {
	id, qid := e.send(t, []string{tlsRcpt}, "quarterly figures", "Numbers attached.\n")
	e.wantRoute(t, qid, "smtp-tls-required")
	got := e.waitDelivered(t, e.tlsRcv, id)
	wantTLS(t, got)
	wantCopy(t, got, "quarterly figures")
	e.wantAuditRecord(t, qid)
}

// (b) No tag, receiver without STARTTLS: deferred, never sent in clear.
func (e *env) plainToClearReceiverDeferred(t *testing.T) {
	id, qid := e.send(t, []string{clearRcpt}, "quarterly figures", "Numbers attached.\n")
	e.wantRoute(t, qid, "smtp-tls-required")
	e.wantDeferred(t, qid, clearRcpt)
	e.wantNotDelivered(t, e.clearRcv, id)
}

// (c) Tag and harmless content: delivered in clear to a receiver without
// STARTTLS, tag removed from the Subject.
func (e *env) optOutToClearReceiver(t *testing.T) {
	id, qid := e.send(t, []string{clearRcpt}, "[unsecure] lunch on Friday", "Pizza at noon?\n")
	e.wantRoute(t, qid, "smtp-tls-optional")
	got := e.waitDelivered(t, e.clearRcv, id)
	if got.TLS {
		t.Errorf("delivered over TLS by a receiver that offers none?")
	}
	wantCopy(t, got, "lunch on Friday")
}

// (d) Tag but a CPR number in the body: the opt-out is refused, so the
// receiver without STARTTLS gets nothing.
func (e *env) optOutWithCPRDeferred(t *testing.T) {
	id, qid := e.send(t, []string{clearRcpt}, "[unsecure] patient file", cprBody)
	e.wantRoute(t, qid, "smtp-tls-required")
	e.wantDeferred(t, qid, clearRcpt)
	e.wantNotDelivered(t, e.clearRcv, id)
	// Audit records never hold the matched text (REFERENCE.md §1).
	e.wantAuditRecord(t, qid)
	digits := strings.ReplaceAll(cprNumber, "-", "")
	for name, log := range map[string]string{"tlsgate": readFile(e.daemon.LogPath), "Postfix": readFile(e.pf.maillog)} {
		if strings.Contains(log, cprNumber) || strings.Contains(log, digits) || strings.Contains(log, cprNumber[:6]) {
			t.Errorf("the %s log contains the CPR number", name)
		}
	}
}

// (e) Opportunistic still means TLS when the receiver offers it.
func (e *env) optOutToTLSReceiver(t *testing.T) {
	id, qid := e.send(t, []string{tlsRcpt}, "[unsecure] lunch on Friday", "Pizza at noon?\n")
	e.wantRoute(t, qid, "smtp-tls-optional")
	got := e.waitDelivered(t, e.tlsRcv, id)
	wantTLS(t, got)
	wantCopy(t, got, "lunch on Friday")
}

// (f) A client cannot choose the route by writing the routing header or
// TLS-Required: no itself. One message to both receivers: the TLS copy
// arrives clean, the other recipient is deferred.
func (e *env) forgedHeadersIgnored(t *testing.T) {
	id, qid := e.send(t, []string{tlsRcpt, clearRcpt}, "forged route", "Trust me.\n",
		"X-TLSGate-Policy: opportunistic", "TLS-Required: no", "Require-TLS-ESMTP: no")
	e.wantRoute(t, qid, "smtp-tls-required")
	got := e.waitDelivered(t, e.tlsRcv, id)
	wantTLS(t, got)
	wantCopy(t, got, "forged route")
	e.wantDeferred(t, qid, clearRcpt)
	e.wantNotDelivered(t, e.clearRcv, id)
}

// Mail submitted with sendmail(1) goes through tlsgate too
// (non_smtpd_milters); Postfix presents it as coming from 127.0.0.1. This is
// also what needs alternate_config_directories: postdrop checks it.
func (e *env) sendmailOptOut(t *testing.T) {
	id := e.messageID(t)
	msg := buildMessage(id, clearRcpt, "[unsecure] lunch on Friday", "Pizza at noon?\n")
	path, err := sbin("sendmail")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "-C", e.pf.confDir, "-f", sender, "-i", clearRcpt)
	cmd.Stdin = strings.NewReader(msg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sendmail: %v\n%s", err, out)
	}
	got := e.waitDelivered(t, e.clearRcv, id)
	if got.TLS {
		t.Errorf("delivered over TLS by a receiver that offers none?")
	}
	wantCopy(t, got, "lunch on Friday")
}

// (h) A real PGP/MIME-encrypted message with the tag is already protected
// and goes out in clear (content.encrypted = "grant"); the same message
// with its armored body swapped for text in clear only claims to be
// encrypted and is held to TLS.
func (e *env) encryptedOptOut(t *testing.T) {
	fixture := readFile(filepath.Join(moduleRoot(t), "testdata", "encrypted", "pgp-mime.eml"))
	_, rest, _ := strings.Cut(fixture, "MIME-Version: 1.0\r\n")
	build := func(id, rcpt, subject string) string {
		return strings.Join([]string{
			"From: Alice <alice@sender.tlsgate-e2e.test>", "To: " + rcpt, "Subject: " + subject,
			"Date: " + time.Now().Format(time.RFC1123Z), "Message-ID: " + id, "MIME-Version: 1.0",
		}, "\r\n") + "\r\n" + rest
	}
	id := e.messageID(t)
	qid, err := submit(e.pf.smtpAddr, sender, []string{clearRcpt}, build(id, clearRcpt, "[unsecure] journal"))
	if err != nil {
		t.Fatal(err)
	}
	e.wantRoute(t, qid, "smtp-tls-optional")
	got := e.waitDelivered(t, e.clearRcv, id)
	wantCopy(t, got, "journal")
	if !strings.Contains(readFile(e.daemon.LogPath), "content-encrypted") {
		t.Error("no content-encrypted reason in tlsgate's log")
	}

	id = e.messageID(t)
	fake := strings.Replace(build(id, clearRcpt, "[unsecure] journal"), "-----BEGIN PGP MESSAGE-----\r\n\r\n",
		"-----BEGIN PGP MESSAGE-----\r\n\r\nPatienten er sygemeldt.\r\n", 1)
	qid, err = submit(e.pf.smtpAddr, sender, []string{clearRcpt}, fake)
	if err != nil {
		t.Fatal(err)
	}
	e.wantRoute(t, qid, "smtp-tls-required")
	e.wantDeferred(t, qid, clearRcpt)
	e.wantNotDelivered(t, e.clearRcv, id)
}

// (g) With tlsgate stopped, Postfix (milter_default_action = tempfail)
// answers 4xx and queues nothing.
func (e *env) milterDownTempfails(t *testing.T) {
	e.daemon.Stop(t)
	before := e.pf.queueIDs(t)
	id := e.messageID(t)
	msg := buildMessage(id, tlsRcpt, "while the milter is down", "Hello.\n")
	qid, err := submit(e.pf.smtpAddr, sender, []string{tlsRcpt}, msg)
	var serr *smtpError
	switch {
	case err == nil:
		t.Fatalf("accepted with the milter down: queued as %s", qid)
	case !errors.As(err, &serr):
		t.Fatalf("submit: %v (want a 4xx reply)", err)
	case serr.Code < 400 || serr.Code > 499:
		t.Fatalf("got %v, want a 4xx reply", serr)
	}
	t.Logf("milter down: %v", serr)
	// Earlier messages may leave the queue meanwhile (a delivery
	// finishing); none may join it.
	for _, q := range e.pf.queueIDs(t) {
		if !slices.Contains(before, q) {
			t.Errorf("message %s queued with the milter down (queue before: %v)", q, before)
		}
	}
	for _, l := range e.pf.logLines() {
		if strings.Contains(l, "message-id="+id) {
			t.Errorf("Postfix took the message in: %s", l)
		}
	}
}

// env is what the subtests share.
type env struct {
	pf       *instance
	daemon   *daemon
	tlsRcv   *smtptest.Server
	clearRcv *smtptest.Server
	seq      atomic.Int64
}

// startReceiver starts a test receiver on port 25 of a loopback address.
func startReceiver(t *testing.T, addr string, withSTARTTLS bool) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Start(addr, withSTARTTLS)
	if err != nil {
		t.Fatalf("cannot start the test receiver on %s: %v\n"+
			"Is the system's Postfix (or another MTA) listening on *:25? Stop it first "+
			"(postfix stop, or systemctl stop postfix); the test needs %s and %s.",
			addr, err, tlsAddr, clearAddr)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// messageID returns a Message-ID unique to this test run, which finds the
// message again at the receiver and in the maillog.
func (e *env) messageID(t *testing.T) string {
	return fmt.Sprintf("<%d.%d.%s@tlsgate-e2e.test>", time.Now().UnixNano(), e.seq.Add(1),
		strings.ReplaceAll(t.Name(), "/", "."))
}

// send submits a message and returns its Message-ID and queue ID.
func (e *env) send(t *testing.T, rcpts []string, subject, body string, extra ...string) (string, string) {
	t.Helper()
	id := e.messageID(t)
	msg := buildMessage(id, strings.Join(rcpts, ", "), subject, body, extra...)
	qid, err := submit(e.pf.smtpAddr, sender, rcpts, msg)
	if err != nil {
		t.Fatalf("submit %q: %v", subject, err)
	}
	return id, qid
}

// wantRoute checks the transport Postfix chose from tlsgate's header; the
// cleanup daemon logs each milter_header_checks FILTER action.
func (e *env) wantRoute(t *testing.T, qid, transport string) {
	t.Helper()
	line, ok := e.pf.waitLog(wait, qid+": milter-header-filter: header X-TLSGate-Policy:")
	if !ok {
		t.Fatalf("%s: no FILTER action logged for X-TLSGate-Policy (did tlsgate add the header?)", qid)
	}
	if !strings.HasSuffix(strings.TrimSpace(line), ": "+transport+":") {
		t.Errorf("%s routed by %q, want transport %s", qid, line, transport)
	}
	var n int
	for _, l := range e.pf.logLines() {
		if strings.Contains(l, qid+": milter-header-filter: header ") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s: %d FILTER actions logged, want exactly one routing header", qid, n)
	}
}

// wantAuditRecord checks tlsgate logged the message under Postfix's queue
// ID (the i macro), which is what ties its audit record to the maillog.
func (e *env) wantAuditRecord(t *testing.T, qid string) {
	t.Helper()
	if !poll(wait, func() bool { return strings.Contains(readFile(e.daemon.LogPath), qid) }) {
		t.Errorf("tlsgate logged nothing for queue ID %s", qid)
	}
}

// waitDelivered waits for the message with Message-ID id at r.
func (e *env) waitDelivered(t *testing.T, r *smtptest.Server, id string) smtptest.Message {
	t.Helper()
	m, ok := r.WaitFor(func(m smtptest.Message) bool { return messageIDOf(m) == id }, wait)
	if !ok {
		t.Fatalf("%s not delivered to %s within %v", id, r.Addr(), wait)
	}
	return m
}

// wantDeferred waits until Postfix logs rcpt of qid as deferred because
// the receiver offers no TLS, and checks postqueue agrees.
func (e *env) wantDeferred(t *testing.T, qid, rcpt string) {
	t.Helper()
	to := qid + ": to=<" + rcpt + ">"
	line, ok := e.pf.waitLog(wait, to, "status=")
	if !ok {
		t.Fatalf("%s: no delivery attempt logged for %s within %v", qid, rcpt, wait)
	}
	if !strings.Contains(line, "status=deferred") || !strings.Contains(line, deferredOn) {
		t.Fatalf("%s to %s: %s\nwant status=deferred (%s...)", qid, rcpt, line, deferredOn)
	}
	var reason string
	ok = poll(wait, func() bool {
		for _, m := range e.pf.queue(t) {
			for _, r := range m.Recipients {
				if m.QueueID == qid && r.Address == rcpt {
					reason = r.DelayReason
				}
			}
		}
		return strings.Contains(reason, deferredOn)
	})
	if !ok {
		t.Errorf("postqueue -j: %s to %s has delay reason %q, want %q", qid, rcpt, reason, deferredOn)
	}
}

// wantNotDelivered checks r never received the message with Message-ID id.
// Call it after the delivery attempt was logged, so there is nothing left
// to wait for.
func (e *env) wantNotDelivered(t *testing.T, r *smtptest.Server, id string) {
	t.Helper()
	for _, m := range r.Messages() {
		if messageIDOf(m) == id {
			t.Errorf("%s was delivered to %s (TLS=%v): it must not be", id, r.Addr(), m.TLS)
		}
	}
}

// wantTLS checks the copy came over TLS 1.2 or later.
func wantTLS(t *testing.T, m smtptest.Message) {
	t.Helper()
	if !m.TLS {
		t.Errorf("delivered in clear, want TLS")
	} else if m.TLSVersion < tls.VersionTLS12 {
		t.Errorf("delivered over %s, want TLS 1.2 or later", tls.VersionName(m.TLSVersion))
	}
}

// wantCopy checks the receiver's copy: the expected Subject, and none of the
// headers tlsgate routes on or removes.
func wantCopy(t *testing.T, m smtptest.Message, subject string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("receiver's copy does not parse: %v\n%s", err, m.Data)
	}
	if got := msg.Header["Subject"]; len(got) != 1 || got[0] != subject {
		t.Errorf("Subject = %q, want [%q]", got, subject)
	}
	for name := range msg.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-tlsgate-") || l == "tls-required" || l == "require-tls-esmtp" {
			t.Errorf("receiver's copy has %s: %q", name, msg.Header[name])
		}
	}
	if t.Failed() {
		t.Logf("receiver's copy:\n%s", m.Data)
	}
}

// messageIDOf returns a received message's Message-ID, or "".
func messageIDOf(m smtptest.Message) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	return msg.Header.Get("Message-Id")
}
