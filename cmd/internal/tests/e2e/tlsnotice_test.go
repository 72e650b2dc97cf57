package e2e

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestTLSStatusFilter looks statuses up in the shipped
// tlsgate_tls_status with the real postmap: TLS failures get the
// explanation and keep their class and Postfix's words, other statuses
// are left alone, and the text Postfix quotes to senders is ASCII (its
// bounce daemon masks anything else). The commented-out bounce rule, once
// enabled, makes the missing STARTTLS a 5.7.4 error.
func TestTLSStatusFilter(t *testing.T) {
	postmap, err := sbin("postmap")
	if err != nil {
		if os.Getenv("TLSGATE_E2E") == requireEnv {
			t.Fatal("postmap not found (apt-get install postfix)")
		}
		t.Skip("postmap not found")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.cf"), "")
	filter := shipped(t, "postfix", "tlsgate_tls_status")
	soft := filepath.Join(dir, "soft")
	writeFile(t, soft, filter)
	hard := filepath.Join(dir, "hard")
	writeFile(t, hard, strings.NewReplacer("\n#/^4(", "\n/^4(", "\n#\t5$1", "\n\t5$1").Replace(filter))
	lookup := func(table, status string) string {
		out, err := exec.Command(postmap, "-c", dir, "-q", status, "regexp:"+table).Output()
		if err != nil {
			return "" // exit 1: no match
		}
		return strings.TrimSpace(string(out))
	}
	const noTLS = "4.7.4 TLS is required, but was not offered by host mx.example.dk[192.0.2.1]"
	for _, tc := range []struct {
		table, status, wantPrefix string
	}{
		{soft, noTLS, noTLS + ". DA: "},
		{hard, noTLS, "5" + noTLS[1:] + ". DA: "},
		{soft, "4.7.5 Cannot start TLS: handshake failure", "4.7.5 Cannot start TLS: handshake failure. DA: "},
		{hard, "4.7.5 Cannot start TLS: handshake failure", "4.7.5 Cannot start TLS: handshake failure. DA: "},
		{soft, "4.7.0 TLS is required, but host mx.example.dk[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem", "4.7.0 TLS is required, but host mx.example.dk[192.0.2.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem. DA: "},
		{soft, "5.7.0 TLS is required, but host mx.example.dk[192.0.2.1] refused to start TLS: 554 5.7.0 no", "5.7.0 TLS is required"},
		{soft, "4.7.5 Server certificate not verified", "4.7.5 Server certificate not verified. DA: "},
		{soft, "4.7.5 TLS is required, but our TLS engine is unavailable", ""},
		{soft, "4.4.1 connect to mx.example.dk[192.0.2.1]:25: Connection refused", ""},
		{soft, "5.1.1 host mx.example.dk[192.0.2.1] said: 550 5.1.1 User unknown", ""},
		{hard, "2.0.0 Ok: queued as TLS is required, but was not offered by host x", ""},
	} {
		got := lookup(tc.table, tc.status)
		if !strings.HasPrefix(got, tc.wantPrefix) || (tc.wantPrefix == "") != (got == "") {
			t.Errorf("%s: %q -> %q, want %q...", filepath.Base(tc.table), tc.status, got, tc.wantPrefix)
		}
		for _, c := range got {
			if c > '~' {
				t.Errorf("%q -> non-ASCII %q in %q", tc.status, c, got)
				break
			}
		}
		if strings.Contains(got, "DA: ") && !containsAll(got, "[unsecure] i emnefeltet", "[unsecure] in the Subject", "sikker post", "secure mail", "IT") {
			t.Errorf("%q -> explanation incomplete: %q", tc.status, got)
		}
	}
}

// oldTLSReceiver plays a mail server whose STARTTLS speaks TLS 1.0 and 1.1
// only (Go's crypto/tls still serves them when asked), or, with refuse,
// one that answers STARTTLS with 454 as smtpd does when its TLS context
// failed. It never accepts a message: everything but EHLO, STARTTLS and
// QUIT wants TLS first.
type oldTLSReceiver struct {
	refuse  bool
	mu      sync.Mutex
	lastErr error
	cmds    []string // commands after a handshake; there must be none
}

func startOldTLSReceiver(t *testing.T, addr string, refuse bool) *oldTLSReceiver {
	t.Helper()
	cert, err := tls.X509KeyPair(oldTLSCert(t))
	if err != nil {
		t.Fatal(err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("old-TLS receiver on %s: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &oldTLSReceiver{refuse: refuse}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.serve(c, conf)
		}
	}()
	return r
}

func (r *oldTLSReceiver) serve(c net.Conn, conf *tls.Config) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(wait))
	in := bufio.NewReader(c)
	io.WriteString(c, "220 old.tlsgate-e2e.test ESMTP\r\n")
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
		case "EHLO", "HELO":
			io.WriteString(c, "250-old.tlsgate-e2e.test\r\n250 STARTTLS\r\n")
		case "STARTTLS":
			if r.refuse {
				io.WriteString(c, "454 4.7.0 TLS not available due to local problem\r\n")
				continue
			}
			io.WriteString(c, "220 2.0.0 Ready to start TLS\r\n")
			tc := tls.Server(c, conf)
			err := tc.Handshake()
			r.mu.Lock()
			r.lastErr = err
			r.mu.Unlock()
			if err == nil {
				b, _ := io.ReadAll(tc)
				r.mu.Lock()
				r.cmds = append(r.cmds, string(b))
				r.mu.Unlock()
			}
			return
		case "QUIT":
			io.WriteString(c, "221 2.0.0 Bye\r\n")
			return
		default:
			io.WriteString(c, "530 5.7.0 Must issue a STARTTLS command first\r\n")
		}
	}
}

func (r *oldTLSReceiver) lastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

func (r *oldTLSReceiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cmds
}

// oldTLSCert makes a throw-away self-signed certificate and key (PEM).
func oldTLSCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "old.tlsgate-e2e.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// TestTLSBounceAtOnce runs the alternative the shipped filter offers in a
// comment: with its two bounce lines enabled, mail to a receiver without
// STARTTLS bounces at the first attempt (5.7.4) and the sender gets the
// failure notice, with the same explanation, at once; nothing waits in the
// queue, and tls-report counts the bounce.
func TestTLSBounceAtOnce(t *testing.T) {
	prerequisites(t)
	e := &env{
		tlsRcv:   startReceiver(t, tlsAddr, true),
		clearRcv: startReceiver(t, clearAddr, false),
	}
	bin := buildDaemon(t)
	e.daemon = startDaemon(t, bin)
	filter := strings.NewReplacer("\n#/^4(", "\n/^4(", "\n#\t5$1", "\n\t5$1").Replace(shipped(t, "postfix", "tlsgate_tls_status"))
	e.pf = startPostfixWith(t, "inet:"+e.daemon.Addr, instanceOptions{
		name:      "tlsgate-e2e-tlsbounce",
		confFiles: map[string]string{"tlsgate_tls_status": filter},
	})
	idClear, qid := e.sendFrom(t, tlsNoticeSender, clearRcpt, "Kvartalstal 7F3A", "Hej Bob,\n\ntallene 9C1E ligger her.\n")
	line, ok := e.pf.waitLog(wait, qid+": to=<"+clearRcpt+">", "status=")
	if !ok || !containsAll(line, "dsn=5.7.4", "status=bounced (TLS is required, but was not offered") {
		t.Fatalf("%s: want a 5.7.4 bounce at the first attempt, got %q", qid, line)
	}
	text, status, _ := noticeParts(t, e.waitNotice(t, qid))
	readable := squeeze(text + "\n" + status)
	for _, w := range append(noTLSWords, "bob@[127.0.0.3]", "Ikke afleveret", "could not be delivered", "Status: 5.7.4", "Action: failed") {
		if !strings.Contains(readable, w) {
			t.Errorf("failure notice lacks %q:\n%s\n%s", w, text, status)
		}
	}
	e.wantNotDelivered(t, e.clearRcv, idClear)
	if !poll(wait, func() bool { return !slices.Contains(e.pf.queueIDs(t), qid) }) {
		t.Errorf("%s still queued after its bounce", qid)
	}
	out, err := exec.Command(bin, "tls-report", "-f", e.pf.maillog, "-json").CombinedOutput()
	if err != nil {
		t.Fatalf("tls-report: %v\n%s", err, out)
	}
	var r tlsreport.Report
	if err := json.Unmarshal(out, &r); err != nil || len(r.Domains) != 1 || r.Domains[0].Bounced != 1 || r.Domains[0].Deferred != 0 ||
		r.Domains[0].Notices != 1 {
		t.Errorf("tls-report (%v): %s, want [127.0.0.3] with 1 bounce and 1 notice", err, out)
	}
}
