package e2e

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
)

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
	subjectBad              []string // reached a receiver without exactly one Subject, tag removed
	unparsedAudit           int
}

func (o outcome) String() string {
	return fmt.Sprintf("delivered %d, still queued %d (of which deliverable %d), accepted-but-lost %d, "+
		"delivered in clear without opt-out record %d, forged headers at receivers %d, wrong route %d, "+
		"accepted without exactly one matching audit record %d, wrong Subject %d, duplicates %d",
		o.delivered, o.queued, o.queuedDeliverable, o.lost, len(o.clearBad), len(o.forgedSeen),
		len(o.routeBad), len(o.auditBad), len(o.subjectBad), o.duplicates)
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
	for _, m := range append(e.tlsRcv.Messages(), e.clearRcv.Messages()...) {
		tm := byID[messageIDOf(m)]
		if tm == nil {
			continue // another test's message
		}
		if got := headerValues(m.Data, "Subject"); len(got) != 1 || got[0] != tm.kind.wantSubject() {
			o.subjectBad = append(o.subjectBad, fmt.Sprintf("%s (%s): Subject %q, want [%q]", tm.id, tm.kind, got, tm.kind.wantSubject()))
		}
	}
	for _, m := range e.tlsRcv.Messages() {
		if byID[messageIDOf(m)] == nil {
			continue
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

var receivedID = regexp.MustCompile(`(?i)\(Postfix(?:, from userid \d+)?\)(?:\s+with\s+\S+)?\s+id\s+([0-9A-Za-z]+)`)

// receivedQueueID finds the queue ID in the Received header the relay
// added: "by relay... (Postfix) with ESMTP id QUEUEID" for SMTP, "by
// relay... (Postfix, from userid 0) id QUEUEID" for sendmail(1).
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
// headerValues returns the unfolded values of the header fields called
// name (any case) in a received copy, white space trimmed.
func headerValues(data []byte, name string) []string {
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	var vals []string
	in := false
	for _, line := range strings.Split(string(head), "\r\n") {
		if line != "" && (line[0] == ' ' || line[0] == '\t') {
			if in {
				vals[len(vals)-1] += line
			}
			continue
		}
		n, v, ok := strings.Cut(line, ":")
		in = ok && strings.EqualFold(strings.TrimSpace(n), name)
		if in {
			vals = append(vals, v)
		}
	}
	for i, v := range vals {
		vals[i] = strings.Join(strings.Fields(v), " ")
	}
	return vals
}

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
		{"Subject", o.subjectBad},
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
