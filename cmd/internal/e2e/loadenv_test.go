package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/smtptest"
	"github.com/tlsgate/tlsgate/cmd/internal/testdaemon"
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

// milterProc is a tlsgate process that a test can kill, freeze and start
// again on the same address (Postfix's smtpd_milters names one address),
// appending to one log and one audit file across restarts.
type milterProc struct {
	bin, conf, addr  string
	logPath, auditAt string

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	started int // processes started so far
}

// newMilterProc writes the configuration (daemonConfig plus a JSON audit
// file) and starts tlsgate. It is killed when the test ends.
func newMilterProc(t *testing.T, bin string) *milterProc {
	t.Helper()
	dir := t.TempDir()
	m := &milterProc{
		bin: bin, conf: dir + "/tlsgate.toml", addr: freePort(t),
		logPath: dir + "/tlsgate.log", auditAt: dir + "/audit.jsonl",
	}
	writeFile(t, m.conf, daemonConfig+fmt.Sprintf("\n[audit]\nfile = %q\n", m.auditAt))
	t.Cleanup(func() {
		m.signal(syscall.SIGCONT)
		m.kill()
		testdaemon.KeepLog(t, m.logPath) // for the whole-suite log scan
		testdaemon.KeepLog(t, m.auditAt)
		if t.Failed() {
			t.Logf("tlsgate log (%s, %d processes):\n%s", m.logPath, m.started, tail(readFile(m.logPath), 60))
		}
	})
	if err := m.start(); err != nil {
		t.Fatal(err)
	}
	return m
}

// start runs a new process (the previous one must have exited) and waits
// until it accepts connections. It does not use t, so the goroutine that
// kills and restarts tlsgate can call it.
func (m *milterProc) start() error {
	logf, err := os.OpenFile(m.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close() // the child has its own copy
	cmd := exec.Command(m.bin, "-config", m.conf, "-listen", "inet:"+m.addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	m.mu.Lock()
	m.cmd, m.exited = cmd, exited
	m.started++
	m.mu.Unlock()
	alive := func() error {
		select {
		case <-exited:
			return fmt.Errorf("tlsgate exited: %v", waitErr)
		default:
			return nil
		}
	}
	if err := waitListening(m.addr, 15*time.Second, alive); err != nil {
		return fmt.Errorf("tlsgate did not listen on %s: %v\n%s", m.addr, err, tail(readFile(m.logPath), 20))
	}
	return nil
}

// signal sends sig to the current process, if it runs.
func (m *milterProc) signal(sig syscall.Signal) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd != nil {
		m.cmd.Process.Signal(sig)
	}
}

// kill ends the current process with SIGKILL and waits until it is gone,
// so its port is free again.
func (m *milterProc) kill() {
	m.signal(syscall.SIGKILL)
	m.wait()
}

// stop ends the current process with SIGTERM (it drains) and waits.
func (m *milterProc) stop(t *testing.T) {
	t.Helper()
	m.signal(syscall.SIGTERM)
	select {
	case <-m.exitedChan():
	case <-time.After(40 * time.Second):
		t.Errorf("tlsgate ignored SIGTERM for 40s; killing it")
		m.kill()
	}
}

func (m *milterProc) wait() { <-m.exitedChan() }

func (m *milterProc) exitedChan() chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.exited == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return m.exited
}

// running reports whether the current process has not exited.
func (m *milterProc) running() bool {
	select {
	case <-m.exitedChan():
		return false
	default:
		return true
	}
}

// auditRecord is the part of tlsgate's JSON audit record the tests use.
type auditRecord struct {
	QueueID  string   `json:"queue_id"`
	Decision string   `json:"decision"`
	Reasons  []string `json:"reasons"`
}

// audit reads the audit file: the records by queue ID, and the number of
// lines that do not parse (a process killed mid-write could leave one).
func (m *milterProc) audit(t *testing.T) (map[string][]auditRecord, int) {
	t.Helper()
	b, err := os.ReadFile(m.auditAt)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	recs := make(map[string][]auditRecord)
	bad := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r auditRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.QueueID == "" {
			bad++
			continue
		}
		recs[r.QueueID] = append(recs[r.QueueID], r)
	}
	return recs, bad
}

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
	subject, body := "quarterly figures", "Numbers attached.\n"
	switch m.kind {
	case optOut:
		subject, body = "[unsecure] lunch on Friday", "Pizza at noon?\n"
	case optOutCPR:
		subject, body = "[unsecure] patient file", cprBody
	}
	return buildMessage(m.id, m.rcpt, subject, body, m.extra...)
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

// outcome is the state of a set of messages once Postfix has settled.
type outcome struct {
	delivered, queued, lost int
	queuedDeliverable       int // in the queue though their receiver would take them
	duplicates              int
	clearBad                []string // delivered in clear without a granted opt-out, or with a CPR number
	forgedSeen              []string // forged or routing headers that reached a receiver
	routeBad                []string // accepted without exactly one routing header of the right value
	tlsBad                  []string // reached the TLS receiver in clear
	auditBad                []string // accepted without exactly one audit record of the right decision
	unparsedAudit           int
}

func (o outcome) String() string {
	return fmt.Sprintf("delivered %d, still queued %d (of which deliverable %d), accepted-but-lost %d, "+
		"delivered in clear without opt-out record %d, forged headers at receivers %d, wrong route %d, "+
		"accepted without exactly one matching audit record %d, duplicates %d",
		o.delivered, o.queued, o.queuedDeliverable, o.lost, len(o.clearBad), len(o.forgedSeen),
		len(o.routeBad), len(o.auditBad), o.duplicates)
}

// settle flushes the queue until every accepted message of msgs has been
// delivered or is deferred for a reason that stays (TLS required by a
// receiver without STARTTLS), or until deadline, and returns the outcome.
// tlsgate must be running and stable: queued mail no longer passes it, but
// the final check reads its audit file.
func (e *loadEnv) settle(t *testing.T, msgs []*trackedMsg, deadline time.Duration) outcome {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		// Only a snapshot taken with nothing in the incoming and active
		// queues counts: a message moving between queue directories can
		// be missed by one listing.
		poll(time.Until(end), func() bool { return !e.queueBusy(t) })
		o := e.evaluate(t, msgs)
		if (o.lost == 0 && o.queuedDeliverable == 0) || time.Now().After(end) {
			return o
		}
		// Something deliverable waits for a retry (or seems gone): ask
		// for the retry now rather than after Postfix's backoff.
		run(t, "postqueue", "-c", e.pf.confDir, "-f")
		time.Sleep(time.Second)
	}
}

// queueBusy reports whether Postfix still has mail in the incoming or
// active queue.
func (e *loadEnv) queueBusy(t *testing.T) bool {
	for _, q := range e.pf.queue(t) {
		if q.QueueName != "deferred" && q.QueueName != "hold" {
			return true
		}
	}
	return false
}

// evaluate compares one snapshot of the queue, the receivers, the maillog
// and the audit file with what each message of msgs may do.
func (e *loadEnv) evaluate(t *testing.T, msgs []*trackedMsg) outcome {
	t.Helper()
	var o outcome
	// The queue first: a message that leaves it afterwards has reached a
	// receiver before (the receiver records it before its 250 reply).
	inQueue := make(map[string]bool)
	for _, q := range e.pf.queue(t) {
		inQueue[q.QueueID] = true
	}
	got := make(map[string][]smtptest.Message) // by Message-ID
	for _, r := range []*smtptest.Server{e.tlsRcv, e.clearRcv} {
		for _, m := range r.Messages() {
			got[messageIDOf(m)] = append(got[messageIDOf(m)], m)
		}
	}
	audit, bad := e.milter.audit(t)
	o.unparsedAudit = bad
	routes := e.routes()
	byID := make(map[string]*trackedMsg, len(msgs))
	for _, m := range msgs {
		byID[m.id] = m
		if m.qid == "" {
			if len(got[m.id]) > 0 {
				o.clearBad = append(o.clearBad, fmt.Sprintf("%s (%s) delivered though never accepted", m.id, m.kind))
			}
			continue
		}
		if r := routes[m.qid]; len(r) != 1 || r[0] != m.kind.wantTransport() {
			o.routeBad = append(o.routeBad, fmt.Sprintf("%s %s (%s): routed %v, want [%s]", m.qid, m.id, m.kind, r, m.kind.wantTransport()))
		}
		if recs := audit[m.qid]; len(recs) != 1 || recs[0].Decision != m.kind.wantDecision() {
			o.auditBad = append(o.auditBad, fmt.Sprintf("%s %s (%s): audit records %v, want one %s", m.qid, m.id, m.kind, recs, m.kind.wantDecision()))
		}
		copies := got[m.id]
		switch {
		case len(copies) > 0:
			o.delivered++
			o.duplicates += len(copies) - 1
		case inQueue[m.qid]:
			o.queued++
			if m.deliverable() {
				o.queuedDeliverable++
			}
		default:
			o.lost++
		}
	}
	for _, m := range e.tlsRcv.Messages() {
		if byID[messageIDOf(m)] == nil {
			continue // another test's message
		}
		if !m.TLS {
			o.tlsBad = append(o.tlsBad, messageIDOf(m))
		}
		o.forgedSeen = append(o.forgedSeen, forgedHeaders(m.Data)...)
	}
	for _, m := range e.clearRcv.Messages() {
		tm := byID[messageIDOf(m)]
		if tm == nil {
			continue
		}
		o.forgedSeen = append(o.forgedSeen, forgedHeaders(m.Data)...)
		if why := clearProblem(m, tm, audit); why != "" {
			o.clearBad = append(o.clearBad, why)
		}
	}
	return o
}

// clearProblem says what is wrong with a copy the receiver without
// STARTTLS got: it must be a granted opt-out, with a granted audit record
// under the queue ID Postfix wrote in its Received header, and no CPR
// number.
func clearProblem(m smtptest.Message, tm *trackedMsg, audit map[string][]auditRecord) string {
	qid := receivedQueueID(m.Data)
	recs := audit[qid]
	granted := len(recs) > 0
	for _, r := range recs {
		granted = granted && r.Decision == "optout-granted"
	}
	digits := strings.ReplaceAll(cprNumber, "-", "")
	switch {
	case tm.kind != optOut:
		return fmt.Sprintf("%s (%s, queue ID %s) delivered in clear", tm.id, tm.kind, qid)
	case !granted:
		return fmt.Sprintf("%s delivered in clear, queue ID %q has audit records %v, want optout-granted", tm.id, qid, recs)
	case bytes.Contains(m.Data, []byte(cprNumber)) || bytes.Contains(m.Data, []byte(digits)):
		return fmt.Sprintf("%s delivered in clear with a CPR number", tm.id)
	}
	return ""
}

var receivedID = regexp.MustCompile(`(?i)\(Postfix\)\s+with\s+\S+\s+id\s+([0-9A-Za-z]+)`)

// receivedQueueID finds the queue ID in the Received header the relay
// added ("by relay... (Postfix) with ESMTP id QUEUEID").
func receivedQueueID(data []byte) string {
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	if m := receivedID.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// forgedHeaders lists the header fields of a received copy that no
// receiver may see: tlsgate's routing header and the TLS-Required family,
// whatever their case, folding or white space before the colon.
func forgedHeaders(data []byte) []string {
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	var found []string
	for _, line := range strings.Split(string(head), "\r\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			continue // continuation
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n := strings.ToLower(strings.TrimSpace(name))
		if strings.HasPrefix(n, "x-tlsgate") || n == "tls-required" || n == "require-tls-esmtp" {
			found = append(found, line)
		}
	}
	return found
}

// Postfix logs "QID: milter-header-filter: header X-TLSGate-Policy: require
// from ...; from=<...> to=<...> proto=ESMTP helo=<...>: smtp-tls-required:"
// for each FILTER action (the action's text, without the word FILTER).
var routeLine = regexp.MustCompile(`\b([0-9A-Za-z]+): milter-header-filter: header X-TLSGate-Policy: .*: ([a-z-]+):\s*$`)

// routes maps queue IDs to the transports Postfix chose from tlsgate's
// header, in maillog order.
func (e *loadEnv) routes() map[string][]string {
	r := make(map[string][]string)
	for _, l := range e.pf.logLines() {
		if m := routeLine.FindStringSubmatch(l); m != nil {
			r[m[1]] = append(r[m[1]], m[2])
		}
	}
	return r
}

// report fails the test for every broken guarantee in o.
func (o outcome) report(t *testing.T) {
	t.Helper()
	if o.lost != 0 {
		t.Errorf("%d accepted messages neither delivered nor queued", o.lost)
	}
	if o.queuedDeliverable != 0 {
		t.Errorf("%d deliverable messages still queued after repeated flushes", o.queuedDeliverable)
	}
	for _, list := range []struct {
		what  string
		items []string
	}{
		{"delivered in clear without a granted opt-out", o.clearBad},
		{"forged header reached a receiver", o.forgedSeen},
		{"wrong routing", o.routeBad},
		{"reached the TLS receiver in clear", o.tlsBad},
		{"audit record", o.auditBad},
	} {
		for i, s := range list.items {
			if i == 10 {
				t.Errorf("%s: ... and %d more", list.what, len(list.items)-10)
				break
			}
			t.Errorf("%s: %s", list.what, s)
		}
	}
	if o.unparsedAudit != 0 {
		t.Logf("note: %d audit lines did not parse", o.unparsedAudit)
	}
}

// appendFile appends text to a file.
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
