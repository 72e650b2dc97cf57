package milter

import (
	"fmt"
	"net"
	"net/netip"
	"net/textproto"
	"runtime/debug"
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
// message, and it keeps per-connection facts in c. What decides the message
// is msg, the evaluation path "tlsgate check" shares.
type session struct {
	c   *connState
	pol *rules.Policy

	started     bool
	authUser    string
	sender      string
	queueID     string
	rcptDomains []string
	rcpts       []string // as given, for Sendmail mode
	msg         *Message
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
	s.msg = NewMessage(s.pol)
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
	s.msg.Header(name, value)
	return gomilter.RespContinue, nil
}

// Headers runs at the end of the header block: only now is it known whether
// an opt-out was asked for, and so whether the body must be scanned.
func (s *session) Headers(h textproto.MIMEHeader, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	if s.started {
		s.msg.EndHeaders()
	}
	return gomilter.RespContinue, nil
}

func (s *session) BodyChunk(chunk []byte, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	if s.started {
		s.msg.Body(chunk)
	}
	return gomilter.RespContinue, nil
}

// Body is the end of the message: decide, apply, log.
func (s *session) Body(m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard(&resp, &err)
	s.macros(m)
	if !s.started {
		return gomilter.RespAccept, nil
	}
	defer s.reset()
	if s.pol.Config.Sendmail.Mode == rules.SendmailEnvelope && s.queueID == "" {
		// No queue ID, no token (sendmail.go): an opt-out could not be
		// told to Sendmail, so it is not granted.
		s.msg.Fail(classify.ErrorNoQueueID)
	}
	out := s.msg.Finish()
	s.msg = nil
	if out.Decision.Reject {
		s.logDecision(out, "rejected")
		da, en := s.pol.Explain(out.Decision.Reasons)
		return gomilter.NewResponseStr('y', "550-5.7.1 "+da+"\r\n550 5.7.1 "+en), nil
	}
	if err := s.apply(m, out); err != nil {
		return nil, err
	}
	s.logDecision(out, "")
	return gomilter.RespAccept, nil
}

// apply makes the outcome's header edits and adds the routing header (or,
// in Sendmail mode, marks the envelope instead).
func (s *session) apply(m *gomilter.Modifier, out Outcome) error {
	for _, e := range out.Edits {
		if err := m.ChangeHeader(e.Index, e.Name, e.Value); err != nil {
			return err
		}
	}
	if done, err := s.sendmailApply(m, out.Decision); done {
		return err
	}
	return m.AddHeader(out.Route.Name, out.Route.Value)
}

// logDecision writes the message's one log line and its audit record:
// categories and counts, never content.
func (s *session) logDecision(out Outcome, action string) {
	d, res := out.Decision, out.Scan
	rec := audit.Record{
		Time: time.Now().UTC(), QueueID: s.queueID, User: s.authUser, RcptDomains: s.rcptDomains,
		Decision: string(d.Verdict), Action: action, Reasons: d.Reasons.Strings(),
		Rules: s.pol.Version(), RulesVersion: s.pol.Label(),
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
	if rec.RulesVersion != "" {
		attrs = append(attrs, "rules_version", rec.RulesVersion)
	}
	s.c.srv.log.Info("message", attrs...)
	if r := s.c.srv.Report; r != nil {
		rep := Report{Outbound: true, Record: rec, Sender: s.sender}
		if res != nil {
			rep.Scanned, rep.ScanTime, rep.ScanBytes = true, out.ScanTime, out.ScanBytes
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
	if s.msg != nil {
		s.msg.Abort()
	}
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
