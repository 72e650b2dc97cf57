package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tlsreport"
)

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

// TestTLSStatusFilter looks statuses up in the shipped
// tlsgate_tls_status with the real postmap: TLS failures get the
// explanation and keep their class and Postfix's words, other statuses
// are left alone, and the text Postfix quotes to senders is ASCII (its
// bounce daemon masks non-ASCII unless smtputf8_enable = yes). The
// commented-out bounce rule, once enabled, makes the missing STARTTLS a
// 5.7.4 error.
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
