// Package classify decides what a message contains: CPR numbers, sensitive
// terms by category, and the parts it could not inspect.
//
// It reads a whole RFC 5322 message as a stream (headers, every MIME part,
// nested messages), decodes transfer encodings and charsets, normalises the
// text (see normalizer) and runs the CPR detector and the term matcher over
// it. Anything it cannot read counts against the message: the caller must
// treat a non-empty Result.Uninspectable like a finding.
package classify

import (
	"context"
	"io"
	"sort"
	"time"
)

// CategoryCPR is the term category of CPR keywords ("cpr-nr",
// "personnummer"); a bare ten-digit number just after one counts as a CPR
// number even without modulus 11.
const CategoryCPR = "cpr"

// Options configure a Classifier.
type Options struct {
	// Terms maps a category to its patterns; see rules.TermsConfig.
	Terms map[string][]string
	// MaxDepth bounds multipart and message/rfc822 nesting.
	MaxDepth int
	// MaxParts bounds the number of MIME parts.
	MaxParts int
	// MaxHeaderBytes bounds one header block.
	MaxHeaderBytes int64
	// IgnoreImages makes image attachments count as inspected (nothing in
	// them is read). By default an attached image is uninspectable: it may
	// be a scanned document.
	IgnoreImages bool
	// Timeout bounds one Scan; zero means none.
	Timeout time.Duration
}

// Classifier scans messages. It is safe for concurrent use.
type Classifier struct {
	opts Options
	m    *matcher
}

// New compiles the term lists.
func New(o Options) (*Classifier, error) {
	m, err := newMatcher(o.Terms)
	if err != nil {
		return nil, err
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 20
	}
	if o.MaxParts <= 0 {
		o.MaxParts = 1000
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = 1 << 20
	}
	return &Classifier{opts: o, m: m}, nil
}

// Result is what a scan found. It holds counts and categories only, never
// the text that matched.
type Result struct {
	// CPR counts CPR numbers found.
	CPR int
	// Terms counts sensitive-term hits by category.
	Terms map[string]int
	// Uninspectable counts, by reason, what could not be read
	// (UninspectableAttachment, LimitDepth, …).
	Uninspectable map[Reason]int
	// Parts counts MIME entities seen; TextBytes the decoded text scanned.
	Parts     int
	TextBytes int64
	// ContentEncrypted is set when the message is S/MIME- or
	// PGP/MIME-encrypted as a whole: its body is already protected, so it
	// is not counted as uninspectable; the rules decide what it means.
	ContentEncrypted bool
}

// Clean reports whether nothing sensitive or uninspectable was found.
func (r *Result) Clean() bool {
	return r.CPR == 0 && len(r.Terms) == 0 && len(r.Uninspectable) == 0
}

// Codes returns the reason codes, sorted by wire form: cpr:2, term:health,
// uninspectable:attachment, limit:depth.
func (r *Result) Codes() Codes {
	var out Codes
	if r.CPR > 0 {
		out = append(out, Code{Reason: FoundCPR, Count: r.CPR})
	}
	for c := range r.Terms {
		out = append(out, Code{Reason: FoundTerm, Category: c})
	}
	for u := range r.Uninspectable {
		out = append(out, Code{Reason: u})
	}
	out.Sort()
	return out
}

// Reasons returns the wire forms of Codes: "cpr:2", "term:health",
// "uninspectable:attachment", "limit:depth".
func (r *Result) Reasons() []string {
	return r.Codes().Strings()
}

// Categories returns the finding categories ("cpr", "health", …) and whether
// anything was uninspectable, for the explanation a sender reads.
func (r *Result) Categories() (cats []string, uninspectable bool) {
	if r.CPR > 0 {
		cats = append(cats, CategoryCPR)
	}
	for c := range r.Terms {
		if c != CategoryCPR || r.CPR == 0 {
			cats = append(cats, c)
		}
	}
	sort.Strings(cats)
	return cats, len(r.Uninspectable) > 0
}

func (r *Result) flag(reason Reason) {
	if r.Uninspectable == nil {
		r.Uninspectable = map[Reason]int{}
	}
	r.Uninspectable[reason]++
}

// Scan reads the message in r to its end (or until a limit or ctx stops it)
// and reports what it found. The wire form is also searched for CPR numbers,
// so a number left in clear in a part the walker cannot decode (a wrong
// charset label, a preamble) still counts. See wireGate for the one case in
// which that second pass stops early.
func (c *Classifier) Scan(ctx context.Context, r io.Reader) *Result {
	if c.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.Timeout)
		defer cancel()
	}
	res := &Result{}
	var wire Result
	raw := &wireGate{t: newTextScanner(nil, &wire)}
	tee := io.TeeReader(r, raw)
	w := &walker{c: c, ctx: ctx, res: res, text: newTextScanner(c.m, res), wire: raw}
	w.message(tee, 0)
	// Whatever the walker left unread still crosses the wire.
	io.Copy(io.Discard, tee)
	raw.t.end()
	res.CPR = max(res.CPR, wire.CPR)
	if ctx.Err() != nil {
		res.flag(LimitTimeout)
	}
	return res
}

// wireGate passes the wire form of the message to the CPR-only scanner t.
//
// When the message is a single text part whose body needs no decoding (no
// transfer encoding, UTF-8 or US-ASCII), the walker scans those very bytes
// as text, with the same normalisation and a CPR detector that knows more
// (the keywords): the second pass would find nothing new, yet costs a third
// of the time of a plain-text message. The walker then sets skip, and the
// gate stops passing bytes at the first chunk boundary where t is not inside
// a number. Everything before that point (the header, the start of the
// body) has been searched by both, so a number split across the end of the
// header and the start of the body is still found.
type wireGate struct {
	t    *textScanner
	skip bool
}

func (g *wireGate) Write(p []byte) (int, error) {
	if !g.skip || !g.t.cpr.idle() || g.t.norm.ncarry > 0 {
		g.t.Write(p)
	}
	return len(p), nil
}

// ScanText scans one piece of plain text, such as a Subject.
func (c *Classifier) ScanText(s string) *Result {
	res := &Result{}
	t := newTextScanner(c.m, res)
	t.WriteString(s)
	t.end()
	return res
}
