package milter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/textproto"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/milter/audit"
	"github.com/tlsgate/tlsgate/rules"
)

// Headers a client must not choose: tlsgate's own routing header (added
// elsewhere by configuration), and the RFC 8689 header that asks for TLS
// to be ignored, and Postfix's own name for it.
var forgedHeaders = []string{"tls-required", "require-tls-esmtp"}

// session handles one message; go-milter makes a new one after each
// message, and it keeps per-connection facts in c.
type session struct {
	c   *connState
	pol *rules.Policy

	started     bool
	authUser    string
	sender      string
	queueID     string
	rcptDomains []string
	rcpts       []string // as given, for Sendmail mode

	counts   map[string]int // header occurrences by lower-case name
	subjects []headerRef
	strip    []headerRef
	hdr      bytes.Buffer
	hdrOver  bool
	scan     *scanJob
	// Until the body passes inlineScanBytes it is kept in buffered
	// and scanned at the end of the message without a goroutine:
	// most messages are small, and the pipe's hand-offs cost more than
	// their scan.
	inline   bool
	buffered bytes.Buffer
	scanFrom time.Time // when the scan started
	scanned  int64     // bytes handed to the classifier
	body     int64
	errs     []classify.Reason
}

// headerRef names one header field by name and its 1-based index among the
// fields of that name, as SMFIR_CHGHEADER counts them (case-insensitive in
// both Postfix and Sendmail).
type headerRef struct {
	name  string
	index int
	value string
	// For a Subject: the value without the opt-out tag, whether the tag
	// was there, and whether the value could be decoded (rules.StripTag,
	// run once when the field arrives).
	subject rules.Subject
}

func newSession(c *connState) *session { return &session{c: c} }

// guard turns a panic in a callback into a tempfail for this message.
func (s *session) guard(resp *gomilter.Response, err *error) {
	if v := recover(); v != nil {
		s.c.srv.log.Error("internal error; message tempfailed", "queue_id", s.queueID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if f := s.c.srv.Fault; f != nil {
			f("panic")
		}
		s.reset()
		*resp, *err = gomilter.RespTempFail, nil
	}
}

// macros copies the macros this stage carries: with protocol version 2 each
// macro packet replaces the whole set.
func (s *session) macros(m *gomilter.Modifier) {
	if v := m.Macros["i"]; v != "" {
		s.queueID = v
	}
	if v := m.Macros["{auth_authen}"]; v != "" {
		s.authUser = v
	}
	if !s.c.client.IsValid() {
		if a, err := netip.ParseAddr(strings.Trim(m.Macros["{client_addr}"], "[]")); err == nil {
			s.c.client = a
		}
	}
}

func (s *session) Connect(host, family string, port uint16, addr net.IP, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.c.name = host
	if a, ok := netip.AddrFromSlice(addr); ok {
		s.c.client = a.Unmap()
	}
	s.macros(m)
	return gomilter.RespContinue, nil
}

func (s *session) Helo(name string, m *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (s *session) MailFrom(from string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.reset()
	s.pol = s.c.srv.Policy()
	s.macros(m)
	if !s.pol.Outbound(s.authUser, s.c.client) {
		// Not ours: accepting here makes the MTA skip this milter for
		// the rest of the message.
		s.c.srv.log.Info("message", "queue_id", s.queueID, "decision", rules.Pass, "client", s.c.client.String())
		if r := s.c.srv.Report; r != nil {
			r(Report{Record: audit.Record{Time: time.Now().UTC(), QueueID: s.queueID, Decision: string(rules.Pass)}})
		}
		return gomilter.RespAccept, nil
	}
	s.sender = strings.TrimSuffix(strings.TrimPrefix(from, "<"), ">")
	s.started = true
	s.c.busy.Store(true)
	s.c.srv.inFlight.Add(1)
	return gomilter.RespContinue, nil
}

func (s *session) RcptTo(rcpt string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	s.rcpts = append(s.rcpts, rcpt)
	d := rcpt
	if i := strings.LastIndexByte(rcpt, '@'); i >= 0 {
		d = rcpt[i+1:]
	}
	d = strings.ToLower(d)
	for _, x := range s.rcptDomains {
		if x == d {
			return gomilter.RespContinue, nil
		}
	}
	s.rcptDomains = append(s.rcptDomains, d)
	return gomilter.RespContinue, nil
}

func (s *session) Header(name, value string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	if !s.started {
		return gomilter.RespContinue, nil
	}
	lname := strings.ToLower(name)
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	s.counts[lname]++
	ref := headerRef{name: name, index: s.counts[lname], value: value}
	switch {
	case lname == "subject":
		ref.subject = rules.ParseSubject(value, s.pol.Config.OptOutTags)
		s.subjects = append(s.subjects, ref)
	case lname == strings.ToLower(s.pol.Config.Header.Name) || contains(forgedHeaders, lname):
		s.strip = append(s.strip, ref)
	}
	if !s.hdrOver {
		// Postfix folds values with a bare "\n"; the MIME parser wants the
		// wire form back.
		v := strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\n", "\r\n")
		fmt.Fprintf(&s.hdr, "%s: %s\r\n", name, v)
		if int64(s.hdr.Len()) > s.pol.Config.Limits.MaxHeaderBytes {
			s.hdrOver = true
			s.hdr = bytes.Buffer{}
		}
	}
	return gomilter.RespContinue, nil
}

// Headers runs at the end of the header block: only now is it known whether
// an opt-out was asked for, and so whether the body must be scanned.
func (s *session) Headers(h textproto.MIMEHeader, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	if !s.started || !s.tagged() {
		return gomilter.RespContinue, nil
	}
	if s.hdrOver {
		s.errs = append(s.errs, classify.LimitHeader)
		return gomilter.RespContinue, nil
	}
	if _, problems := s.subjectInput(); len(problems) > 0 {
		return gomilter.RespContinue, nil // refused whatever the body says
	}
	s.scanFrom = time.Now()
	s.scanned = int64(s.hdr.Len()) + 2
	s.inline = true
	return gomilter.RespContinue, nil
}

func (s *session) BodyChunk(chunk []byte, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	if s.scan == nil && !s.inline {
		return gomilter.RespContinue, nil
	}
	s.body += int64(len(chunk))
	if s.body > s.pol.Config.Limits.MaxMessageBytes {
		s.errs = append(s.errs, classify.LimitSize)
		s.stopScan()
		return gomilter.RespContinue, nil
	}
	s.scanned += int64(len(chunk))
	if s.inline {
		s.buffered.Write(chunk)
		if s.buffered.Len() <= inlineScanBytes {
			return gomilter.RespContinue, nil
		}
		// Large: stream the rest into the classifier as it comes.
		s.scan = startScan(s.pol.Classifier, s.hdr.Bytes())
		s.scan.write(s.buffered.Bytes())
		s.inline, s.hdr, s.buffered = false, bytes.Buffer{}, bytes.Buffer{}
		return gomilter.RespContinue, nil
	}
	s.scan.write(chunk)
	return gomilter.RespContinue, nil
}

// inlineScanBytes is the largest body scanned at the end of the message
// from a buffer; a larger one is streamed to the classifier.
const inlineScanBytes = 64 << 10

// stopScan abandons the scan, if any.
func (s *session) stopScan() {
	if s.scan != nil {
		s.scan.cancel()
		s.scan = nil
	}
	s.inline, s.hdr, s.buffered = false, bytes.Buffer{}, bytes.Buffer{}
}

// finishScan returns the classifier's result, or nil when the message was
// not scanned.
func (s *session) finishScan() *classify.Result {
	switch {
	case s.inline:
		return scan(s.pol.Classifier, io.MultiReader(&s.hdr, strings.NewReader("\r\n"), &s.buffered))
	case s.scan != nil:
		res := s.scan.finish()
		s.scan = nil
		return res
	}
	return nil
}

// scan runs the classifier on r, inline or in startScan's goroutine. Fail
// closed: an internal error (a panic) is a finding.
func scan(c *classify.Classifier, r io.Reader) (res *classify.Result) {
	defer func() {
		if v := recover(); v != nil {
			res = &classify.Result{Uninspectable: map[classify.Reason]int{classify.ErrorInternal: 1}}
		}
	}()
	return c.Scan(context.Background(), r)
}

// Body is the end of the message: decide, apply, log.
func (s *session) Body(m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	if !s.started {
		return gomilter.RespAccept, nil
	}
	defer s.reset()
	in := rules.Input{Errors: s.errs}
	in.Tagged, in.SubjectProblems = s.subjectInput()
	if in.Tagged && s.pol.Config.Sendmail.Mode == rules.SendmailEnvelope && s.queueID == "" {
		// No queue ID, no token (sendmail.go): an opt-out could not be
		// told to Sendmail, so it is not granted.
		in.Errors = append(in.Errors, classify.ErrorNoQueueID)
	}
	var scanTime time.Duration
	if in.Scan = s.finishScan(); in.Scan != nil {
		scanTime = time.Since(s.scanFrom)
	}
	d := s.pol.Decide(in)
	if d.Reject {
		s.logDecision(d, in.Scan, scanTime, "rejected")
		da, en := s.pol.Explain(d.Reasons)
		return gomilter.NewResponseStr('y', "550-5.7.1 "+da+"\r\n550 5.7.1 "+en), nil
	}
	if err := s.apply(m, d); err != nil {
		return nil, err
	}
	s.logDecision(d, in.Scan, scanTime, "")
	return gomilter.RespAccept, nil
}

// apply removes forged headers, strips the tag from every Subject, and adds
// the routing header.
func (s *session) apply(m *gomilter.Modifier, d rules.Decision) error {
	// Highest index first: Postfix renumbers the later fields of a name
	// after a deletion, Sendmail does not; descending order is right for
	// both (compare CVE-2022-48521).
	del := append([]headerRef(nil), s.strip...)
	sort.SliceStable(del, func(i, j int) bool { return del[i].index > del[j].index })
	for _, h := range del {
		if err := m.ChangeHeader(h.index, h.name, ""); err != nil {
			return err
		}
	}
	for i := len(s.subjects) - 1; i >= 0; i-- {
		h := s.subjects[i]
		if !h.subject.Tagged {
			continue
		}
		if err := m.ChangeHeader(h.index, h.name, h.subject.Stripped); err != nil {
			return err
		}
	}
	if done, err := s.sendmailApply(m, d); done {
		return err
	}
	return m.AddHeader(s.pol.Config.Header.Name, s.pol.HeaderValue(d))
}

// subjectInput is what the Subject fields say for rules.Decide.
func (s *session) subjectInput() (tagged bool, problems []classify.Reason) {
	subjects := make([]rules.Subject, len(s.subjects))
	for i, h := range s.subjects {
		subjects[i] = h.subject
	}
	return rules.SubjectInput(subjects)
}

func (s *session) tagged() bool {
	tagged, _ := s.subjectInput()
	return tagged
}

// logDecision writes the message's one log line and its audit record:
// categories and counts, never content.
func (s *session) logDecision(d rules.Decision, res *classify.Result, scanTime time.Duration, action string) {
	rec := audit.Record{
		Time: time.Now().UTC(), QueueID: s.queueID, User: s.authUser, RcptDomains: s.rcptDomains,
		Decision: string(d.Verdict), Action: action, Reasons: d.Reasons.Strings(), Rules: s.pol.Version(),
	}
	if rec.User == "" {
		rec.Client = s.c.client.String()
	}
	attrs := []any{"queue_id", rec.QueueID, "decision", rec.Decision}
	if len(d.Reasons) > 0 {
		attrs = append(attrs, "reasons", strings.Join(rec.Reasons, ","))
	}
	if action != "" {
		attrs = append(attrs, "action", action)
	}
	if rec.User != "" {
		attrs = append(attrs, "user", rec.User)
	} else {
		attrs = append(attrs, "client", rec.Client)
	}
	attrs = append(attrs, "rcpt_domains", strings.Join(s.rcptDomains, ","))
	if res != nil {
		attrs = append(attrs, "parts", res.Parts, "text_bytes", res.TextBytes)
	}
	attrs = append(attrs, "rules", rec.Rules)
	s.c.srv.log.Info("message", attrs...)
	if r := s.c.srv.Report; r != nil {
		rep := Report{Outbound: true, Record: rec, Sender: s.sender}
		if res != nil {
			rep.Scanned, rep.ScanTime, rep.ScanBytes = true, scanTime, s.scanned
		}
		r(rep)
	}
}

func (s *session) Abort(m *gomilter.Modifier) error {
	s.reset()
	return nil
}

// reset forgets the message, keeping the connection's facts.
func (s *session) reset() {
	s.stopScan()
	if s.started {
		s.c.srv.inFlight.Add(-1)
		s.c.busy.Store(false)
	}
	c := s.c
	*s = session{c: c}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// scanJob streams one message into the classifier as the MTA sends it, so
// memory stays bounded by the classifier's limits, not the message size.
type scanJob struct {
	pw     *io.PipeWriter
	done   chan *classify.Result
	broken bool
}

var errAborted = errors.New("message aborted")

func startScan(c *classify.Classifier, header []byte) *scanJob {
	pr, pw := io.Pipe()
	j := &scanJob{pw: pw, done: make(chan *classify.Result, 1)}
	go func() {
		res := scan(c, pr)
		pr.CloseWithError(errAborted)
		j.done <- res
	}()
	j.write(header)
	j.write([]byte("\r\n"))
	return j
}

func (j *scanJob) write(p []byte) {
	if j.broken {
		return
	}
	if _, err := j.pw.Write(p); err != nil {
		j.broken = true
	}
}

// finish ends the input and waits for the result.
func (j *scanJob) finish() *classify.Result {
	j.pw.Close()
	return <-j.done
}

// cancel abandons the scan; its goroutine ends on its own.
func (j *scanJob) cancel() {
	j.pw.CloseWithError(errAborted)
}
