package milter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/google/go-cmp/cmp"
	"github.com/tlsgate/tlsgate/milter/audit"
	"github.com/tlsgate/tlsgate/rules"
)

// startServer runs a tlsgate milter on 127.0.0.1:0 with the given config
// and returns its address and log.
func startServer(t testing.TB, config string) (string, *bytes.Buffer, *Server) {
	t.Helper()
	return startServerWith(t, config, nil)
}

// startServerWith is startServer with setup run on the server before it
// serves (to set test hooks without a data race).
func startServerWith(t testing.TB, config string, setup func(*Server)) (string, *bytes.Buffer, *Server) {
	t.Helper()
	cfg, err := rules.Parse("test.toml", config)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	sw := &syncWriter{w: &logBuf}
	srv := NewServer(pol, slog.New(slog.NewTextHandler(sw, nil)))
	if setup != nil {
		setup(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		sw.mu.Lock()
		defer sw.mu.Unlock()
		keepLog(t, logBuf.Bytes())
	})
	return ln.Addr().String(), &logBuf, srv
}

// keepLog leaves a copy of a test's log in $TLSGATE_LOG_DIR, when set, for
// the whole-suite scan for personal data (cmd/internal/tests/logscan).
func keepLog(t testing.TB, log []byte) {
	dir := os.Getenv("TLSGATE_LOG_DIR")
	if dir == "" || len(log) == 0 {
		return
	}
	name := "milter-" + strings.ReplaceAll(t.Name(), "/", "_") + ".log"
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), log, 0o644)
	}
	if err != nil {
		t.Errorf("keeping the log: %v", err)
	}
}

// syncWriter lets session goroutines share one log buffer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// msg is one message as an MTA hands it over.
type msg struct {
	client    string // connecting address
	user      string // {auth_authen}
	headers   [][2]string
	body      string
	noQueueID bool // send no macro i
}

// result is what the milter answered at the end of the message, or at MAIL
// if it stopped there.
type result struct {
	mailAct *gomilter.Action
	mods    []gomilter.ModifyAction
	act     *gomilter.Action
}

func dial(t testing.TB, addr string) *gomilter.ClientSession {
	t.Helper()
	c := gomilter.NewClientWithOptions("tcp", addr, gomilter.ClientOptions{
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		ActionMask:   gomilter.OptAddHeader | gomilter.OptChangeHeader,
	})
	s, err := c.Session()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func connect(t testing.TB, s *gomilter.ClientSession, client string) {
	t.Helper()
	if _, err := s.Conn("client.example", gomilter.FamilyInet, 40000, client); err != nil {
		t.Fatal(err)
	}
}

// send runs one message through an established session, as Postfix does
// with protocol version 2: macros before MAIL, RCPT and end of message.
func send(t testing.TB, s *gomilter.ClientSession, m msg) result {
	t.Helper()
	var r result
	qid := "4XyZ1"
	if m.noQueueID {
		qid = ""
	}
	s.Macros(gomilter.CodeMail, "{auth_authen}", m.user, "i", qid)
	act, err := s.Mail("<alice@example.dk>", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.mailAct = act
	if act.Code != gomilter.ActContinue {
		return r
	}
	s.Macros(gomilter.CodeRcpt, "i", qid)
	if _, err := s.Rcpt("<bob@example.com>", nil); err != nil {
		t.Fatal(err)
	}
	for _, h := range m.headers {
		if _, err := s.HeaderField(h[0], h[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.HeaderEnd(); err != nil {
		t.Fatal(err)
	}
	body := []byte(strings.ReplaceAll(m.body, "\n", "\r\n"))
	for len(body) > 0 {
		n := min(len(body), gomilter.MaxBodyChunk)
		if _, err := s.BodyChunk(body[:n]); err != nil {
			t.Fatal(err)
		}
		body = body[n:]
	}
	s.Macros(gomilter.CodeEOB, "i", qid)
	r.mods, r.act, err = s.End()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func run(t *testing.T, addr string, m msg) result {
	t.Helper()
	s := dial(t, addr)
	if m.client == "" {
		m.client = "127.0.0.1"
	}
	connect(t, s, m.client)
	return send(t, s, m)
}

// change is a header modification in a form easy to compare.
type change struct {
	Op    string // add, change, delete
	Name  string
	Index uint32
	Value string
}

func changes(mods []gomilter.ModifyAction) []change {
	var out []change
	for _, m := range mods {
		switch m.Code {
		case gomilter.ActAddHeader:
			out = append(out, change{"add", m.HeaderName, 0, strings.TrimSpace(m.HeaderValue)})
		case gomilter.ActChangeHeader:
			op := "change"
			if m.HeaderValue == "" {
				op = "delete"
			}
			out = append(out, change{op, m.HeaderName, m.HeaderIndex, m.HeaderValue})
		default:
			out = append(out, change{Op: fmt.Sprintf("unexpected %c", m.Code)})
		}
	}
	return out
}

func add(v string) change { return change{"add", "X-TLSGate-Policy", 0, v} }

func TestDecisionTable(t *testing.T) {
	addr, logs, _ := startServer(t, "")
	hdr := func(subject string) [][2]string {
		return [][2]string{{"From", "alice@example.dk"}, {"To", "bob@example.com"}, {"Subject", subject}}
	}
	tests := []struct {
		name string
		m    msg
		want []change
	}{
		{"no tag: require", msg{headers: hdr("Frokost"), body: "Vi ses.\n"},
			[]change{add("require")}},
		{"no tag, CPR: require", msg{headers: hdr("Frokost"), body: "CPR 010285-1234\n"},
			[]change{add("require")}},
		{"tag, clean: opportunistic, tag removed", msg{headers: hdr("[unsecure] Frokost"), body: "Vi ses.\n"},
			[]change{{"change", "Subject", 1, "Frokost"}, add("opportunistic")}},
		{"tag anywhere, any case", msg{headers: hdr("Re: [UnSecure] Frokost"), body: "Vi ses.\n"},
			[]change{{"change", "Subject", 1, "Re: Frokost"}, add("opportunistic")}},
		{"tag in joined encoded words", msg{headers: hdr("=?UTF-8?Q?=5Bunsec?= =?UTF-8?Q?ure=5D?= =?UTF-8?Q?M=C3=B8de?="), body: "Vi ses.\n"},
			[]change{{"change", "Subject", 1, "=?utf-8?q?M=C3=B8de?="}, add("opportunistic")}},
		{"tag, CPR in body: refused", msg{headers: hdr("[unsecure] Svar"), body: "Her er det: 010285-1234\n"},
			[]change{{"change", "Subject", 1, "Svar"}, add("require")}},
		{"tag, CPR in subject: refused", msg{headers: hdr("[unsecure] 010285-1234"), body: "hej\n"},
			[]change{{"change", "Subject", 1, "010285-1234"}, add("require")}},
		{"tag, sensitive term: refused", msg{headers: hdr("[unsecure] Svar"), body: "Hun er sygemeldt.\n"},
			[]change{{"change", "Subject", 1, "Svar"}, add("require")}},
		{"tag, attachment: refused", msg{
			headers: append(hdr("[unsecure] Bilag"), [2]string{"Content-Type", "multipart/mixed; boundary=b"}),
			body:    "--b\nContent-Type: text/plain\n\nhej\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b--\n"},
			[]change{{"change", "Subject", 1, "Bilag"}, add("require")}},
		{"two subjects: refused, both stripped, highest first", msg{
			headers: [][2]string{{"Subject", "[unsecure] a"}, {"Subject", "[unsecure] b"}}, body: "hej\n"},
			[]change{{"change", "Subject", 2, "b"}, {"change", "Subject", 1, "a"}, add("require")}},
		{"undecodable subject: refused", msg{headers: hdr("[unsecure] =?x-unknown?Q?abc?="), body: "hej\n"},
			[]change{{"change", "Subject", 1, "=?x-unknown?Q?abc?="}, add("require")}},
		{"forged headers removed, highest index first", msg{
			headers: [][2]string{{"X-TLSGate-Policy", "opportunistic"}, {"Subject", "hej"}, {"x-tlsgate-policy", " opportunistic"},
				{"TLS-Required", "No"}, {"Require-TLS-ESMTP", "no"}},
			body: "hej\n"},
			[]change{{"delete", "x-tlsgate-policy", 2, ""}, {"delete", "X-TLSGate-Policy", 1, ""},
				{"delete", "TLS-Required", 1, ""}, {"delete", "Require-TLS-ESMTP", 1, ""}, add("require")}},
		{"authenticated from outside: outbound", msg{client: "192.0.2.7", user: "alice", headers: hdr("[unsecure] hej"), body: "hej\n"},
			[]change{{"change", "Subject", 1, "hej"}, add("opportunistic")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, addr, tc.m)
			if r.act == nil || r.act.Code != gomilter.ActAccept {
				t.Fatalf("final action = %+v, want accept", r.act)
			}
			got := changes(r.mods)
			// Deletions of different names may come in any order.
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
	if strings.Contains(logs.String(), "010285") {
		t.Errorf("the log contains a CPR number:\n%s", logs)
	}
}

func TestInboundUntouched(t *testing.T) {
	addr, logs, _ := startServer(t, "")
	r := run(t, addr, msg{client: "192.0.2.7", headers: [][2]string{{"Subject", "[unsecure] hej"}}, body: "hej\n"})
	if r.mailAct.Code != gomilter.ActAccept {
		t.Fatalf("MAIL action = %+v, want accept (not outbound: leave it alone)", r.mailAct)
	}
	if !strings.Contains(logs.String(), "decision=pass") {
		t.Errorf("log lacks the pass decision:\n%s", logs)
	}
}

// TestConnectionFactsSurvive sends two messages over one milter connection.
// go-milter replaces its handler after each message; the second message
// must still know that the client is trusted.
func TestConnectionFactsSurvive(t *testing.T) {
	addr, _, _ := startServer(t, "")
	s := dial(t, addr)
	connect(t, s, "127.0.0.1")
	for i := 0; i < 3; i++ {
		r := send(t, s, msg{headers: [][2]string{{"Subject", "[unsecure] hej"}}, body: "hej\n"})
		if diff := cmp.Diff([]change{{"change", "Subject", 1, "hej"}, add("opportunistic")}, changes(r.mods)); diff != "" {
			t.Errorf("message %d: changes (-want +got):\n%s", i+1, diff)
		}
	}
}

func TestRejectMode(t *testing.T) {
	addr, _, _ := startServer(t, `refused_action = "reject"`)
	r := run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] Svar"}}, body: "CPR 010285-1234\n"})
	if r.act.Code != gomilter.ActReplyCode || r.act.SMTPCode != 550 {
		t.Fatalf("action = %+v, want a 550 reply", r.act)
	}
	for _, want := range []string{"5.7.1", "CPR-nummer", "CPR number", "[unsecure]"} {
		if !strings.Contains(r.act.SMTPText, want) {
			t.Errorf("reply %q lacks %q", r.act.SMTPText, want)
		}
	}
	if strings.Contains(r.act.SMTPText, "010285") {
		t.Errorf("reply repeats the CPR number: %q", r.act.SMTPText)
	}
	// A clean opt-out is still granted in reject mode.
	r = run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] Frokost"}}, body: "Vi ses.\n"})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "Frokost"}, add("opportunistic")}, changes(r.mods)); diff != "" {
		t.Errorf("clean message in reject mode (-want +got):\n%s", diff)
	}
}

func TestLargeBodyStreams(t *testing.T) {
	addr, _, _ := startServer(t, "")
	body := strings.Repeat("Helt almindelig tekst om kontorartikler og fakturaer.\n", 40000) // ~2 MB
	r := run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] stor"}}, body: body + "Nummer 010285-1234\n"})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "stor"}, add("require")}, changes(r.mods)); diff != "" {
		t.Errorf("CPR at the end of 2 MB (-want +got):\n%s", diff)
	}
	r = run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] stor"}}, body: body})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "stor"}, add("opportunistic")}, changes(r.mods)); diff != "" {
		t.Errorf("clean 2 MB (-want +got):\n%s", diff)
	}
}

func TestSizeLimit(t *testing.T) {
	addr, _, _ := startServer(t, "[limits]\nmax_message_bytes = 4096")
	r := run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] stor"}}, body: strings.Repeat("hej\n", 5000)})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "stor"}, add("require")}, changes(r.mods)); diff != "" {
		t.Errorf("over the size limit (-want +got):\n%s", diff)
	}
}

func TestAbortKeepsConnection(t *testing.T) {
	addr, _, srv := startServer(t, "")
	s := dial(t, addr)
	connect(t, s, "127.0.0.1")
	s.Macros(gomilter.CodeMail, "i", "A1")
	if _, err := s.Mail("<a@example.dk>", nil); err != nil {
		t.Fatal(err)
	}
	s.HeaderField("Subject", "[unsecure] x")
	s.HeaderEnd()
	s.BodyChunk([]byte("partial"))
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	r := send(t, s, msg{headers: [][2]string{{"Subject", "[unsecure] hej"}}, body: "hej\n"})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "hej"}, add("opportunistic")}, changes(r.mods)); diff != "" {
		t.Errorf("after abort (-want +got):\n%s", diff)
	}
	if n := srv.InFlight(); n != 0 {
		t.Errorf("in flight after the messages = %d, want 0", n)
	}
}

func TestReports(t *testing.T) {
	addr, logs, srv := startServer(t, "")
	var mu sync.Mutex
	var reps []Report
	srv.Report = func(r Report) {
		mu.Lock()
		defer mu.Unlock()
		reps = append(reps, r)
	}
	run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] Svar"}}, body: "CPR 010285-1234, sygemeldt\n"})
	run(t, addr, msg{user: "alice", client: "192.0.2.9", headers: [][2]string{{"Subject", "[unsecure] Frokost"}}, body: "Vi ses.\n"})
	run(t, addr, msg{client: "192.0.2.9", headers: [][2]string{{"Subject", "inbound"}}, body: "hej\n"})
	run(t, addr, msg{headers: [][2]string{{"Subject", "Plain"}}, body: "hej\n"})
	mu.Lock()
	defer mu.Unlock()
	for i := range reps {
		if reps[i].Scanned && (reps[i].ScanTime <= 0 || reps[i].ScanBytes < int64(len("Subject: [unsecure] Svar\r\n"))) {
			t.Errorf("report %d: scanned but time %v, bytes %d", i, reps[i].ScanTime, reps[i].ScanBytes)
		}
		if reps[i].Record.Time.IsZero() {
			t.Errorf("report %d: no time", i)
		}
		reps[i].Record.Time, reps[i].ScanTime, reps[i].ScanBytes = time.Time{}, 0, 0
	}
	want := []Report{
		{Outbound: true, Sender: "alice@example.dk", Scanned: true, Record: audit.Record{QueueID: "4XyZ1", Client: "127.0.0.1",
			RcptDomains: []string{"example.com"}, Decision: "optout-refused", Reasons: []string{"cpr:1", "term:cpr", "term:health"}, Rules: "builtin"}},
		{Outbound: true, Sender: "alice@example.dk", Scanned: true, Record: audit.Record{QueueID: "4XyZ1", User: "alice",
			RcptDomains: []string{"example.com"}, Decision: "optout-granted", Rules: "builtin"}},
		{Record: audit.Record{QueueID: "4XyZ1", Decision: "pass"}},
		{Outbound: true, Sender: "alice@example.dk", Record: audit.Record{QueueID: "4XyZ1", Client: "127.0.0.1",
			RcptDomains: []string{"example.com"}, Decision: "require", Rules: "builtin"}},
	}
	if diff := cmp.Diff(want, reps); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if strings.Contains(logs.String(), "010285") || strings.Contains(logs.String(), "sygemeldt") {
		t.Errorf("the log holds message content:\n%s", logs)
	}
}
