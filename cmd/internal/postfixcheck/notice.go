package postfixcheck

import (
	"fmt"
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

// noticeItem is one notice setting as found, with what fixes it.
type noticeItem struct {
	where, good, fix string
	f                noticeFinding
	// ours says whether postfix-config may set tlsgate's value: the
	// setting is missing or broken and the package's file is installed.
	ours bool
	set  func(p *planner)
}

// noticeItems looks at the three notice settings; c.req must be known
// (routing runs first).
func (c *checker) noticeItems() []noticeItem {
	installed := func(path string) bool {
		_, err := os.Stat(filepath.Join(c.in.Root, path))
		return err == nil
	}
	var items []noticeItem
	v := c.value("delay_warning_time")
	f, bad := badDelayWarning(v)
	items = append(items, noticeItem{where: c.where("delay_warning_time"), f: f, ours: bad,
		good: v + ": senders hear about mail that waits, and why (for lack of TLS: what to do)",
		fix:  "postconf -e 'delay_warning_time = " + NoticeDelay + "'",
		set:  func(p *planner) { p.setMain("delay_warning_time", NoticeDelay, "tell senders about mail that waits") }})
	v = c.value("bounce_template_file")
	f, bad = badBounceTemplate(c.in.Root, v)
	items = append(items, noticeItem{where: c.where("bounce_template_file"), f: f,
		ours: bad && (strings.TrimSpace(v) == "" || f.broken) && installed(NoticeBounceTemplate),
		good: v + ": notices in the words of that file",
		fix:  "postconf -e 'bounce_template_file = " + NoticeBounceTemplate + "'",
		set: func(p *planner) {
			p.setMain("bounce_template_file", NoticeBounceTemplate, "Danish and English notices")
		}})
	s := c.service(c.req, "unix")
	if s == nil {
		return items // routing reports the missing transport
	}
	v, where := c.param("smtp_delivery_status_filter", s)
	if strings.TrimSpace(v) == "" {
		v = c.value("default_delivery_status_filter")
	}
	f, bad = badStatusFilter(c.in.Root, v)
	_, path, _ := strings.Cut(NoticeStatusFilter, ":")
	items = append(items, noticeItem{where: where, f: f,
		ours: bad && (strings.TrimSpace(v) == "" || f.broken) && installed(path),
		good: v + ": a sender whose mail waits for lack of TLS is told what to do",
		fix:  "postconf -P '" + s.Key() + "/smtp_delivery_status_filter=" + NoticeStatusFilter + "'",
		set: func(p *planner) {
			p.setService(p.c.service(p.c.req, "unix"), "smtp_delivery_status_filter", NoticeStatusFilter, "explain TLS failures to senders")
		}})
	return items
}

// notices reports on the sender notices. Missing pieces are warnings:
// mail still leaves only with TLS. A file Postfix cannot open is a
// problem: it stops the bounce daemon or the transport.
func (c *checker) notices() {
	for _, n := range c.noticeItems() {
		switch {
		case n.f.text == "":
			c.ok(n.where, "%s", n.good)
		case n.f.broken:
			c.problem(n.where, n.fix, "%s", n.f.text)
		default:
			c.add(Warning, n.where, n.fix, "%s", n.f.text)
		}
	}
}

// notices plans tlsgate's notice settings where they are missing or broken
// and the package's files are installed (a setting naming a missing file
// would stop the bounce daemon or the transport). It runs after
// transports, so the required transport exists.
func (p *planner) notices() {
	for _, n := range p.c.noticeItems() {
		if n.ours {
			n.set(p)
		}
	}
}

// withNotices adds the sender notices to the generic recipe, printed for a
// relay where the package installs the two files.
func withNotices(r Recipe) Recipe {
	r.Main = append(r.Main, [2]string{"delay_warning_time", NoticeDelay}, [2]string{"bounce_template_file", NoticeBounceTemplate})
	line := "  -o smtp_header_checks=regexp:" + r.StripPath + "\n"
	if i := strings.Index(r.Master, line); i >= 0 { // the first transport is the required one
		i += len(line)
		r.Master = r.Master[:i] + "  -o smtp_delivery_status_filter=" + NoticeStatusFilter + "\n" + r.Master[i:]
	}
	return r
}

// noticeGuard makes the recipe script set bounce_template_file only where
// the package installed the file: a missing one stops the bounce daemon.
func noticeGuard(name, cmd string) string {
	if name != "bounce_template_file" {
		return cmd
	}
	return fmt.Sprintf("[ -r %s ] && %s    # installed by the tlsgate package", NoticeBounceTemplate, cmd)
}

// noticeFilterScript is the recipe script's line for the status filter on
// the required transport, again only where the package installed it.
func noticeFilterScript() string {
	_, path, _ := strings.Cut(NoticeStatusFilter, ":")
	return fmt.Sprintf("[ -r %s ] && postconf -P '%s/unix/smtp_delivery_status_filter=%s'\n", path, RequiredTransport, NoticeStatusFilter)
}
