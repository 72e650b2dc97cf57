package tlsreport

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report lists the domains with TLS failures, most messages first.
type Report struct {
	Domains []Domain `json:"domains"`
}

// Domain is what the log says about one recipient domain.
type Domain struct {
	Domain string `json:"domain"`
	// Messages is how many messages (queue IDs) had a delivery to the
	// domain deferred or bounced for lack of TLS.
	Messages int `json:"messages"`
	// Deferred and Bounced count the delivery attempts (one per recipient)
	// that ended so.
	Deferred int `json:"deferred"`
	Bounced  int `json:"bounced"`
	// Kinds counts the attempts by kind of TLS failure.
	Kinds map[Kind]int `json:"kinds"`
	// FirstSeen and LastSeen are the earliest and latest such attempt.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// Notices counts the delay and non-delivery notices Postfix sent the
	// senders of those messages.
	Notices int `json:"sender_notices"`
	// OptOutSent counts deliveries to the domain, after its first TLS
	// failure, of messages tlsgate routed to smtp-tls-optional (a granted
	// opt-out: [unsecure] and nothing sensitive).
	OptOutSent int `json:"optout_sent"`
}

// builder joins the log lines of a message by queue ID. Postfix reuses
// queue IDs, so a message's state is dropped when qmgr logs it "removed"
// and reset when cleanup logs a new routing decision for the ID.
type builder struct {
	routes  map[string]string          // qid -> transport from the FILTER action
	failed  map[string]map[string]bool // qid -> domains with a TLS failure
	domains map[string]*domainState
}

type domainState struct {
	Domain
	qids map[string]bool
}

func newBuilder() *builder {
	return &builder{routes: map[string]string{}, failed: map[string]map[string]bool{}, domains: map[string]*domainState{}}
}

func (b *builder) add(e entry) {
	if transport, ok := routeOf(e.text); ok {
		b.routes[e.qid] = transport
		delete(b.failed, e.qid)
		return
	}
	switch {
	case e.text == "removed":
		delete(b.routes, e.qid)
		delete(b.failed, e.qid)
		return
	case strings.HasPrefix(e.text, "sender delay notification: "),
		strings.HasPrefix(e.text, "sender non-delivery notification: "):
		for d := range b.failed[e.qid] {
			b.domains[d].Notices++
		}
		return
	}
	d, ok := parseDelivery(e.text)
	if !ok {
		return
	}
	switch d.status {
	case "deferred", "bounced":
		if k := kindOf(d.text); k != "" {
			b.failure(e, d, k)
		}
	case "sent":
		if s := b.domains[d.domain]; s != nil && b.routes[e.qid] == OptionalTransport {
			s.OptOutSent++
		}
	}
}

func (b *builder) failure(e entry, d delivery, k Kind) {
	s := b.domains[d.domain]
	if s == nil {
		s = &domainState{Domain: Domain{Domain: d.domain, Kinds: map[Kind]int{}, FirstSeen: e.time, LastSeen: e.time}, qids: map[string]bool{}}
		b.domains[d.domain] = s
	}
	if d.status == "bounced" {
		s.Bounced++
	} else {
		s.Deferred++
	}
	s.Kinds[k]++
	if e.time.Before(s.FirstSeen) {
		s.FirstSeen = e.time
	}
	if e.time.After(s.LastSeen) {
		s.LastSeen = e.time
	}
	s.qids[e.qid] = true
	if b.failed[e.qid] == nil {
		b.failed[e.qid] = map[string]bool{}
	}
	b.failed[e.qid][d.domain] = true
}

func (b *builder) report() *Report {
	r := &Report{Domains: []Domain{}}
	for _, s := range b.domains {
		s.Messages = len(s.qids)
		r.Domains = append(r.Domains, s.Domain)
	}
	slices.SortFunc(r.Domains, func(a, b Domain) int {
		return cmp.Or(cmp.Compare(b.Messages, a.Messages), strings.Compare(a.Domain, b.Domain))
	})
	return r
}

// WriteJSON writes the report as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report as a table.
func (r *Report) WriteText(w io.Writer) error {
	if len(r.Domains) == 0 {
		_, err := fmt.Fprintln(w, "No deliveries deferred or bounced for lack of TLS.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tMESSAGES\tDEFERRED\tBOUNCED\tNOTICES\tOPT-OUT SENT\tFIRST SEEN\tLAST SEEN\tKINDS")
	const stamp = "2006-01-02 15:04:05"
	for _, d := range r.Domains {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", d.Domain, d.Messages, d.Deferred, d.Bounced,
			d.Notices, d.OptOutSent, d.FirstSeen.Format(stamp), d.LastSeen.Format(stamp), kinds(d.Kinds))
	}
	return tw.Flush()
}

// kinds writes "no-starttls:3,handshake:1", most frequent first.
func kinds(m map[Kind]int) string {
	ks := make([]Kind, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b Kind) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(string(a), string(b))) })
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, ",")
}
