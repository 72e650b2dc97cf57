package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
)

// The DKIM signer tests sign for the test sender's domain with a key made
// for the test; the public key is handed to the verifier directly, no DNS.
const (
	dkimDomain   = "sender.tlsgate-e2e.test" // the domain of sender and From
	dkimSelector = "tlsgate"
	dkimPython   = "/usr/bin/python3" // Debian's, with python3-dkim
)

// TestOpenDKIM runs Debian's OpenDKIM as a second milter in the same
// Postfix, as a relay that signs its outbound mail does. With the order the
// recipe prescribes (tlsgate first: smtpd_milters = inet:tlsgate,
// inet:opendkim) a granted opt-out, whose Subject tlsgate rewrites, and a
// normal message both arrive with a DKIM signature that verifies. With
// OpenDKIM first it signs the Subject with the tag still in it, and
// tlsgate's rewrite breaks the signature of every opt-out (REFERENCE.md §4,
// "Milter order"): the test shows that signature fail, and verify again
// once the tag is put back, and postfix-check report the order.
func TestOpenDKIM(t *testing.T) {
	prerequisites(t)
	dkimPrerequisites(t)
	tlsRcv := startReceiver(t, tlsAddr, true)
	clearRcv := startReceiver(t, clearAddr, false)
	d := startDaemon(t, buildDaemon(t))
	signer := startOpenDKIM(t)
	tlsgate, opendkim := "inet:"+d.Addr, "inet:"+signer.addr

	t.Run("TLSGateFirst", func(t *testing.T) {
		e := &env{tlsRcv: tlsRcv, clearRcv: clearRcv, daemon: d}
		e.pf = startDKIMPostfix(t, tlsgate, tlsgate+", "+opendkim)
		got := e.optOut(t)
		if err := signer.verify(got.Data); err != nil {
			t.Errorf("granted opt-out: the DKIM signature does not verify: %v\n%s", err, got.Data)
		}
		got = e.normal(t)
		if err := signer.verify(got.Data); err != nil {
			t.Errorf("normal message: the DKIM signature does not verify: %v\n%s", err, got.Data)
		}
		t.Run("PostfixCheck", e.postfixCheck())
	})
	t.Run("OpenDKIMFirst", func(t *testing.T) {
		e := &env{tlsRcv: tlsRcv, clearRcv: clearRcv, daemon: d}
		e.pf = startDKIMPostfix(t, tlsgate, opendkim+", "+tlsgate)
		got := e.optOut(t)
		err := signer.verify(got.Data)
		if err == nil {
			t.Errorf("opt-out signed before tlsgate rewrote its Subject: the signature verifies, want it broken\n%s", got.Data)
		}
		t.Logf("opt-out with OpenDKIM first: the signature does not verify (%v)", lastLine(err))
		// The signature covers the Subject as the user wrote it.
		restored := strings.Replace(string(got.Data), "\r\nSubject: lunch on Friday\r\n", "\r\nSubject: [unsecure] lunch on Friday\r\n", 1)
		if err := signer.verify([]byte(restored)); err != nil {
			t.Errorf("with the tag put back the signature should verify: %v", err)
		}
		// A message tlsgate leaves alone (its routing header is removed
		// on the way out) keeps a valid signature in either order.
		got = e.normal(t)
		if err := signer.verify(got.Data); err != nil {
			t.Errorf("normal message: the DKIM signature does not verify: %v\n%s", err, got.Data)
		}
		// postfix-check names the order as a problem, for mail received
		// by smtpd and for sendmail(1) mail (non_smtpd_milters follows).
		t.Run("PostfixCheck", e.postfixCheck(
			"smtpd_milters: "+opendkim+" comes before tlsgate for mail received over SMTP",
			"non_smtpd_milters: "+opendkim+" comes before tlsgate for mail not received over SMTP"))
	})
}

// optOut sends a granted opt-out to the receiver without STARTTLS and
// returns its copy there, with the tag gone from the Subject.
func (e *env) optOut(t *testing.T) smtptest.Message {
	t.Helper()
	id, qid := e.send(t, []string{clearRcpt}, "[unsecure] lunch on Friday", "Pizza at noon?\n")
	e.wantRoute(t, qid, "smtp-tls-optional")
	got := e.waitDelivered(t, e.clearRcv, id)
	wantCopy(t, got, "lunch on Friday")
	wantSignedOnce(t, got)
	return got
}

// normal sends a message without the tag to the STARTTLS receiver and
// returns its copy there.
func (e *env) normal(t *testing.T) smtptest.Message {
	t.Helper()
	id, qid := e.send(t, []string{tlsRcpt}, "quarterly figures", "Numbers attached.\n")
	e.wantRoute(t, qid, "smtp-tls-required")
	got := e.waitDelivered(t, e.tlsRcv, id)
	wantTLS(t, got)
	wantCopy(t, got, "quarterly figures")
	wantSignedOnce(t, got)
	return got
}

// wantSignedOnce checks the copy carries one DKIM signature, OpenDKIM's.
func wantSignedOnce(t *testing.T, m smtptest.Message) {
	t.Helper()
	data := string(m.Data)
	head, _, _ := strings.Cut(data, "\r\n\r\n")
	if n := strings.Count(strings.ToLower("\r\n"+head), "\r\ndkim-signature:"); n != 1 {
		t.Fatalf("%d DKIM-Signature fields, want 1 (is OpenDKIM in smtpd_milters?):\n%s", n, head)
	}
	if !strings.Contains(head, "d="+dkimDomain) || !strings.Contains(head, "s="+dkimSelector) {
		t.Errorf("DKIM-Signature not made with the test key:\n%s", head)
	}
}

// startDKIMPostfix starts a private Postfix with the shipped snippets and
// smtpd_milters replaced by milters, in that order.
func startDKIMPostfix(t *testing.T, tlsgate, milters string) *instance {
	t.Helper()
	return startPostfixWith(t, tlsgate, instanceOptions{
		name:   "tlsgate-e2e-postfix-dkim",
		mainCF: "smtpd_milters = " + milters + "\n",
	})
}

// dkimPrerequisites skips (or fails under TLSGATE_E2E=require) without
// OpenDKIM or the Python DKIM library.
func dkimPrerequisites(t *testing.T) {
	t.Helper()
	var missing []string
	for _, name := range []string{"opendkim", "opendkim-genkey"} {
		if _, err := sbin(name); err != nil {
			missing = append(missing, name+" (apt-get install opendkim opendkim-tools)")
		}
	}
	if err := exec.Command(dkimPython, "-c", "import dkim").Run(); err != nil {
		missing = append(missing, dkimPython+" with the dkim module (apt-get install python3-dkim)")
	}
	if len(missing) == 0 {
		return
	}
	msg := "OpenDKIM test needs " + strings.Join(missing, ", ")
	if os.Getenv("TLSGATE_E2E") == requireEnv {
		t.Fatalf("%s; TLSGATE_E2E=require makes this a failure", msg)
	}
	t.Skipf("%s; set TLSGATE_E2E=require to fail instead of skipping", msg)
}

// openDKIM is a private OpenDKIM signing for dkimDomain.
type openDKIM struct {
	addr   string // 127.0.0.1:port of its milter socket
	dnsTXT string // the public key record opendkim-genkey wrote
}

// startOpenDKIM makes a key with opendkim-genkey and runs opendkim in the
// foreground with its own configuration: sign only, mail from 127.0.0.1
// (InternalHosts' default), no syslog. It is stopped when the test ends.
func startOpenDKIM(t *testing.T) *openDKIM {
	t.Helper()
	dir := t.TempDir()
	run(t, "opendkim-genkey", "-D", dir, "-d", dkimDomain, "-s", dkimSelector)
	s := &openDKIM{addr: freePort(t), dnsTXT: filepath.Join(dir, dkimSelector+".txt")}
	host, port, _ := strings.Cut(s.addr, ":")
	conf := filepath.Join(dir, "opendkim.conf")
	writeFile(t, conf, fmt.Sprintf(`# Private OpenDKIM for tlsgate's end-to-end test.
Syslog no
Mode s
Domain %s
Selector %s
KeyFile %s
Socket inet:%s@%s
PidFile %s
# The key lies below a temporary directory, which others may write.
RequireSafeKeys no
`, dkimDomain, dkimSelector, filepath.Join(dir, dkimSelector+".private"), port, host, filepath.Join(dir, "opendkim.pid")))
	path, err := sbin("opendkim")
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "opendkim.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(path, "-f", "-x", conf)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("opendkim log:\n%s", readFile(logPath))
		}
	})
	alive := func() error {
		select {
		case err := <-exited:
			return fmt.Errorf("opendkim exited: %v\n%s", err, readFile(logPath))
		default:
			return nil
		}
	}
	if err := waitListening(s.addr, 15*time.Second, alive); err != nil {
		t.Fatalf("opendkim not listening on %s: %v", s.addr, err)
	}
	return s
}

// verifyScript checks the message on stdin with dkimpy, answering the key
// query from the record opendkim-genkey wrote (argv[1]) for the name
// argv[2] and nothing else, so no DNS is asked.
const verifyScript = `
import logging, re, sys, dkim
record = "".join(re.findall(r'"([^"]*)"', open(sys.argv[1]).read())).encode()
name = sys.argv[2].encode()
def dnsfunc(q, timeout=5):
    return record if q.rstrip(b".") == name else None
logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="%(message)s")
ok = dkim.DKIM(sys.stdin.buffer.read(), logger=logging.getLogger()).verify(dnsfunc=dnsfunc)
sys.exit(0 if ok else 1)
`

// verify checks message's DKIM signature with Debian's python3-dkim; the
// error holds dkimpy's reasons.
func (s *openDKIM) verify(message []byte) error {
	cmd := exec.Command(dkimPython, "-c", verifyScript, s.dnsTXT, dkimSelector+"._domainkey."+dkimDomain)
	cmd.Stdin = strings.NewReader(string(message))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// lastLine is the last line of err's text (dkimpy's verdict), or "".
func lastLine(err error) string {
	if err == nil {
		return ""
	}
	s := strings.TrimSpace(err.Error())
	return s[strings.LastIndexByte(s, '\n')+1:]
}
