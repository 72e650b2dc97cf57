package postfixcheck

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The sender notices for mail held back for lack of TLS (README, "When the
// receiver cannot do TLS"): Postfix's delay warning after
// delay_warning_time, tlsgate's bilingual bounce templates, and the status
// filter on the smtp-tls-required transport that puts tlsgate's
// explanation into a TLS failure's text. The Debian package installs both
// files as conffiles.
const (
	NoticeDelay          = "1h"
	NoticeBounceTemplate = "/etc/tlsgate/tlsgate_bounce.cf"
	NoticeStatusFilter   = "regexp:/etc/tlsgate/tlsgate_tls_status"
)

// noticeProbe is a status Postfix gives mail to a receiver without
// STARTTLS; the filter must explain it.
const noticeProbe = "4.7.4 TLS is required, but was not offered by host mx.example[192.0.2.1]"

// noticeFinding is what a notice check says: broken (Postfix stops
// delivering or notifying) or a note, and the words.
type noticeFinding struct {
	broken bool
	text   string
}

// badDelayWarning checks delay_warning_time (v as set; "" for Postfix's
// default, 0h). Without it a sender whose message waits hears nothing
// until it bounces.
func badDelayWarning(v string) (noticeFinding, bool) {
	v = strings.TrimSpace(v)
	if d := strings.TrimRight(v, "smhdwSMHDW"); v == "" || d == "" || strings.Trim(d, "0") == "" {
		return noticeFinding{false, "is " + orNone(v) + ": Postfix sends no delay notice, so a sender whose message waits because the receiver offers no TLS hears nothing until it bounces after maximal_queue_lifetime (5 days by default)"}, true
	} else if _, err := strconv.Atoi(d); err != nil {
		return noticeFinding{true, "is " + v + ": not a Postfix time value"}, true
	}
	return noticeFinding{}, false
}

// badBounceTemplate checks bounce_template_file. Empty means Postfix's
// English templates, whose delay warning says "YOU DO NOT NEED TO RESEND
// YOUR MESSAGE" above tlsgate's advice to resend with [unsecure]. A file
// the bounce daemon cannot open stops it at start (load_file: fatal), and
// with it every notice and the deferral log.
func badBounceTemplate(root, v string) (noticeFinding, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return noticeFinding{false, "is empty: senders get Postfix's English notices, whose delay warning says \"you do not need to resend your message\" above tlsgate's advice; use " + NoticeBounceTemplate}, true
	}
	if _, err := os.ReadFile(filepath.Join(root, v)); err != nil {
		return noticeFinding{true, "cannot be read (" + errText(err) + "): Postfix's bounce daemon stops at start, so no delivery status notice goes out and deferrals are not logged"}, true
	}
	return noticeFinding{}, false
}

// badStatusFilter checks the smtp-tls-required transport's
// smtp_delivery_status_filter (v as set, "" when none). Without tlsgate's
// filter the sender reads Postfix's bare "TLS is required" and nothing
// about what to do; a table the transport cannot open stops it.
func badStatusFilter(root, v string) (noticeFinding, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return noticeFinding{false, "is not set: senders read Postfix's bare \"TLS is required, but was not offered\" and not what to do ([unsecure], secure mail, tell IT); use " + NoticeStatusFilter}, true
	}
	var explained bool
	for _, spec := range splitList(v) {
		typ, path, ok := strings.Cut(spec, ":")
		if !ok {
			return noticeFinding{true, "names " + spec + ", not type:table"}, true
		}
		b, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			return noticeFinding{true, "cannot read " + path + " (" + errText(err) + "): the transport cannot start, so no mail that requires TLS leaves"}, true
		}
		if typ != "regexp" && typ != "pcre" {
			continue
		}
		rules, err := ParseRegexpTable(string(b))
		if err == nil && strings.Contains(Lookup(rules, noticeProbe), "[unsecure]") {
			explained = true
		}
	}
	if !explained {
		return noticeFinding{false, "does not explain a missing STARTTLS to the sender (no [unsecure] advice for \"" + noticeProbe + "\"); tlsgate's is " + NoticeStatusFilter}, true
	}
	return noticeFinding{}, false
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// CheckNotices reports on the sender notices, apart from Check: they do not
// decide whether mail leaves with TLS, only what its sender is told.
func CheckNotices(in Input) []Finding {
	c := &checker{in: in}
	req, _ := c.headerChecks()
	c.findings = nil // headerChecks' own findings are Check's to report
	c.notices(req)
	return c.findings
}

// notices reports on the sender notices; req is the transport tlsgate's
// require value routes to. Missing notices are notes: mail still leaves
// only with TLS. A file Postfix cannot open is a problem: it stops the
// bounce daemon or the transport.
func (c *checker) notices(req string) {
	report := func(setting, fix string, f noticeFinding) {
		if f.broken {
			c.problem(setting, fix, "%s", f.text)
		} else {
			c.note(setting, "%s (%s)", f.text, fix)
		}
	}
	v, _ := c.value("delay_warning_time")
	if f, bad := badDelayWarning(v); bad {
		report("delay_warning_time", "postconf -e 'delay_warning_time = "+NoticeDelay+"'", f)
	}
	v, _ = c.value("bounce_template_file")
	if f, bad := badBounceTemplate(c.in.Root, v); bad {
		report("bounce_template_file", "postconf -e 'bounce_template_file = "+NoticeBounceTemplate+"'", f)
	}
	if s := c.findService(req); s != nil {
		v, ok := s.Options["smtp_delivery_status_filter"]
		if !ok {
			if v, ok = c.value("smtp_delivery_status_filter"); !ok {
				v, _ = c.value("default_delivery_status_filter")
			}
		}
		if f, bad := badStatusFilter(c.in.Root, c.expand(v, 0)); bad {
			report("master.cf "+req+" smtp_delivery_status_filter",
				"postconf -P '"+req+"/unix/smtp_delivery_status_filter="+NoticeStatusFilter+"'", f)
		}
	}
}

// WithNotices adds the sender notices to a recipe: delay_warning_time, and,
// when the package's files are installed (a setting naming a missing file
// would stop the bounce daemon or the transport), the bounce templates and
// the status filter on the required transport. root is prepended to the
// paths looked at (tests).
func WithNotices(r Recipe, root string) Recipe {
	r.Main = append(r.Main, [2]string{"delay_warning_time", NoticeDelay})
	if _, err := os.Stat(filepath.Join(root, NoticeBounceTemplate)); err == nil {
		r.Main = append(r.Main, [2]string{"bounce_template_file", NoticeBounceTemplate})
	}
	_, path, _ := strings.Cut(NoticeStatusFilter, ":")
	if _, err := os.Stat(filepath.Join(root, path)); err == nil {
		line := "  -o smtp_header_checks=regexp:" + r.StripPath + "\n"
		if i := strings.Index(r.Master, line); i >= 0 { // the first transport is the required one
			i += len(line)
			r.Master = r.Master[:i] + "  -o smtp_delivery_status_filter=" + NoticeStatusFilter + "\n" + r.Master[i:]
		}
	}
	return r
}
