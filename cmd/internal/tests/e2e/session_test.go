package e2e

import (
	"fmt"
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
	s, err := dialSMTP(addr, 2*time.Minute)
	if err != nil {
		return err
	}
	defer s.close()
	for _, m := range msgs {
		start := time.Now()
		if abandon {
			for _, step := range []string{"MAIL FROM:<" + sender + ">", "RCPT TO:<" + m.rcpt + ">", "RSET"} {
				if _, err := s.step(step, 2, "%s", step); err != nil {
					return err
				}
			}
		}
		m.qid, m.err = s.send(sender, []string{m.rcpt}, m.build())
		m.took = time.Since(start)
		if m.err != nil {
			return m.err
		}
	}
	return nil
}
