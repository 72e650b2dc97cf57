package holdout

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

// TestHoldoutMilter sends every held-out message through the milter
// protocol to an in-process tlsgate with the default rules, as Postfix
// does, over one connection: the routing header must say opportunistic
// exactly for the messages decide grants, the tag must leave every
// Subject, and the log must hold no payload.
func TestHoldoutMilter(t *testing.T) {
	for _, r := range rounds {
		t.Run(filepath.Base(r.dir), func(t *testing.T) { holdoutMilter(t, r.dir) })
	}
}

func holdoutMilter(t *testing.T, dir string) {
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
	for _, o := range evaluate(t, dir) {
		raw, err := os.ReadFile(filepath.Join(dir, o.file))
		if err != nil {
			t.Fatal(err)
		}
		policy, tagGone := sendOne(t, s, raw)
		if want := pol.HeaderValue(rules.Decision{Verdict: o.verdict}); policy != want {
			t.Errorf("%s: the milter says %q; decided without the protocol: %s %v", o.file, policy, o.verdict, o.reasons)
		}
		if !tagGone {
			t.Errorf("%s: the tag was not removed from the Subject", o.file)
		}
		if policy == pol.Config.Header.Opportunistic {
			granted++
		}
	}
	t.Logf("%d messages granted through the milter", granted)
	checkLog(t, dir, logBuf.String())
}

// cprShape finds CPR-shaped numbers: six digits, an optional dash or
// space, four digits.
var cprShape = regexp.MustCompile(`(\d{6})[- ]?(\d{4})`)

// checkLog requires that the milter's log of the whole corpus holds no
// payload: no CPR number in any form, no sensitive sentence.
func checkLog(t *testing.T, dir, log string) {
	t.Helper()
	if !strings.Contains(log, "optout-refused") || !strings.Contains(log, "optout-granted") {
		t.Errorf("the log lacks a refusal or a grant: %.200q", log)
	}
	for _, fs := range readTSV(t, dir, "PAYLOADS.tsv", 2) {
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
		if err := os.WriteFile(filepath.Join(dir, "holdout-milter.log"), []byte(log), 0o644); err != nil {
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

// sendOne runs one message over the session as Postfix does, and returns
// the routing header the milter added and whether the tag left the
// Subject.
func sendOne(t *testing.T, s *gomilter.ClientSession, raw []byte) (policy string, tagGone bool) {
	t.Helper()
	fields, body := split(t, raw)
	s.Macros(gomilter.CodeMail, "i", "4HoldQ")
	if act, err := s.Mail("<mkj@kommune.example>", nil); err != nil || act.Code != gomilter.ActContinue {
		t.Fatalf("MAIL: %+v %v", act, err)
	}
	s.Macros(gomilter.CodeRcpt, "i", "4HoldQ")
	if _, err := s.Rcpt("<pl@partner.example>", nil); err != nil {
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
	s.Macros(gomilter.CodeEOB, "i", "4HoldQ")
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
			tagGone = !strings.Contains(strings.ToLower(m.HeaderValue), "unsecure")
		}
	}
	return policy, tagGone
}

// split cuts a message into header fields as Postfix hands them to a
// milter (name, value with folds kept as "\n") and the body.
func split(t *testing.T, raw []byte) (fields [][2]string, body []byte) {
	t.Helper()
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("no end of header")
	}
	for _, line := range strings.Split(string(head), "\r\n") {
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1][1] += "\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		fields = append(fields, [2]string{name, strings.TrimPrefix(value, " ")})
	}
	return fields, body
}
