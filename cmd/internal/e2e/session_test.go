package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"sync"
	"testing"
	"time"
)

// Sessions with several transactions. tlsgate gets a fresh milter object
// per message but keeps facts of the connection; nothing of one message
// (its tag, its verdict, the headers to delete) may carry over to the next
// one in the same SMTP session, nor from a transaction the client
// abandoned with RSET.
const (
	sessions       = 16
	sessionWorkers = 8
)

// sessionKinds visits every ordered pair of kinds (a de Bruijn sequence
// over plain, opt-out and opt-out with CPR), so each kind follows each.
var sessionKinds = []kind{optOut, optOut, plain, plain, optOutCPR, optOutCPR, optOut, optOutCPR, plain, optOut}

// severalPerSession sends `sessions` SMTP sessions of len(sessionKinds)
// messages each; odd sessions put an abandoned transaction (MAIL, RCPT,
// RSET) before every message, and every third message carries a forged
// routing header.
func (e *loadEnv) severalPerSession(t *testing.T) {
	var all []*trackedMsg
	var jobs [][]*trackedMsg
	for s := range sessions {
		var job []*trackedMsg
		for i, k := range sessionKinds {
			rcpt := []string{loadClearRcpt, loadTLSRcpt}[(s+i)%3/2]
			var extra []string
			if i%3 == 2 {
				extra = []string{"X-TLSGate-Policy: opportunistic", "TLS-Required: no"}
			}
			job = append(job, e.newMsg(fmt.Sprintf("session%d", s), k, rcpt, extra...))
		}
		jobs = append(jobs, job)
		all = append(all, job...)
	}
	ch := make(chan int)
	var wg sync.WaitGroup
	for range sessionWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range ch {
				if err := submitSession(e.pf.smtpAddr, jobs[s], s%2 == 1); err != nil {
					for _, m := range jobs[s] {
						if m.qid == "" && m.err == nil {
							m.err = err
						}
					}
				}
			}
		}()
	}
	start := time.Now()
	for s := range jobs {
		ch <- s
	}
	close(ch)
	wg.Wait()
	took := time.Since(start)
	c := countSubmissions(all)
	if c.accepted != c.submitted {
		t.Errorf("with tlsgate running, every message should be accepted: %v", c)
		logFirstErrors(t, all, 5)
	}
	o := e.settle(t, all, settleWait)
	t.Logf("SUMMARY several messages per session: %d sessions of %d messages (half with an RSET-abandoned transaction before each), %v in %.1fs; %v; in clear %d (all granted opt-outs)",
		sessions, len(sessionKinds), c, took.Seconds(), o, e.clearCount(all))
	o.report(t)
}

// submitSession sends msgs over one SMTP connection, one transaction
// each; with abandon, a MAIL and RCPT cancelled by RSET go before each.
// Each message records its own result; the error returned ends the
// session early.
func submitSession(addr string, msgs []*trackedMsg, abandon bool) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	c := textproto.NewConn(conn)
	cmd := func(want int, format string, args ...any) (string, error) {
		if format != "" {
			if err := c.PrintfLine(format, args...); err != nil {
				return "", err
			}
		}
		_, text, err := c.ReadResponse(want)
		var perr *textproto.Error
		if errors.As(err, &perr) {
			return "", &smtpError{Stage: format, Code: perr.Code, Text: perr.Msg}
		}
		return text, err
	}
	if _, err := cmd(2, ""); err != nil {
		return err
	}
	if _, err := cmd(2, "EHLO client.tlsgate-e2e.test"); err != nil {
		return err
	}
	for _, m := range msgs {
		start := time.Now()
		if abandon {
			for _, step := range []string{"MAIL FROM:<" + sender + ">", "RCPT TO:<" + m.rcpt + ">", "RSET"} {
				if _, err := cmd(2, "%s", step); err != nil {
					return err
				}
			}
		}
		m.qid, m.err = transaction(c, cmd, m)
		m.took = time.Since(start)
		if m.err != nil {
			return m.err
		}
	}
	cmd(2, "QUIT")
	return nil
}

// transaction sends one message on an open session and returns its queue
// ID.
func transaction(c *textproto.Conn, cmd func(int, string, ...any) (string, error), m *trackedMsg) (string, error) {
	if _, err := cmd(2, "MAIL FROM:<%s>", sender); err != nil {
		return "", err
	}
	if _, err := cmd(2, "RCPT TO:<%s>", m.rcpt); err != nil {
		return "", err
	}
	if _, err := cmd(3, "DATA"); err != nil {
		return "", err
	}
	w := c.DotWriter()
	if _, err := w.Write([]byte(m.build())); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	text, err := cmd(2, "")
	if err != nil {
		return "", err
	}
	q := queuedAs.FindStringSubmatch(text)
	if q == nil {
		return "", fmt.Errorf("no queue ID in %q", text)
	}
	return q[1], nil
}
