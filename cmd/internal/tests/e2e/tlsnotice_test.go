package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os/exec"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
	"github.com/tlsgate/tlsgate/cmd/internal/tlsreport"
)

// The TLS notice test's sender has its mailbox at the TLS receiver, so the
// notices Postfix sends back arrive there; deadRcpt's address has no
// listener (connection refused: mail waits for a reason that is not TLS).
// oldTLSAddr offers STARTTLS but speaks TLS 1.0 and 1.1 only; refuseAddr
// offers it and answers it as a Postfix whose certificate did not load.
const (
	tlsNoticeSender = "carl@[127.0.0.2]"
	deadRcpt        = "bob@[127.0.0.9]"
	oldTLSAddr      = "127.0.0.10:25"
	oldTLSRcpt      = "bob@[127.0.0.10]"
	refuseAddr      = "127.0.0.11:25"
	refuseRcpt      = "bob@[127.0.0.11]"
)

// Words of the shipped explanation (packaging/postfix/tlsgate_tls_status)
// that the sender must read in both languages, and words no notice about
// another delay may hold.
var (
	noTLSWords = []string{
		"ikke kan modtage krypteret post", "[unsecure] i emnefeltet", "sikker post", "give IT besked",
		"cannot receive encrypted mail", "[unsecure] in the Subject", "secure mail", "tell IT",
	}
	tlsBlame = []string{"krypter", "encrypt", "unsecure", "TLS"}
)

// TestTLSNotice runs the sender notices of packaging/postfix (the status
// filter on smtp-tls-required, the bilingual bounce templates and
// delay_warning_time, shortened here to seconds) in a real Postfix:
//
//   - mail to a receiver without STARTTLS waits, and its sender gets a
//     delay notice that explains, in Danish and English, naming the
//     recipient's domain and neither the Subject nor the body;
//   - the same mail to a receiver with STARTTLS is delivered, no notice;
//   - to a receiver with TLS 1.1 at most (a handshake failure to Postfix),
//     or one that answers STARTTLS with 454, it waits too, and the notice
//     says so in softer words;
//   - mail that waits for another reason (connection refused) gets a
//     notice that does not mention encryption;
//   - the message resent with [unsecure] and harmless content is delivered
//     in clear.
//
// Then tlsgate tls-report reads the maillog the run wrote.
func TestTLSNotice(t *testing.T) {
	prerequisites(t)
	e := &env{
		tlsRcv:   startReceiver(t, tlsAddr, true),
		clearRcv: startReceiver(t, clearAddr, false),
	}
	bin := buildDaemon(t)
	e.daemon = startDaemon(t, bin)
	e.pf = startPostfixWith(t, "inet:"+e.daemon.Addr, instanceOptions{
		name: "tlsgate-e2e-tlsnotice",
		// Warn after 2 s instead of 1 h, and retry every second or two.
		mainCF: "delay_warning_time = 2s\nqueue_run_delay = 1s\nminimal_backoff_time = 1s\nmaximal_backoff_time = 2s\n",
	})

	const subject, body = "Kvartalstal 7F3A", "Hej Bob,\n\ntallene 9C1E ligger her.\n"
	idClear, qidClear := e.sendFrom(t, tlsNoticeSender, clearRcpt, subject, body)
	e.wantRoute(t, qidClear, "smtp-tls-required")
	idTLS, qidTLS := e.sendFrom(t, tlsNoticeSender, tlsRcpt, subject, body)
	_, qidDead := e.sendFrom(t, tlsNoticeSender, deadRcpt, "Frokost", "Pizza kl. 12?\n")
	old := startOldTLSReceiver(t, oldTLSAddr, false)
	_, qidOld := e.sendFrom(t, tlsNoticeSender, oldTLSRcpt, subject, body)
	refuse := startOldTLSReceiver(t, refuseAddr, true)
	_, qidRefused := e.sendFrom(t, tlsNoticeSender, refuseRcpt, subject, body)
	wantTLS(t, e.waitDelivered(t, e.tlsRcv, idTLS))
	e.wantNotDelivered(t, e.clearRcv, idClear)

	notice := e.waitNotice(t, qidClear)
	text, status, rest := noticeParts(t, notice)
	t.Logf("the sender's notice (text and delivery status):\n%s\n%s", text, status)
	readable := squeeze(text + "\n" + status)
	for _, w := range append(noTLSWords, "bob@[127.0.0.3]", "Endnu ikke afleveret", "not yet been delivered") {
		if !strings.Contains(readable, w) {
			t.Errorf("TLS notice lacks %q:\n%s", w, text)
		}
	}
	for _, never := range []string{"7F3A", "Kvartalstal", "9C1E", "tallene"} {
		if strings.Contains(readable, never) {
			t.Errorf("TLS notice's text quotes the message (%q):\n%s", never, text)
		}
	}
	// Postfix returns the original's header block with a delay notice
	// (RFC 3464 text/rfc822-headers); never its body.
	if strings.Contains(string(notice.Data), "9C1E") {
		t.Errorf("TLS notice holds the message body:\n%s", rest)
	}

	// TLS 1.1 only: Postfix sees a handshake failure, the sender the
	// softer explanation.
	text, status, _ = noticeParts(t, e.waitNotice(t, qidOld))
	readable = squeeze(text + "\n" + status)
	for _, w := range []string{"bob@[127.0.0.10]", "Cannot start TLS: handshake failure", "for gammel TLS-version", "too old a TLS version",
		"[unsecure] i emnefeltet", "[unsecure] in the Subject", "sikker post", "secure mail", "tell IT"} {
		if !strings.Contains(readable, w) {
			t.Errorf("old-TLS notice lacks %q:\n%s", w, text)
		}
	}
	if err := old.lastError(); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("old-TLS receiver: handshake error %v, want a protocol version mismatch", err)
	}
	for _, m := range append(old.got(), refuse.got()...) {
		t.Errorf("a receiver without working TLS got a message: %q", m)
	}
	text, status, _ = noticeParts(t, e.waitNotice(t, qidRefused))
	readable = squeeze(text + "\n" + status)
	for _, w := range []string{"bob@[127.0.0.11]", "refused to start TLS: 454 4.7.0 TLS not available due to local problem",
		"too old a TLS version", "[unsecure] in the Subject", "[unsecure] i emnefeltet"} {
		if !strings.Contains(readable, w) {
			t.Errorf("refused-STARTTLS notice lacks %q:\n%s", w, text)
		}
	}

	dead := e.waitNotice(t, qidDead)
	text, status, _ = noticeParts(t, dead)
	for _, w := range tlsBlame {
		if strings.Contains(text+status, w) {
			t.Errorf("notice about a refused connection mentions %q:\n%s\n%s", w, text, status)
		}
	}
	if !strings.Contains(squeeze(status), "Connection refused") {
		t.Errorf("notice about a refused connection does not give the reason:\n%s", status)
	}

	// The sender follows the advice: same message, [unsecure], harmless.
	idOpt, qidOpt := e.sendFrom(t, tlsNoticeSender, clearRcpt, "[unsecure] "+subject, body)
	e.wantRoute(t, qidOpt, "smtp-tls-optional")
	got := e.waitDelivered(t, e.clearRcv, idOpt)
	wantCopy(t, got, subject)

	// No notice for the message delivered over TLS, nor for the opt-out.
	for _, qid := range []string{qidTLS, qidOpt} {
		for _, l := range e.pf.logLines() {
			if strings.Contains(l, qid+": sender delay notification") || strings.Contains(l, qid+": sender non-delivery notification") {
				t.Errorf("notice for a delivered message: %s", l)
			}
		}
	}
	e.checkTLSReport(t, bin, qidOpt)
}

// sendFrom submits a message from the given envelope sender to one
// recipient and returns its Message-ID and queue ID.
func (e *env) sendFrom(t *testing.T, from, rcpt, subject, body string) (string, string) {
	t.Helper()
	id := e.messageID(t)
	qid, err := submit(e.pf.smtpAddr, from, []string{rcpt}, buildMessage(id, rcpt, subject, body))
	if err != nil {
		t.Fatalf("submit %q to %s: %v", subject, rcpt, err)
	}
	return id, qid
}

// waitNotice waits for the delivery status notice Postfix sends about the
// message queued as qid: null sender, and qid in its X-Postfix-Queue-ID.
func (e *env) waitNotice(t *testing.T, qid string) smtptest.Message {
	t.Helper()
	m, ok := e.tlsRcv.WaitFor(func(m smtptest.Message) bool {
		return m.From == "" && bytes.Contains(m.Data, []byte("X-Postfix-Queue-ID: "+qid+"\r\n"))
	}, 2*wait)
	if !ok {
		t.Fatalf("no notice about %s at the sender's receiver\nmaillog:\n%s", qid, readFile(e.pf.maillog))
	}
	return m
}

// noticeParts splits a Postfix notice (multipart/report, RFC 3462) into its
// human-readable text, its message/delivery-status part and the rest.
func noticeParts(t *testing.T, m smtptest.Message) (text, status, rest string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("notice does not parse: %v\n%s", err, m.Data)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/report" {
		t.Fatalf("notice is %q (%v), want multipart/report\n%s", mt, err, m.Data)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("notice part: %v\n%s", err, m.Data)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, string(b))
	}
	if len(parts) < 2 {
		t.Fatalf("notice has %d parts, want 3\n%s", len(parts), m.Data)
	}
	return "Subject: " + msg.Header.Get("Subject") + "\n\n" + parts[0], parts[1], strings.Join(parts[2:], "\n")
}

// squeeze folds the runs of white space Postfix's line wrapping leaves.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkTLSReport runs tlsgate tls-report on the maillog this test wrote:
// the receiver without STARTTLS is listed with its deferrals, the notice
// and the opt-out sent afterwards, the TLS 1.1 receiver with its handshake
// failures; the refused connection and the TLS receiver are not; no local
// part appears.
func (e *env) checkTLSReport(t *testing.T, bin string, qidOpt string) {
	t.Helper()
	if _, ok := e.pf.waitLog(wait, qidOpt+": to=<"+clearRcpt+">", "status=sent"); !ok {
		t.Fatalf("%s: delivery not logged", qidOpt)
	}
	out, err := exec.Command(bin, "tls-report", "-f", e.pf.maillog, "-json").CombinedOutput()
	if err != nil {
		t.Fatalf("tls-report: %v\n%s", err, out)
	}
	var r tlsreport.Report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("tls-report -json: %v\n%s", err, out)
	}
	got := map[string]tlsreport.Domain{}
	for _, d := range r.Domains {
		got[d.Domain] = d
	}
	if len(got) != 3 || got["[127.0.0.11]"].Kinds[tlsreport.Refused] < 2 {
		t.Errorf("tls-report lists %d domains, want [127.0.0.3], [127.0.0.10] and [127.0.0.11] (starttls-refused):\n%s", len(got), out)
	}
	d := got["[127.0.0.3]"]
	if d.Messages != 1 || d.Deferred < 2 || d.Bounced != 0 ||
		d.Kinds[tlsreport.NoSTARTTLS] != d.Deferred || d.Notices != 1 || d.OptOutSent != 1 {
		t.Errorf("tls-report: %+v, want [127.0.0.3]: 1 message, 2+ no-starttls deferrals, 1 notice, 1 opt-out sent", d)
	}
	d = got["[127.0.0.10]"]
	if d.Messages != 1 || d.Deferred < 2 || d.Kinds[tlsreport.Handshake] != d.Deferred || d.Notices != 1 || d.OptOutSent != 0 {
		t.Errorf("tls-report: %+v, want [127.0.0.10]: 1 message, 2+ handshake deferrals, 1 notice", d)
	}
	text, err := exec.Command(bin, "tls-report", "-f", e.pf.maillog).CombinedOutput()
	if err != nil {
		t.Fatalf("tls-report: %v\n%s", err, text)
	}
	t.Logf("tlsgate tls-report:\n%s", text)
	for _, never := range []string{"bob", "carl", "Kvartalstal"} {
		if bytes.Contains(out, []byte(never)) || bytes.Contains(text, []byte(never)) {
			t.Errorf("tls-report output holds %q", never)
		}
	}
}
