package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Fault test parameters. milterTimeout is set as Postfix's
// milter_connect_timeout, milter_command_timeout and
// milter_content_timeout in this instance only (defaults 30s, 30s, 300s),
// so a frozen tlsgate costs the test seconds, not minutes.
const (
	milterTimeout = 5 * time.Second

	killMessages = 3000             // submissions during the kill storm, at least
	killMin      = 6                // kills during the storm, at least
	killMaxTime  = 90 * time.Second // unless this has passed
	termMessages = 1000             // the same for the SIGTERM storm
	termMin      = 4
	killWorkers  = 8                      // concurrent SMTP clients
	killEvery    = 2 * time.Second        // time tlsgate runs between kills
	killDown     = 200 * time.Millisecond // time it stays dead
	killBackoff  = 100 * time.Millisecond // a client's pause after a 4xx
	forgedRounds = 4                      // rounds of forgedVariants x kinds x receivers
	downClients  = 20                     // concurrent clients while tlsgate is stopped
	frozenCount  = 4                      // clients per frozen phase

	// settleWait bounds the wait for the queue to settle after a test;
	// it is reached only when mail is stuck.
	settleWait = 120 * time.Second
)

// TestPostfixFaults runs tlsgate behind a real Postfix under load and
// faults: forged routing headers, SIGKILL and restart in a loop, tlsgate
// stopped, and tlsgate frozen with SIGSTOP. Each subtest logs a SUMMARY
// line with its figures, and asserts the guarantees: no accepted message
// lost, none delivered in clear without a granted opt-out recorded in the
// audit log, no forged header at a receiver. The subtests share one
// instance and run in order; each leaves tlsgate running.
func TestPostfixFaults(t *testing.T) {
	prerequisites(t)
	e := &loadEnv{
		tlsRcv:   startLoadReceiver(t, loadTLSAddr, true),
		clearRcv: startLoadReceiver(t, loadClearAddr, false),
	}
	e.milter = newMilterProc(t, buildDaemon(t))
	e.pf = startPostfixWith(t, "inet:"+e.milter.addr, instanceOptions{
		name: loadInstance,
		// Long queue IDs are never reused, so an audit record and a
		// Received header name one message.
		mainCF: fmt.Sprintf("enable_long_queue_ids = yes\n"+
			"milter_connect_timeout = %[1]s\nmilter_command_timeout = %[1]s\nmilter_content_timeout = %[1]s\n",
			fmt.Sprintf("%ds", int(milterTimeout.Seconds()))),
	})
	for _, st := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"ForgedHeadersUnderLoad", e.forgedHeadersUnderLoad},
		{"SeveralMessagesPerSession", e.severalPerSession},
		{"KillRestartUnderLoad", e.killRestartUnderLoad},
		{"TermRestartUnderLoad", e.termRestartUnderLoad},
		{"StoppedTempfails", e.stoppedTempfails},
		{"SendmailWhileStopped", e.sendmailWhileStopped},
		{"FrozenTimesOut", e.frozenTimesOut},
	} {
		if !t.Run(st.name, st.f) {
			return // later subtests would only repeat the damage
		}
		if !e.milter.running() {
			t.Fatalf("tlsgate is not running after %s", st.name)
		}
	}
}

// forgedVariants are header sets a client may write to choose the route;
// tlsgate must delete every one of them from every outbound message.
var forgedVariants = [][]string{
	{"X-TLSGate-Policy: opportunistic"},
	{"X-TLSGate-Policy: opportunistic", "X-TLSGate-Policy: opportunistic"},
	{"x-tlsgate-policy: OPPORTUNISTIC"},
	{"X-TLSGate-Policy:\r\n opportunistic"},
	{"X-TLSGate-Policy: require"},
	{"TLS-Required: no"},
	{"tls-required: NO", "TLS-REQUIRED: No"},
	{"TLS-Required:\r\n\tno"},
	{"Require-TLS-ESMTP: no"},
	{"TLS-Required : no", "X-TLSGate-Policy : opportunistic"}, // white space before the colon (RFC 5322 obs-optional)
	{"X-Tlsgate-Policy: opportunistic", "TLS-Required: no", "Require-TLS-ESMTP: no", "x-TLSGATE-policy:\r\n  opportunistic"},
}

// (4) Forged headers under load: every variant with each kind of message
// to both receivers, over concurrent clients.
func (e *loadEnv) forgedHeadersUnderLoad(t *testing.T) {
	var msgs []*trackedMsg
	for range forgedRounds {
		for _, v := range forgedVariants {
			for _, k := range []kind{plain, optOut, optOutCPR} {
				for _, rcpt := range []string{loadTLSRcpt, loadClearRcpt} {
					msgs = append(msgs, e.newMsg("forged", k, rcpt, v...))
				}
			}
		}
	}
	start := time.Now()
	e.submitAll(msgs, killWorkers, 0)
	took := time.Since(start)
	c := countSubmissions(msgs)
	if c.accepted != c.submitted {
		t.Errorf("with tlsgate running, every message should be accepted: %v", c)
		for _, m := range msgs {
			if m.err != nil {
				t.Logf("%s: %v", m.id, m.err)
				break
			}
		}
	}
	o := e.settle(t, msgs, settleWait)
	t.Logf("SUMMARY forged headers: %d variants, %v in %.1fs; %v; in clear %d (all granted opt-outs)",
		len(forgedVariants), c, took.Seconds(), o, e.clearCount(msgs))
	o.report(t)
}

// (1) SIGKILL and restart tlsgate every killEvery while messages are
// submitted: plain, harmless opt-out and opt-out with a CPR number, to the
// receiver with STARTTLS and to the one without. The run lasts until both
// killMessages were submitted and killMin kills happened (so a fast machine
// still sees the kills), at most killMaxTime.
func (e *loadEnv) killRestartUnderLoad(t *testing.T) {
	e.restartStorm(t, syscall.SIGKILL, killMessages, killMin)
}

// (1b) The same with SIGTERM, as systemctl restart does: tlsgate stops
// accepting and lets the messages in flight finish before it exits, and is
// started again once it has.
// protocolFault is what tlsgate logs (and counts) for a milter session
// that ended in a protocol error.
const protocolFault = `msg="milter protocol"`

func (e *loadEnv) termRestartUnderLoad(t *testing.T) {
	e.restartStorm(t, syscall.SIGTERM, termMessages, termMin)
}

func (e *loadEnv) restartStorm(t *testing.T, sig syscall.Signal, minMessages int, minKills int32) {
	kinds := []kind{plain, optOut, optOutCPR}
	faultsBefore := strings.Count(readFile(e.milter.logPath), protocolFault)
	var kills atomic.Int32
	var drains []time.Duration // SIGTERM: how long each exit took
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			case <-time.After(killEvery):
			}
			sent := time.Now()
			e.milter.signal(sig)
			e.milter.wait()
			drains = append(drains, time.Since(sent).Round(time.Millisecond))
			kills.Add(1)
			time.Sleep(killDown)
			if err := e.milter.start(); err != nil {
				done <- err
				return
			}
		}
	}()
	start := time.Now()
	i := 0
	msgs := e.submitWhile(killWorkers, killBackoff, func() *trackedMsg {
		enough := i >= minMessages && kills.Load() >= minKills
		if enough || time.Since(start) > killMaxTime {
			return nil
		}
		rcpt := []string{loadTLSRcpt, loadClearRcpt}[i%2]
		m := e.newMsg("storm", kinds[(i/2)%3], rcpt)
		i++
		return m
	})
	took := time.Since(start)
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("restarting tlsgate: %v", err)
	}

	c := countSubmissions(msgs)
	o := e.settle(t, msgs, settleWait)
	extra := ""
	if sig == syscall.SIGTERM {
		extra = fmt.Sprintf(" (exit took %v)", drains)
	}
	name := map[syscall.Signal]string{syscall.SIGKILL: "SIGKILL", syscall.SIGTERM: "SIGTERM"}[sig]
	t.Logf("SUMMARY %s/restart: %d signals%s (every %v, down %v after exit) during %.1fs, %d clients; %v (4xx at %v); %v; in clear %d (all granted opt-outs)",
		name, kills.Load(), extra, killEvery, killDown, took.Seconds(), killWorkers, c, tempfailStages(msgs), o, e.clearCount(msgs))
	if kills.Load() < minKills {
		t.Errorf("only %d restarts during the run (want %d); the test proves little", kills.Load(), minKills)
	}
	if c.tempfailed == 0 {
		t.Errorf("no submission was tempfailed: did the restarts hit tlsgate at all?")
	}
	if c.rejected != 0 || c.otherErr != 0 {
		t.Errorf("want only 250 or 4xx replies: %v", c)
		logFirstErrors(t, msgs, 5)
	}
	// SIGTERM drains: a message whose data was sent is finished, not
	// dropped (only a session tlsgate no longer accepts gets a 4xx).
	if n := tempfailStages(msgs)["end of data"]; sig == syscall.SIGTERM && n != 0 {
		t.Errorf("%d messages tempfailed at end of data by a SIGTERM restart; the drain should have finished them", n)
	}
	// Connections the drain closes are no protocol fault (each such line
	// is counted in tlsgate_errors_total{kind="protocol"}).
	if n := strings.Count(readFile(e.milter.logPath), protocolFault) - faultsBefore; sig == syscall.SIGTERM && n != 0 {
		t.Errorf("%d milter protocol faults logged during the SIGTERM restarts, want 0", n)
	}
	o.report(t)
}

// (2) tlsgate stopped: every one of downClients concurrent clients gets a
// 4xx and nothing joins the queue.
func (e *loadEnv) stoppedTempfails(t *testing.T) {
	e.milter.stop(t)
	before := e.pf.queueIDs(t)
	var msgs []*trackedMsg
	for i := range downClients {
		msgs = append(msgs, e.newMsg("stopped", kind(i%3), []string{loadTLSRcpt, loadClearRcpt}[i%2]))
	}
	e.submitAll(msgs, downClients, 0)
	c := countSubmissions(msgs)
	var slowest time.Duration
	for _, m := range msgs {
		slowest = max(slowest, m.took)
	}
	t.Logf("SUMMARY tlsgate stopped: %d concurrent clients: %v; slowest reply %v; e.g. %v",
		downClients, c, slowest.Round(time.Millisecond), msgs[0].err)
	if c.tempfailed != c.submitted {
		t.Errorf("want a 4xx for every client: %v", c)
		logFirstErrors(t, msgs, 5)
	}
	for _, q := range e.pf.queueIDs(t) {
		if !slices.Contains(before, q) {
			t.Errorf("message %s joined the queue while tlsgate was stopped", q)
		}
	}
	if err := e.milter.start(); err != nil {
		t.Fatal(err)
	}
	o := e.settle(t, msgs, wait)
	o.report(t)
}

// (3) tlsgate frozen with SIGSTOP: sessions whose message is in flight get
// a 4xx at end of data after milter_content_timeout, new sessions after
// the connect/command timeouts. After SIGCONT tlsgate serves again, and
// nothing submitted while it was frozen got out.
func (e *loadEnv) frozenTimesOut(t *testing.T) {
	// In flight: everything but the final dot sent while tlsgate runs.
	var inflight []*pendingMsg
	for i := range frozenCount {
		m := e.newMsg("frozen-inflight", []kind{plain, optOut}[i%2], []string{loadTLSRcpt, loadClearRcpt}[i%2])
		p, err := startPending(e.pf.smtpAddr, m)
		if err != nil {
			t.Fatalf("opening session %d: %v", i, err)
		}
		defer p.close()
		inflight = append(inflight, p)
	}
	e.milter.signal(syscall.SIGSTOP)
	frozen := true
	defer func() {
		if frozen {
			e.milter.signal(syscall.SIGCONT)
		}
	}()
	var wg sync.WaitGroup
	for _, p := range inflight {
		wg.Add(1)
		go func() { defer wg.Done(); p.finish() }()
	}
	// New sessions while frozen.
	var fresh []*trackedMsg
	for i := range frozenCount {
		fresh = append(fresh, e.newMsg("frozen-new", []kind{plain, optOut}[i%2], []string{loadTLSRcpt, loadClearRcpt}[i%2]))
	}
	e.submitAll(fresh, frozenCount, 0)
	wg.Wait()
	e.milter.signal(syscall.SIGCONT)
	frozen = false

	all := append([]*trackedMsg(nil), fresh...)
	var inflightTimes, freshTimes []time.Duration
	for _, p := range inflight {
		all = append(all, p.msg)
		inflightTimes = append(inflightTimes, p.msg.took.Round(10*time.Millisecond))
	}
	for _, m := range fresh {
		freshTimes = append(freshTimes, m.took.Round(10*time.Millisecond))
	}
	c := countSubmissions(all)
	if c.tempfailed != c.submitted {
		t.Errorf("while frozen, want a 4xx for every message: %v", c)
		logFirstErrors(t, all, 8)
	}

	// Recovery: a message of each kind to each receiver goes through as
	// usual once tlsgate runs again.
	var after []*trackedMsg
	for _, k := range []kind{plain, optOut, optOutCPR} {
		for _, rcpt := range []string{loadTLSRcpt, loadClearRcpt} {
			after = append(after, e.newMsg("thawed", k, rcpt))
		}
	}
	e.submitAll(after, 2, 0)
	ca := countSubmissions(after)
	if ca.accepted != ca.submitted {
		t.Errorf("after SIGCONT, want every message accepted: %v", ca)
		logFirstErrors(t, after, 3)
	}
	o := e.settle(t, append(all, after...), settleWait)
	t.Logf("SUMMARY tlsgate frozen (milter timeouts %v): in-flight sessions got their reply to the final dot after %v, "+
		"new sessions theirs after %v; %v; after SIGCONT %d/%d accepted; %v; e.g. %v",
		milterTimeout, inflightTimes, freshTimes, c, ca.accepted, ca.submitted, o, all[0].err)
	o.report(t)
}

// tempfailStages counts the 4xx replies by the stage they came at: MAIL
// (tlsgate down when the session began) or end of data (killed with the
// message in flight), which must never have turned into an acceptance.
func tempfailStages(msgs []*trackedMsg) map[string]int {
	n := make(map[string]int)
	for _, m := range msgs {
		var serr *smtpError
		if errors.As(m.err, &serr) && serr.Code/100 == 4 {
			n[serr.Stage]++
		}
	}
	return n
}

// clearCount is how many of msgs the receiver without STARTTLS got.
func (e *loadEnv) clearCount(msgs []*trackedMsg) int {
	ids := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		ids[m.id] = true
	}
	n := 0
	for _, m := range e.clearRcv.Messages() {
		if ids[messageIDOf(m)] {
			n++
		}
	}
	return n
}

func logFirstErrors(t *testing.T, msgs []*trackedMsg, n int) {
	t.Helper()
	for _, m := range msgs {
		if m.err == nil {
			continue
		}
		if n == 0 {
			return
		}
		n--
		t.Logf("%s (%s to %s): %v", m.id, m.kind, m.rcpt, m.err)
	}
}

// pendingMsg is an SMTP transaction stopped just before the final dot.
type pendingMsg struct {
	msg  *trackedMsg
	conn net.Conn
	c    *textproto.Conn
}

// startPending opens a session and sends everything of m but the dot
// that ends DATA.
func startPending(addr string, m *trackedMsg) (*pendingMsg, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(2 * time.Minute))
	p := &pendingMsg{msg: m, conn: conn, c: textproto.NewConn(conn)}
	steps := []struct {
		cmd  string
		want int
	}{{"", 2}, {"EHLO client.tlsgate-e2e.test", 2}, {"MAIL FROM:<" + sender + ">", 2}, {"RCPT TO:<" + m.rcpt + ">", 2}, {"DATA", 3}}
	for _, s := range steps {
		if s.cmd != "" {
			if err := p.c.PrintfLine("%s", s.cmd); err != nil {
				conn.Close()
				return nil, err
			}
		}
		if _, _, err := p.c.ReadResponse(s.want); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%q: %w", s.cmd, err)
		}
	}
	w := p.c.DotWriter()
	body := m.build()
	// The DotWriter adds the final dot on Close; write the body through
	// it but send the dot ourselves in finish.
	if _, err := w.Write([]byte(body)); err != nil {
		conn.Close()
		return nil, err
	}
	if err := p.c.W.Flush(); err != nil {
		conn.Close()
		return nil, err
	}
	return p, nil
}

// finish sends the final dot and records the reply and how long it took.
func (p *pendingMsg) finish() {
	start := time.Now()
	defer func() { p.msg.took = time.Since(start) }()
	// The body ends with CRLF, so the dot alone ends DATA.
	if _, err := p.conn.Write([]byte(".\r\n")); err != nil {
		p.msg.err = err
		return
	}
	_, text, err := p.c.ReadResponse(2)
	var perr *textproto.Error
	if errors.As(err, &perr) {
		p.msg.err = &smtpError{Stage: "end of data", Code: perr.Code, Text: perr.Msg}
		return
	}
	if err != nil {
		p.msg.err = err
		return
	}
	if m := queuedAs.FindStringSubmatch(text); m != nil {
		p.msg.qid = m[1]
	} else {
		p.msg.err = fmt.Errorf("no queue ID in %q", text)
	}
}

func (p *pendingMsg) close() { p.conn.Close() }

// (2b) Mail submitted with sendmail(1) while tlsgate is stopped: postdrop
// accepts it into the maildrop, where it must wait (pickup's cleanup gets
// the milter's tempfail) until tlsgate is back, and then go through it
// like any other message: routed by its header, audited, tag removed.
func (e *loadEnv) sendmailWhileStopped(t *testing.T) {
	e.milter.stop(t)
	log := &logFollower{path: e.pf.maillog}
	log.count() // from here on
	path, err := sbin("sendmail")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*trackedMsg
	for _, k := range []kind{plain, optOut, optOutCPR} {
		for _, rcpt := range []string{loadTLSRcpt, loadClearRcpt} {
			m := e.newMsg("sendmail-stopped", k, rcpt)
			cmd := exec.Command(path, "-C", e.pf.confDir, "-f", sender, "-i", rcpt)
			cmd.Stdin = strings.NewReader(m.build())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("sendmail: %v\n%s", err, out)
			}
			msgs = append(msgs, m)
		}
	}
	// Each pickup attempt ends in cleanup's "milter-reject: CONNECT ...
	// 4.7.1"; wait until every message was tried once.
	rejected := 0
	if !poll(wait, func() bool {
		rejected += log.count("postfix/cleanup", "milter-reject: CONNECT")
		return rejected >= len(msgs)
	}) {
		t.Fatalf("pickup tried %d of %d messages within %v", rejected, len(msgs), wait)
	}
	inMaildrop := 0
	for _, q := range e.pf.queue(t) {
		if q.QueueName == "maildrop" {
			inMaildrop++
		}
	}
	for _, m := range msgs {
		if qid := e.cleanupQueueID(m.id); qid != "" {
			t.Errorf("%s entered the queue as %s while tlsgate was stopped", m.id, qid)
		}
	}

	if err := e.milter.start(); err != nil {
		t.Fatal(err)
	}
	run(t, "postkick", "-c", e.pf.confDir, "public", "pickup", "W")
	if !poll(wait, func() bool {
		for _, m := range msgs {
			if m.qid = e.cleanupQueueID(m.id); m.qid == "" {
				return false
			}
		}
		return true
	}) {
		t.Errorf("not every message left the maildrop within %v of tlsgate's restart", wait)
	}
	o := e.settle(t, msgs, settleWait)
	t.Logf("SUMMARY sendmail(1) while tlsgate stopped: %d messages held in the maildrop (%d pickup attempts tempfailed), after restart: %v; in clear %d (all granted opt-outs)",
		inMaildrop, rejected, o, e.clearCount(msgs))
	if inMaildrop < len(msgs) {
		t.Errorf("%d messages in the maildrop while tlsgate was stopped, want %d", inMaildrop, len(msgs))
	}
	o.report(t)
}

// cleanupQueueID finds the queue ID under which cleanup took in the
// message with Message-ID id ("QID: message-id=<...>"), or "".
func (e *loadEnv) cleanupQueueID(id string) string {
	for _, l := range e.pf.logLines() {
		if strings.Contains(l, "postfix/cleanup") && strings.HasSuffix(l, ": message-id="+id) {
			f := strings.Fields(strings.TrimSuffix(l, ": message-id="+id))
			return f[len(f)-1]
		}
	}
	return ""
}
