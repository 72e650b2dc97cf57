package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// SASL account of the notice test (Cyrus sasldb, realm = the domain).
const (
	saslUser     = "bente@tlsgate-e2e.test"
	saslPassword = "correct horse battery staple"
	noticeSender = "bente@[127.0.0.2]" // the sender's mailbox: the TLS receiver
)

// TestSenderNotice: a real Postfix with SMTP AUTH (Cyrus SASL, sasldb) in
// front of tlsgate with [notice] enable. An authenticated sender's refused
// opt-out goes out with TLS required, and the sender gets a notice, by way
// of the same Postfix and tlsgate, naming the kinds of content and not the
// content. A refused opt-out from an unauthenticated client of mynetworks
// gets none, nor does a granted one.
func TestSenderNotice(t *testing.T) {
	prerequisites(t)
	saslpasswd, err := exec.LookPath("saslpasswd2")
	if err != nil {
		if os.Getenv("TLSGATE_E2E") == "require" {
			t.Fatal("saslpasswd2 not found: apt-get install sasl2-bin libsasl2-modules")
		}
		t.Skip("saslpasswd2 not found (sasl2-bin)")
	}
	tlsRcv := startReceiver(t, tlsAddr, true)
	startReceiver(t, clearAddr, false)

	sasl := saslConfig(t, saslpasswd)
	// The notice comes back in through a second smtpd of the same Postfix,
	// so tlsgate must know its port before Postfix starts.
	noticePort := freePort(t)
	auditLog := filepath.Join(t.TempDir(), "audit.log")
	d := testdaemon.Start(t, buildDaemon(t), daemonConfig+fmt.Sprintf(`
[audit]
file = %q
[notice]
enable = true
smtp = %q
`, auditLog, noticePort))
	t.Cleanup(func() { testdaemon.KeepLog(t, auditLog) })
	pf := startPostfixWith(t, "inet:"+d.Addr, instanceOptions{
		name: "tlsgate-e2e-notice",
		mainCF: `smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
`,
		// Debian's Postfix reads $config_directory/sasl/smtpd.conf and
		// ignores cyrus_sasl_config_path.
		confFiles: map[string]string{"sasl/smtpd.conf": sasl},
		masterCF:  noticePort + " inet n - n - - smtpd\n",
	})
	e := &env{daemon: d, pf: pf, tlsRcv: tlsRcv}

	// Authenticated, [unsecure] with a CPR number: refused, notice.
	id := e.messageID(t)
	qid, err := submitAuth(pf.smtpAddr, noticeSender, tlsRcpt, buildMessage(id, tlsRcpt, "[unsecure] Blanket", cprBody))
	if err != nil {
		t.Fatalf("authenticated submission: %v\nmaillog:\n%s", err, readFile(pf.maillog))
	}
	orig := e.waitDelivered(t, tlsRcv, id)
	wantTLS(t, orig)
	notice, ok := tlsRcv.WaitFor(func(m smtptest.Message) bool {
		return len(m.To) == 1 && m.To[0] == noticeSender && m.From == ""
	}, wait)
	if !ok {
		t.Fatalf("no notice delivered to %s\ntlsgate log:\n%s\nmaillog:\n%s", noticeSender, readFile(d.LogPath), readFile(pf.maillog))
	}
	wantTLS(t, notice)
	text := decodedText(t, notice)
	for _, want := range []string{"Auto-Submitted: auto-generated", "From: postmaster@", qid, "CPR-nummer", "CPR number"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{cprNumber, "Blanket", "Hi Bob"} {
		if strings.Contains(text, never) {
			t.Errorf("notice holds message content %q:\n%s", never, text)
		}
	}
	// The notice itself went through tlsgate, which required TLS for it.
	nqid := queueIDOf(t, pf, messageIDOf(notice))
	e.wantRoute(t, nqid, "smtp-tls-required")

	// The audit record names the SASL user.
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(readFile(auditLog)), "\n") {
		var r struct {
			QueueID  string `json:"queue_id"`
			User     string `json:"user"`
			Decision string `json:"decision"`
		}
		if err := json.Unmarshal([]byte(line), &r); err == nil && r.QueueID == qid {
			found = r.User == saslUser && r.Decision == "optout-refused"
		}
	}
	if !found {
		t.Errorf("no audit record %s with user %s and optout-refused:\n%s", qid, saslUser, readFile(auditLog))
	}

	// Unauthenticated (mynetworks) refused opt-out, and an authenticated
	// granted one: delivered, no further notice.
	id2 := e.messageID(t)
	if _, err := submit(pf.smtpAddr, noticeSender, []string{tlsRcpt}, buildMessage(id2, tlsRcpt, "[unsecure] Blanket", cprBody)); err != nil {
		t.Fatal(err)
	}
	id3 := e.messageID(t)
	if _, err := submitAuth(pf.smtpAddr, noticeSender, tlsRcpt, buildMessage(id3, tlsRcpt, "[unsecure] Frokost", "Vi ses kl. 12.\n")); err != nil {
		t.Fatal(err)
	}
	e.waitDelivered(t, tlsRcv, id2)
	e.waitDelivered(t, tlsRcv, id3)
	// Both decisions are logged before their messages are accepted, and a
	// notice is handed over right after its decision: by now a wrong one
	// would be on its way. Wait for the queue to drain, then count.
	poll(wait, func() bool { return len(pf.queue(t)) == 0 })
	var notices int
	for _, m := range tlsRcv.Messages() {
		if m.From == "" {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("%d notices delivered, want 1", notices)
	}
}

// saslConfig makes a sasldb with one user, readable by Postfix's smtpd,
// and returns the Cyrus SASL smtpd.conf that uses it.
func saslConfig(t *testing.T, saslpasswd string) string {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "tlsgate-e2e-sasl")
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	db := filepath.Join(dir, "sasldb2")
	user, realm, _ := strings.Cut(saslUser, "@")
	cmd := exec.Command(saslpasswd, "-p", "-c", "-f", db, "-u", realm, user)
	cmd.Stdin = strings.NewReader(saslPassword)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("saslpasswd2: %v\n%s", err, out)
	}
	chownPostfix(t, db)
	return fmt.Sprintf("pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: %s\n", db)
}

func chownPostfix(t *testing.T, path string) {
	t.Helper()
	u, err := user.Lookup("postfix")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// submitAuth submits msg after SMTP AUTH PLAIN as saslUser and returns
// its queue ID.
func submitAuth(addr, from, to, msg string) (string, error) {
	s, err := dialSMTP(addr, 60*time.Second)
	if err != nil {
		return "", err
	}
	defer s.close()
	cred := base64.StdEncoding.EncodeToString([]byte("\x00" + saslUser + "\x00" + saslPassword))
	if _, err := s.step("AUTH", 2, "AUTH PLAIN %s", cred); err != nil {
		return "", err
	}
	return s.send(from, []string{to}, msg)
}

// queueIDOf finds the queue ID of the message with Message-ID id in the
// maillog (the notice is submitted by tlsgate, not the test).
func queueIDOf(t *testing.T, pf *instance, id string) string {
	t.Helper()
	line, ok := pf.waitLog(wait, "message-id="+id)
	if !ok {
		t.Fatalf("Message-ID %s not in the maillog", id)
	}
	// "... postfix/cleanup[123]: 4Xy...: message-id=<...>"
	f := strings.Fields(line[:strings.Index(line, ": message-id=")])
	return f[len(f)-1]
}

// decodedText is a received message's header and its body decoded from
// quoted-printable.
func decodedText(t *testing.T, m smtptest.Message) string {
	t.Helper()
	head, body, _ := strings.Cut(string(m.Data), "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatalf("notice body: %v", err)
	}
	return head + "\r\n\r\n" + string(b)
}
