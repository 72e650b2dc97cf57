package e2e

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
)

// The load and fault tests (throughput_test.go, fault_test.go) run their
// own Postfix instance, tlsgate process and receivers, on addresses of
// their own, so they never meet TestPostfix's.
const (
	loadInstance  = "tlsgate-e2e-postfix-load"
	loadTLSAddr   = "127.0.0.6:25" // offers STARTTLS
	loadClearAddr = "127.0.0.7:25" // does not
	loadTLSRcpt   = "bob@[127.0.0.6]"
	loadClearRcpt = "bob@[127.0.0.7]"
)

// loadEnv is what the fault tests share: one Postfix, one restartable
// tlsgate and two receivers.
type loadEnv struct {
	pf       *instance
	milter   *milterProc
	tlsRcv   *smtptest.Server
	clearRcv *smtptest.Server
	seq      int64
	seqMu    sync.Mutex
}

func startLoadReceiver(t *testing.T, addr string, withSTARTTLS bool) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Start(addr, withSTARTTLS)
	if err != nil {
		t.Fatalf("cannot start the test receiver on %s: %v (is something listening on *:25?)", addr, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// kind is what a test message is, and so where it may go.
type kind int

const (
	plain     kind = iota // no tag: TLS required
	optOut                // tag, harmless: may go in clear
	optOutCPR             // tag and a CPR number: TLS required
)

func (k kind) String() string { return [...]string{"plain", "optout", "optout+cpr"}[k] }

// wantTransport is the transport tlsgate's header must choose.
func (k kind) wantTransport() string {
	if k == optOut {
		return "smtp-tls-optional"
	}
	return "smtp-tls-required"
}

// wantDecision is the audit decision tlsgate must record.
func (k kind) wantDecision() string {
	return [...]string{"require", "optout-granted", "optout-refused"}[k]
}

// trackedMsg is one submission and what became of it.
type trackedMsg struct {
	id    string // Message-ID
	kind  kind
	rcpt  string
	extra []string // extra header lines (forged ones)
	qid   string   // Postfix queue ID from the 250 reply; "" unless accepted
	err   error    // why it was not accepted
	took  time.Duration
}

// deliverable reports whether the message may reach its receiver: any
// message to the TLS receiver, only a granted opt-out to the clear one.
func (m *trackedMsg) deliverable() bool {
	return m.rcpt == loadTLSRcpt || m.kind == optOut
}

// newMsg makes a message of kind k to rcpt with a unique Message-ID.
func (e *loadEnv) newMsg(prefix string, k kind, rcpt string, extra ...string) *trackedMsg {
	e.seqMu.Lock()
	e.seq++
	n := e.seq
	e.seqMu.Unlock()
	return &trackedMsg{
		id:   fmt.Sprintf("<%s.%d.%d@tlsgate-e2e.test>", prefix, n, time.Now().UnixNano()),
		kind: k, rcpt: rcpt, extra: extra,
	}
}

func (m *trackedMsg) build() string {
	subject, body := m.kind.content()
	return buildMessage(m.id, m.rcpt, subject, body, m.extra...)
}

// content is the Subject and body of a message of kind k.
func (k kind) content() (subject, body string) {
	switch k {
	case optOut:
		return "[unsecure] lunch on Friday", "Pizza at noon?\n"
	case optOutCPR:
		return "[unsecure] patient file", cprBody
	}
	return "quarterly figures", "Numbers attached.\n"
}

// wantSubject is the Subject a receiver must see: the tag removed.
func (k kind) wantSubject() string {
	subject, _ := k.content()
	return strings.TrimPrefix(subject, "[unsecure] ")
}

// submitAll submits msgs over `workers` concurrent SMTP connections, one
// message per connection, recording each result in the message. A worker
// that gets a 4xx pauses for backoff before its next message.
func (e *loadEnv) submitAll(msgs []*trackedMsg, workers int, backoff time.Duration) {
	i := 0
	e.submitWhile(workers, backoff, func() *trackedMsg {
		if i == len(msgs) {
			return nil
		}
		i++
		return msgs[i-1]
	})
}

// submitWhile is submitAll for messages made by next, which the workers
// call one at a time until it returns nil. It returns the messages in the
// order next made them.
func (e *loadEnv) submitWhile(workers int, backoff time.Duration, next func() *trackedMsg) []*trackedMsg {
	var (
		mu   sync.Mutex
		all  []*trackedMsg
		done bool
	)
	take := func() *trackedMsg {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return nil
		}
		m := next()
		if m == nil {
			done = true
			return nil
		}
		all = append(all, m)
		return m
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := take(); m != nil; m = take() {
				start := time.Now()
				m.qid, m.err = submit(e.pf.smtpAddr, sender, []string{m.rcpt}, m.build())
				m.took = time.Since(start)
				var serr *smtpError
				if backoff > 0 && errors.As(m.err, &serr) && serr.Code/100 == 4 {
					time.Sleep(backoff) // as a client would before trying again
				}
			}
		}()
	}
	wg.Wait()
	return all
}

// submitCounts is how the SMTP submissions ended.
type submitCounts struct {
	submitted, accepted, tempfailed, rejected, otherErr int
}

func countSubmissions(msgs []*trackedMsg) submitCounts {
	var c submitCounts
	for _, m := range msgs {
		c.submitted++
		var serr *smtpError
		switch {
		case m.err == nil:
			c.accepted++
		case errors.As(m.err, &serr) && serr.Code >= 400 && serr.Code < 500:
			c.tempfailed++
		case errors.As(m.err, &serr):
			c.rejected++
		default:
			c.otherErr++
		}
	}
	return c
}

func (c submitCounts) String() string {
	return fmt.Sprintf("submitted %d, accepted (250) %d, tempfailed (4xx) %d, rejected (5xx) %d, other errors %d",
		c.submitted, c.accepted, c.tempfailed, c.rejected, c.otherErr)
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
