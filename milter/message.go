package milter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/rules"
)

// Message is the one evaluation path for an outbound message: header
// fields in, body chunks in, Finish out. The milter session feeds it what
// the MTA sends; "tlsgate check" feeds it a file read by ReadMessage. Both
// therefore apply the same limits and come to the same decision.
type Message struct {
	pol *rules.Policy

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

// Outcome is what Finish decides for a message.
type Outcome struct {
	Decision rules.Decision
	// Scan is the classifier's result; nil when the body was not scanned
	// (no opt-out asked, or the Subject or a limit refused it first).
	Scan      *classify.Result
	ScanTime  time.Duration
	ScanBytes int64
	// Edits are the header changes to make, in this order: forged routing
	// headers deleted (highest index first), tagged Subjects rewritten.
	Edits []HeaderEdit
	// Route is the routing header to add (name and value).
	Route HeaderEdit
}

// HeaderEdit is one header change. Index is the 1-based index among the
// fields of that name (SMFIR_CHGHEADER); an empty Value deletes the field.
// For Outcome.Route, Index is 0: the field is added.
type HeaderEdit struct {
	Name  string
	Index int
	Value string
}

// NewMessage starts a message decided by p.
func NewMessage(p *rules.Policy) *Message { return &Message{pol: p} }

// Header takes one header field as the MTA passes it: the name, and the
// value without the space after the colon, folded lines joined by "\n"
// (Postfix) or "\r\n".
func (m *Message) Header(name, value string) {
	lname := strings.ToLower(name)
	if m.counts == nil {
		m.counts = map[string]int{}
	}
	m.counts[lname]++
	ref := headerRef{name: name, index: m.counts[lname], value: value}
	switch {
	case lname == "subject":
		ref.subject = rules.ParseSubject(value, m.pol.Config.OptOutTags)
		m.subjects = append(m.subjects, ref)
	case lname == strings.ToLower(m.pol.Config.Header.Name) || contains(forgedHeaders, lname):
		m.strip = append(m.strip, ref)
	}
	if !m.hdrOver {
		// Postfix folds values with a bare "\n"; the MIME parser wants the
		// wire form back.
		v := strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\n", "\r\n")
		fmt.Fprintf(&m.hdr, "%s: %s\r\n", name, v)
		if int64(m.hdr.Len()) > m.pol.Config.Limits.MaxHeaderBytes {
			m.hdrOver = true
			m.hdr = bytes.Buffer{}
		}
	}
}

// EndHeaders marks the end of the header block: only now is it known
// whether an opt-out was asked for, and so whether the body must be
// scanned.
func (m *Message) EndHeaders() {
	if !m.Tagged() {
		return
	}
	if m.hdrOver {
		m.errs = append(m.errs, classify.LimitHeader)
		return
	}
	if _, problems := m.subjectInput(); len(problems) > 0 {
		return // refused whatever the body says
	}
	m.scanFrom = time.Now()
	m.scanned = int64(m.hdr.Len()) + 2
	m.inline = true
}

// Body takes the next chunk of the body (CRLF line ends, as the MTA sends
// it).
func (m *Message) Body(chunk []byte) {
	if m.scan == nil && !m.inline {
		return
	}
	m.body += int64(len(chunk))
	if m.body > m.pol.Config.Limits.MaxMessageBytes {
		m.errs = append(m.errs, classify.LimitSize)
		m.stopScan()
		return
	}
	m.scanned += int64(len(chunk))
	if m.inline {
		m.buffered.Write(chunk)
		if m.buffered.Len() <= inlineScanBytes {
			return
		}
		// Large: stream the rest into the classifier as it comes.
		m.scan = startScan(m.pol.Classifier, m.hdr.Bytes())
		m.scan.write(m.buffered.Bytes())
		m.inline, m.hdr, m.buffered = false, bytes.Buffer{}, bytes.Buffer{}
		return
	}
	m.scan.write(chunk)
}

// Fail records a failure around the message (such as
// classify.ErrorNoQueueID) that forbids an opt-out.
func (m *Message) Fail(reason classify.Reason) { m.errs = append(m.errs, reason) }

// inlineScanBytes is the largest body scanned at the end of the message
// from a buffer; a larger one is streamed to the classifier.
const inlineScanBytes = 64 << 10

// Finish ends the message and decides it. The Message must not be used
// afterwards.
func (m *Message) Finish() Outcome {
	in := rules.Input{Errors: m.errs}
	in.Tagged, in.SubjectProblems = m.subjectInput()
	var out Outcome
	if in.Scan = m.finishScan(); in.Scan != nil {
		out.Scan, out.ScanTime, out.ScanBytes = in.Scan, time.Since(m.scanFrom), m.scanned
	}
	out.Decision = m.pol.Decide(in)
	out.Edits = m.edits()
	out.Route = HeaderEdit{Name: m.pol.Config.Header.Name, Value: m.pol.HeaderValue(out.Decision)}
	return out
}

// Abort abandons the message and its scan, if any.
func (m *Message) Abort() { m.stopScan() }

// edits removes forged headers and strips the tag from every Subject.
func (m *Message) edits() []HeaderEdit {
	var e []HeaderEdit
	// Highest index first: Postfix renumbers the later fields of a name
	// after a deletion, Sendmail does not; descending order is right for
	// both (compare CVE-2022-48521).
	del := append([]headerRef(nil), m.strip...)
	sort.SliceStable(del, func(i, j int) bool { return del[i].index > del[j].index })
	for _, h := range del {
		e = append(e, HeaderEdit{Name: h.name, Index: h.index})
	}
	for i := len(m.subjects) - 1; i >= 0; i-- {
		h := m.subjects[i]
		if h.subject.Tagged {
			e = append(e, HeaderEdit{Name: h.name, Index: h.index, Value: h.subject.Stripped})
		}
	}
	return e
}

// stopScan abandons the scan, if any.
func (m *Message) stopScan() {
	if m.scan != nil {
		m.scan.cancel()
		m.scan = nil
	}
	m.inline, m.hdr, m.buffered = false, bytes.Buffer{}, bytes.Buffer{}
}

// finishScan returns the classifier's result, or nil when the message was
// not scanned.
func (m *Message) finishScan() *classify.Result {
	switch {
	case m.inline:
		return scan(m.pol.Classifier, io.MultiReader(&m.hdr, strings.NewReader("\r\n"), &m.buffered))
	case m.scan != nil:
		res := m.scan.finish()
		m.scan = nil
		return res
	}
	return nil
}

// subjectInput is what the Subject fields say for rules.Decide.
func (m *Message) subjectInput() (tagged bool, problems []classify.Reason) {
	subjects := make([]rules.Subject, len(m.subjects))
	for i, h := range m.subjects {
		subjects[i] = h.subject
	}
	return rules.SubjectInput(subjects)
}

// Tagged reports whether a Subject seen so far carries an opt-out tag.
func (m *Message) Tagged() bool {
	tagged, _ := m.subjectInput()
	return tagged
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
