// Package tlsreport reads Postfix's log and reports the recipient domains
// whose mail was held back because their servers could not take it over
// TLS: how many messages, deferrals and bounces, when first and last seen,
// and how many of their messages later went out with a granted opt-out.
// It is "tlsgate tls-report", for the administrator who asks partners to
// turn TLS on.
//
// The report holds domains, counts and times only: never a local part, a
// subject or a status text (which may quote a remote server's reply).
package tlsreport

import (
	"bufio"
	"io"
	"strings"
	"time"
)

// Kind is why a delivery failed for lack of TLS, from Postfix's status
// text (postfix/src/smtp/smtp_proto.c); tlsgate's status filter
// (packaging/postfix/tlsgate_tls_status) keeps Postfix's words in front.
type Kind string

// The kinds of TLS failure.
const (
	// NoSTARTTLS: the receiver does not offer STARTTLS.
	NoSTARTTLS Kind = "no-starttls"
	// Refused: it offers STARTTLS, then answers it with an error.
	Refused Kind = "starttls-refused"
	// Handshake: the TLS handshake failed (among other causes, a receiver
	// with TLS older than 1.2 only).
	Handshake Kind = "handshake"
	// Certificate: a TLS policy demanded a verified certificate.
	Certificate Kind = "certificate"
)

// kindOf maps a status text to its kind, or "" for other failures.
func kindOf(text string) Kind {
	switch {
	case strings.Contains(text, "TLS is required, but was not offered by host"):
		return NoSTARTTLS
	case strings.Contains(text, "TLS is required, but host") && strings.Contains(text, "refused to start TLS"):
		return Refused
	case strings.HasPrefix(text, "Cannot start TLS: handshake failure"):
		return Handshake
	case strings.HasPrefix(text, "Server certificate not verified"), strings.HasPrefix(text, "Server certificate not trusted"):
		return Certificate
	}
	return ""
}

// OptionalTransport is the transport tlsgate's opportunistic header routes
// to (postfixcheck.OptionalTransport; milter_header_checks FILTER).
const OptionalTransport = "smtp-tls-optional"

// entry is one Postfix log line about a queued message.
type entry struct {
	time time.Time
	qid  string
	text string // after "QID: "
}

// parseLine splits a syslog, journal (short-iso) or Postfix maillog_file
// line: TIME HOST PROGRAM[PID]: QID: TEXT. ref supplies the year for
// timestamps without one. ok is false for lines of other programs and
// lines without a queue ID.
func parseLine(line string, ref time.Time) (entry, bool) {
	t, rest, ok := parseTime(line, ref)
	if !ok {
		return entry{}, false
	}
	// HOST PROGRAM[PID]: MESSAGE
	_, rest, ok = strings.Cut(rest, " ")
	if !ok {
		return entry{}, false
	}
	prog, msg, ok := strings.Cut(rest, ": ")
	if !ok || !strings.Contains(prog, "/") || !strings.Contains(prog, "postfix") {
		return entry{}, false
	}
	qid, text, ok := strings.Cut(msg, ": ")
	if !ok || !isQueueID(qid) {
		return entry{}, false
	}
	return entry{time: t, qid: qid, text: text}, true
}

// isQueueID accepts Postfix's short queue IDs (upper-case hex) and long
// ones (enable_long_queue_ids: base 52 with a 'z' between the time and the
// inode parts), and not words such as "warning".
func isQueueID(s string) bool {
	if len(s) < 6 || len(s) > 32 {
		return false
	}
	hex, long := true, false
	for _, c := range s {
		switch {
		case '0' <= c && c <= '9' || 'A' <= c && c <= 'F':
		case 'G' <= c && c <= 'Z' || 'a' <= c && c <= 'z':
			hex = false
			long = long || c == 'z'
		default:
			return false
		}
	}
	return hex || long && len(s) >= 12
}

// parseTime reads the timestamp at the start of line: RFC 3339 (rsyslog,
// with or without fractions), journalctl -o short-iso (+0000 offset), or
// the traditional "Jan _2 15:04:05" of syslog and Postfix's own
// maillog_file, whose year is taken from ref (the previous year when the
// date would lie more than a day after ref). Times are returned in ref's
// location, so one report shows one time zone.
func parseTime(line string, ref time.Time) (time.Time, string, bool) {
	if first, rest, ok := strings.Cut(line, " "); ok && len(first) > 10 && first[4] == '-' {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700"} {
			if t, err := time.Parse(layout, first); err == nil {
				return t.In(ref.Location()), rest, true
			}
		}
		return time.Time{}, "", false
	}
	const layout = "Jan _2 15:04:05"
	if len(line) <= len(layout) {
		return time.Time{}, "", false
	}
	// "_2" takes Postfix's maillog_file "Dec 01" as well as syslog's "Dec  1".
	t, err := time.ParseInLocation(layout, line[:len(layout)], ref.Location())
	if err != nil {
		return time.Time{}, "", false
	}
	t = t.AddDate(ref.Year(), 0, 0)
	if t.After(ref.Add(24 * time.Hour)) {
		t = t.AddDate(-1, 0, 0)
	}
	return t, strings.TrimPrefix(line[len(layout):], " "), true
}

// delivery is what a "to=<...>, ..., status=X (TEXT)" line says.
type delivery struct {
	domain string
	status string // sent, deferred, bounced
	text   string
}

// parseDelivery reads a delivery agent's per-recipient line. The local
// part of the address is dropped here and never kept.
func parseDelivery(text string) (delivery, bool) {
	if !strings.HasPrefix(text, "to=<") {
		return delivery{}, false
	}
	addr, rest, ok := strings.Cut(text[len("to=<"):], ">, ")
	if !ok {
		return delivery{}, false
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || at == len(addr)-1 {
		return delivery{}, false
	}
	i := strings.Index(rest, ", status=")
	if i < 0 {
		return delivery{}, false
	}
	status, reason, _ := strings.Cut(rest[i+len(", status="):], " ")
	reason = strings.TrimSuffix(strings.TrimPrefix(reason, "("), ")")
	return delivery{domain: strings.ToLower(addr[at+1:]), status: status, text: reason}, true
}

// routeOf reads cleanup's log of a milter_header_checks FILTER action,
// "milter-header-filter: header NAME: VALUE from ...: TRANSPORT:NEXTHOP",
// and returns the transport.
func routeOf(text string) (string, bool) {
	if !strings.HasPrefix(text, "milter-header-filter: ") {
		return "", false
	}
	i := strings.LastIndex(text, ": ")
	transport, _, ok := strings.Cut(text[i+2:], ":")
	return transport, ok
}

// Read parses a Postfix log and returns the report. ref is the time the
// log was written up to (its modification time), for timestamps without a
// year.
func Read(r io.Reader, ref time.Time) (*Report, error) {
	b := newBuilder()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if e, ok := parseLine(sc.Text(), ref); ok {
			b.add(e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return b.report(), nil
}
