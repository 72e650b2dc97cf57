package postfixcheck

import (
	"net"
	"sort"
	"strings"
)

// ingress is a master.cf service through which new mail enters the queue.
type ingress struct {
	svc *Service
	// what says which mail it receives; generic says the same for a
	// main.cf setting shared by every service of the kind.
	what, generic string
	// param is the milter list it uses; from lists the services whose -o
	// overrides apply to it (smtpd reads smtpd_milters itself; cleanup
	// applies non_smtpd_milters for pickup and qmqpd).
	param string
	from  []*Service
	// chroot: the daemon that connects to the milter runs chrooted.
	chroot bool
}

// ingresses lists every service that puts new mail into the queue.
func (c *checker) ingresses() []ingress {
	var out []ingress
	for i := range c.in.Master {
		s := &c.in.Master[i]
		switch s.Program() {
		case "smtpd":
			out = append(out, ingress{svc: s, what: smtpdWhat(s), generic: "mail received over SMTP",
				param: "smtpd_milters", from: []*Service{s}, chroot: c.chrooted(s)})
		case "pickup", "qmqpd":
			cl := c.cleanupFor(s)
			what := "mail submitted with sendmail(1) (pickup)"
			if s.Program() == "qmqpd" {
				what = "mail received over QMQP (" + s.Key() + ")"
			}
			out = append(out, ingress{svc: s, what: what, generic: "mail not received over SMTP",
				param: "non_smtpd_milters", from: []*Service{cl}, chroot: c.chrooted(cl)})
		}
	}
	return out
}

// cleanupFor returns the cleanup service a receiving service hands mail to.
func (c *checker) cleanupFor(s *Service) *Service {
	name, _ := c.param("cleanup_service_name", s)
	return c.service(name, "unix")
}

func smtpdWhat(s *Service) string {
	port := map[string]string{"smtp": "port 25", "submission": "port 587", "smtps": "port 465",
		"submissions": "port 465", "465": "port 465", "587": "port 587", "25": "port 25"}
	switch {
	case s.Type == "pass":
		return "mail received over SMTP (" + s.Key() + ", handed over by postscreen)"
	case s.Type == "inet":
		name := s.Name
		if i := strings.LastIndex(name, ":"); i >= 0 {
			name = name[i+1:]
		}
		if p, ok := port[name]; ok {
			return "mail received on " + p + " (" + s.Key() + ")"
		}
	}
	return "mail received by " + s.Key()
}

// ingress checks that every receiving service passes new mail to tlsgate
// first, or to a content filter whose output tlsgate decides on.
func (c *checker) ingress() {
	gs := c.ingresses()
	if len(gs) == 0 {
		c.warn("master.cf", "has no smtpd, pickup or qmqpd service: postfix-check cannot see how mail enters the queue")
	}
	for _, g := range gs {
		c.checkIngress(g)
	}
}

func (c *checker) checkIngress(g ingress) {
	cf, _ := c.param("content_filter", g.svc)
	rro, rroWhere := c.param("receive_override_options", g.svc)
	list, listWhere := c.param(g.param, g.from...)
	what := g.what
	if !strings.HasPrefix(listWhere, "master.cf") {
		what = g.generic
	}
	ms := parseMilters(list)
	idx, at, miss := c.tlsgateIndex(ms, g.chroot)
	noMilters := hasWord(rro, "no_milters")
	if strings.TrimSpace(cf) != "" {
		c.filtered = append(c.filtered, g.svc.Key())
		if !hasWord(strings.Join(c.filterSpecs, " "), cf) {
			c.filterSpecs = append(c.filterSpecs, cf)
		}
		if idx >= 0 && !noMilters {
			if what == g.what {
				what += " (" + g.svc.Key() + ")"
			}
			c.problem(listWhere, setFix(listWhere, withoutTlsgate(ms, idx))+", and add tlsgate to the re-injection smtpd after the filter (README: \"A relay with a content filter\")",
				"names tlsgate, but %s goes to the content filter %s first: tlsgate's FILTER action replaces content_filter, so that mail silently skips the filter", what, cf)
			return
		}
		c.ok("master.cf "+g.svc.Key(), "%s goes to the content filter %s; tlsgate decides when it comes back", g.what, cf)
		return
	}
	if noMilters {
		where := g.svc.Key()
		if !strings.HasPrefix(rroWhere, "master.cf") {
			where = "every service that does not override it"
		}
		c.problem(rroWhere, setFix(rroWhere, withoutWord(rro, "no_milters")),
			"contains no_milters: mail received by %s skips every milter and leaves without tlsgate's decision", where)
		return
	}
	if idx < 0 {
		c.missingTlsgate(g, ms, list, listWhere, what, miss)
		return
	}
	if g.param == "smtpd_milters" {
		c.milterMaps(g)
	}
	c.tlsgateAt = append(c.tlsgateAt, at)
	good := true
	if idx > 0 {
		good = false
		var before []string
		for _, m := range ms[:idx] {
			before = append(before, describeMilter(m.Addr))
		}
		c.problem(listWhere, setFix(listWhere, withTlsgateFirst(ms, idx, ms[idx].Addr)),
			"%s comes before tlsgate for %s: each milter sees the message as the earlier ones left it, so a DKIM signature made before tlsgate removes the [unsecure] tag from the Subject no longer verifies (receivers with DMARC p=reject drop the mail); tlsgate must be first",
			strings.Join(before, ", "), what)
	}
	if !c.checkAction(g, ms[idx], listWhere) {
		good = false
	}
	if good {
		c.ok("master.cf "+g.svc.Key(), "%s passes through tlsgate (%s) first", g.what, ms[idx].Addr)
	}
}

// missingTlsgate reports a receiving service whose milters do not reach
// tlsgate.
func (c *checker) missingTlsgate(g ingress, ms []milterEntry, list, listWhere, what, miss string) {
	name := c.postfixName(g.chroot)
	if miss != "" || name == "" {
		daemon := g.svc.Key()
		if g.param == "non_smtpd_milters" && len(g.from) > 0 && g.from[0] != nil {
			daemon = g.from[0].Key()
		}
		shown := miss
		if shown == "" {
			shown = c.in.Listen
		}
		c.problem("master.cf "+daemon, "put tlsgate's socket inside the queue directory: listen = \"unix:"+strings.TrimSuffix(c.queueDir(), "/")+"/tlsgate/tlsgate.sock\" and "+g.param+" = unix:/tlsgate/tlsgate.sock (or use inet:127.0.0.1:8898)",
			"runs chrooted in %s, where tlsgate's socket %s does not exist: %s gets \"451 4.7.1\" (or skips tlsgate, with milter_default_action accept)",
			c.queueDir(), shown, what)
		return
	}
	if strings.TrimSpace(list) == "" {
		c.problem(listWhere, setFix(listWhere, name),
			"is empty: %s leaves without tlsgate's decision", what)
		return
	}
	c.problem(listWhere, setFix(listWhere, withTlsgateFirst(ms, -1, name)),
		"is %q, which does not reach tlsgate at %s: %s leaves without tlsgate's decision", list, name, what)
}

// checkAction checks what Postfix does with mail when tlsgate does not
// answer: milter_default_action for the service, or tlsgate's own
// default_action in the milter list.
func (c *checker) checkAction(g ingress, m milterEntry, listWhere string) bool {
	act, where := c.param("milter_default_action", g.from...)
	if v, ok := m.Opts["default_action"]; ok {
		act, where = v, listWhere+" (tlsgate's default_action)"
	} else if !strings.HasPrefix(where, "master.cf") {
		return true // main.cf's value is checked once, by mainSettings
	}
	if why := badAction(act); why != "" {
		c.problem(where, setFix(strings.TrimSuffix(where, " (tlsgate's default_action)"), "tempfail"), "%s", why)
		return false
	}
	return true
}

// badAction says what a milter_default_action value does wrong, or "".
func badAction(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "tempfail", "reject", "shutdown":
		return ""
	case "accept":
		return "is accept: when tlsgate is down or slow, mail is accepted without a routing header and leaves by the default transport; use tempfail so clients retry"
	case "quarantine":
		return "is quarantine: when tlsgate is down, mail is held without a routing header, and \"postsuper -H\" releases it without a TLS decision; use tempfail"
	}
	return "is \"" + v + "\", which Postfix does not know; use tempfail"
}

// contentFilterReturn checks that mail handed to a content filter comes
// back through a service that passes it to tlsgate.
func (c *checker) contentFilterReturn() {
	if len(c.filtered) == 0 {
		return
	}
	for _, s := range c.lockedFilterHops() {
		c.warn("master.cf "+s.Key(), "delivers to the content filter on loopback with smtp_tls_security_level=%s: unless the filter offers STARTTLS, mail waits in the queue; this hop may go without TLS: postconf -P '%s/smtp_tls_security_level=none'", c.tlsLevel(s), s.Key())
	}
	if len(c.tlsgateAt) == 0 {
		c.problem("master.cf", "name tlsgate on the smtpd that receives the filtered mail back (the one with -o content_filter=), e.g. 127.0.0.1:10025 inet n - n - - smtpd -o content_filter= -o smtpd_milters="+c.postfixName(false)+" (README: \"A relay with a content filter\")",
			"%s hand mail to a content filter, but no service that receives it back passes it to tlsgate: filtered mail leaves without tlsgate's decision", strings.Join(c.filtered, ", "))
	}
}

func hasWord(list, word string) bool {
	for _, w := range splitList(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

func withoutWord(list, word string) string {
	var out []string
	for _, w := range splitList(list) {
		if !strings.EqualFold(w, word) {
			out = append(out, w)
		}
	}
	return strings.Join(out, ",")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// milterMaps checks smtpd_milter_maps (Postfix 3.2 and later): a lookup
// result replaces smtpd_milters for the clients it matches, and DISABLE
// (or an empty result) turns every milter off for them.
func (c *checker) milterMaps(g ingress) {
	spec, where := c.param("smtpd_milter_maps", g.from...)
	if strings.TrimSpace(spec) == "" {
		return
	}
	bad := 0
	for _, m := range splitList(spec) {
		entries, err := c.mapEntries(where, m)
		if err != nil {
			bad++
			c.warn(where, "cannot read %s (%v): an entry there could turn tlsgate off for some clients unseen; check it by hand", m, err)
			continue
		}
		for _, e := range entries {
			ms := parseMilters(e.policy)
			if strings.EqualFold(strings.TrimSpace(e.policy), "DISABLE") || len(ms) == 0 {
				bad++
				c.problem(where, "delete the entry from "+sourceName(m)+" (then postmap it), or give it a milter list with tlsgate first",
					"%s: the entry %q turns every milter off for those clients, so their mail leaves without tlsgate's decision", m, e.dest+" "+e.policy)
				continue
			}
			if idx, _, _ := c.tlsgateIndex(ms, g.chroot); idx != 0 {
				bad++
				c.problem(where, "put tlsgate first in the entry in "+sourceName(m)+", then postmap it",
					"%s: the entry %q replaces smtpd_milters for those clients without tlsgate first", m, e.dest+" "+e.policy)
			}
		}
	}
	if bad == 0 {
		c.ok(where, "every entry keeps tlsgate first")
	}
}

// lockedFilterHops returns the smtp transports that hand mail to a content
// filter on loopback while requiring TLS (the global encrypt applies to
// them unless they override it): the filter rarely offers STARTTLS.
func (c *checker) lockedFilterHops() []*Service {
	var out []*Service
	for _, spec := range c.filterSpecs {
		name, hop, _ := strings.Cut(spec, ":")
		s := c.service(name, "unix")
		if s == nil || s.Program() != "smtp" || !loopbackHop(hop) || !tlsLevelEnforces(c.tlsLevel(s)) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// loopbackHop reports whether a next hop such as "[127.0.0.1]:10024" is on
// this machine.
func loopbackHop(hop string) bool {
	host := hop
	if strings.HasPrefix(host, "[") {
		if i := strings.Index(host, "]"); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.LastIndex(host, ":"); i >= 0 {
		host = host[:i]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
