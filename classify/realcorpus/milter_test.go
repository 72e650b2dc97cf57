package realcorpus

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

// TestRealMilter sends every message of the corpus through the milter
// protocol to an in-process tlsgate with the default rules, as Postfix
// does, and requires the decision TestRealCorpus reached without the
// protocol: the routing header says opportunistic exactly for the granted
// messages, and the tag leaves every Subject.
func TestRealMilter(t *testing.T) {
	pol := newPolicy(t)
	var logBuf lockedBuffer
	srv := milter.NewServer(pol, slog.New(slog.NewTextHandler(&logBuf, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	c := gomilter.NewClientWithOptions("tcp", ln.Addr().String(), gomilter.ClientOptions{
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 30 * time.Second,
		ActionMask:   gomilter.OptAddHeader | gomilter.OptChangeHeader,
	})
	s, err := c.Session()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Conn("client.example", gomilter.FamilyInet, 40000, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	granted := 0
	for _, o := range evaluate(t) {
		raw, err := os.ReadFile(filepath.Join(corpusDir, o.file))
		if err != nil {
			t.Fatal(err)
		}
		policy, subjectChanged := sendOne(t, s, raw)
		want := pol.HeaderValue(rules.Decision{Verdict: o.verdict})
		if policy != want {
			t.Errorf("%s: milter says %q, without the protocol %s %v", o.file, policy, o.verdict, o.reasons)
		}
		if !subjectChanged {
			t.Errorf("%s: the tag was not removed from the Subject", o.file)
		}
		if policy == pol.Config.Header.Opportunistic {
			granted++
		}
	}
	t.Logf("%d messages granted through the milter", granted)
	checkLog(t, logBuf.String())
}

// checkLog requires that the milter's log of the whole corpus holds no
// payload (CPR numbers and sensitive sentences, PAYLOADS.tsv), and leaves a
// copy in $TLSGATE_LOG_DIR for the suite-wide scan
// (cmd/internal/tests/logscan).
func checkLog(t *testing.T, log string) {
	t.Helper()
	if !strings.Contains(log, "optout-refused") {
		t.Errorf("the log has no refusal: %.200q", log)
	}
	for _, fs := range readTSV(t, "PAYLOADS.tsv", 2) {
		for _, m := range cprShape.FindAllStringSubmatch(fs[1], -1) {
			if strings.Contains(log, m[1]+m[2]) || strings.Contains(log, m[0]) {
				t.Errorf("the log holds the CPR number of %s", fs[0])
			}
		}
		if strings.Contains(log, fs[1]) {
			t.Errorf("the log holds the payload of %s", fs[0])
		}
	}
	if dir := os.Getenv("TLSGATE_LOG_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "realcorpus-milter.log"), []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lockedBuffer lets the milter's session goroutines share one log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// sendOne runs one message over the session as Postfix does with protocol
// version 2, and returns the routing header the milter added and whether it
// changed the Subject.
func sendOne(t *testing.T, s *gomilter.ClientSession, raw []byte) (policy string, subjectChanged bool) {
	t.Helper()
	fields, body := split(raw)
	s.Macros(gomilter.CodeMail, "i", "4RealQ")
	if act, err := s.Mail("<mkh@kommune.example>", nil); err != nil || act.Code != gomilter.ActContinue {
		t.Fatalf("MAIL: %+v %v", act, err)
	}
	s.Macros(gomilter.CodeRcpt, "i", "4RealQ")
	if _, err := s.Rcpt("<plk@partner.example>", nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if _, err := s.HeaderField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.HeaderEnd(); err != nil {
		t.Fatal(err)
	}
	for len(body) > 0 {
		n := min(len(body), gomilter.MaxBodyChunk)
		if _, err := s.BodyChunk(body[:n]); err != nil {
			t.Fatal(err)
		}
		body = body[n:]
	}
	s.Macros(gomilter.CodeEOB, "i", "4RealQ")
	mods, act, err := s.End()
	if err != nil {
		t.Fatal(err)
	}
	if act.Code != gomilter.ActAccept {
		t.Fatalf("end of message: %+v", act)
	}
	for _, m := range mods {
		switch {
		case m.Code == gomilter.ActAddHeader && strings.EqualFold(m.HeaderName, "X-TLSGate-Policy"):
			policy = strings.TrimSpace(m.HeaderValue)
		case m.Code == gomilter.ActChangeHeader && strings.EqualFold(m.HeaderName, "Subject"):
			subjectChanged = !strings.Contains(strings.ToLower(m.HeaderValue), "[unsecure]")
		}
	}
	return policy, subjectChanged
}

// split cuts a message into header fields, as Postfix hands them to a
// milter (name, value with folds kept as "\n"), and the body.
func split(raw []byte) (fields [][2]string, body []byte) {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	head, body := string(raw[:end]), raw[end+4:]
	for _, line := range strings.Split(head, "\r\n") {
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1][1] += "\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		fields = append(fields, [2]string{name, strings.TrimPrefix(value, " ")})
	}
	return fields, body
}
