package postfixcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// readTable reads a regexp: or pcre: table named in a parameter.
func (c *checker) readTable(spec string) ([]Rule, error) {
	typ, path, ok := strings.Cut(spec, ":")
	if !ok || (typ != "regexp" && typ != "pcre") {
		return nil, fmt.Errorf("postfix-check reads only regexp: and pcre: tables here, not %q", spec)
	}
	b, err := os.ReadFile(filepath.Join(c.in.Root, path))
	if err != nil {
		return nil, err
	}
	rules, err := ParseRegexpTable(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}

// lookupAll returns the action of the first table in specs with a rule
// matching line.
func (c *checker) lookupAll(specs, line string) (string, error) {
	for _, spec := range splitList(specs) {
		rules, err := c.readTable(spec)
		if err != nil {
			return "", err
		}
		if a := Lookup(rules, line); a != "" {
			return a, nil
		}
	}
	return "", nil
}

func (c *checker) headerLine(value string) string { return c.in.HeaderName + ": " + value }

// routing checks that milter_header_checks sends each header value to a
// delivery transport, then checks those transports.
func (c *checker) routing() {
	v := c.value("milter_header_checks")
	where := c.where("milter_header_checks")
	fix := fmt.Sprintf("postconf -e 'milter_header_checks = regexp:%s/tlsgate_milter_header_checks' (tlsgate postfix-config writes the table)", c.configDir())
	if strings.TrimSpace(v) == "" {
		c.problem(where, fix, "is empty: nothing routes on tlsgate's %s header, so every message leaves by the default transport whatever tlsgate decided", c.in.HeaderName)
	} else {
		for _, w := range []struct {
			value string
			dst   *string
		}{{c.in.Require, &c.req}, {c.in.Opportunistic, &c.opt}} {
			c.route(v, where, fix, w.value, w.dst)
		}
	}
	c.transport(c.req, requiredTransport, "mail tlsgate marked "+c.in.Require)
	c.transport(c.opt, optionalTransport, "mail tlsgate marked "+c.in.Opportunistic)
}

// cleanupRouting checks cleanup services with their own
// milter_header_checks: cleanup(8) applies it, so an override there
// replaces main.cf's routing for the mail that cleanup service takes.
func (c *checker) cleanupRouting() {
	seen := map[*Service]bool{}
	for _, g := range c.ingresses() {
		cl := c.cleanupFor(g.svc)
		if cl == nil || seen[cl] {
			continue
		}
		seen[cl] = true
		v, where := c.param("milter_header_checks", cl)
		if !strings.HasPrefix(where, "master.cf") {
			continue
		}
		fix := fmt.Sprintf("postconf -PX '%s/milter_header_checks'", cl.Key())
		if strings.TrimSpace(v) == "" {
			c.problem(where, fix, "is empty: nothing routes on tlsgate's %s header for mail through %s, so it leaves by the default transport whatever tlsgate decided", c.in.HeaderName, cl.Key())
			continue
		}
		var ignored string
		for _, val := range []string{c.in.Require, c.in.Opportunistic} {
			c.route(v, where, fix, val, &ignored)
		}
	}
}

func (c *checker) route(specs, where, fix, value string, dst *string) {
	line := c.headerLine(value)
	action, err := c.lookupAll(specs, line)
	if err != nil {
		c.problem(where, fix, "cannot be read (%v), so postfix-check cannot confirm that %q is routed", err, line)
		return
	}
	verb, arg, _ := strings.Cut(action, " ")
	if !strings.EqualFold(verb, "FILTER") {
		what := "no rule matches it"
		if action != "" {
			what = fmt.Sprintf("the matching rule says %q", action)
		}
		c.problem(where, fix, "does not route %q: %s, so such mail leaves by the default transport", line, what)
		return
	}
	*dst, _, _ = strings.Cut(strings.TrimSpace(arg), ":")
	c.ok(where, "routes %q to %s", line, strings.TrimSpace(arg))
}

// transport checks a delivery transport and its -o settings.
func (c *checker) transport(name string, rows []setting, what string) {
	s := c.service(name, "unix")
	if s == nil {
		c.problem("master.cf "+name+"/unix", c.addTransportFix(name, rows),
			"is missing: %s stays deferred (\"mail transport unavailable\")", what)
		return
	}
	if s.Program() != "smtp" {
		c.problem("master.cf "+s.Key(), "", "runs %q, not smtp", s.Command)
		return
	}
	good := true
	for _, r := range rows {
		v, where := c.param(r.Name, s)
		if r.Name == "smtp_tls_security_level" {
			v = c.tlsLevel(s)
		}
		if why := r.Bad(c, v); why != "" {
			good = false
			c.add(r.Level, where, fmt.Sprintf("postconf -P '%s/%s=%s'", s.Key(), r.Name, c.want(r)), "%s (%s)", why, what)
		}
	}
	if good {
		var set []string
		for _, r := range rows {
			v, _ := c.param(r.Name, s)
			set = append(set, r.Name+"="+v)
		}
		c.ok("master.cf "+s.Key(), "delivers %s with %s", what, strings.Join(set, " "))
	}
}

// addTransportFix is the postconf commands that create a transport.
func (c *checker) addTransportFix(name string, rows []setting) string {
	cmds := []string{fmt.Sprintf("postconf -M '%s/unix=%s unix - - n - - smtp'", name, name)}
	for _, r := range rows {
		cmds = append(cmds, fmt.Sprintf("postconf -P '%s/unix/%s=%s'", name, r.Name, c.want(r)))
	}
	return strings.Join(cmds, "; ")
}

// badStrip checks that smtp_header_checks removes the routing header.
func (c *checker) badStrip(v string) string {
	if strings.TrimSpace(v) == "" {
		return "is empty: the " + c.in.HeaderName + " header is sent on to the receiver"
	}
	for _, val := range []string{c.in.Require, c.in.Opportunistic} {
		line := c.headerLine(val)
		action, err := c.lookupAll(v, line)
		if err != nil {
			return fmt.Sprintf("cannot be read (%v)", err)
		}
		if verb, _, _ := strings.Cut(action, " "); !strings.EqualFold(verb, "IGNORE") {
			return fmt.Sprintf("does not remove %q (IGNORE): the receiver sees the routing header", line)
		}
	}
	return ""
}

// fenceServices are the transports mail takes when no FILTER routes it:
// smtp, relay, whatever default_transport / relay_transport name, and the
// transports named in transport_maps and
// sender_dependent_default_transport_maps (see mappedTransports).
func (c *checker) fenceServices() []*Service {
	var out []*Service
	seen := map[string]bool{}
	names := append([]string{"smtp", "relay", c.value("default_transport"), c.value("relay_transport")}, c.mapped...)
	for _, name := range names {
		name, _, _ = strings.Cut(strings.TrimSpace(name), ":")
		if s := c.service(name, "unix"); s != nil && s.Program() == "smtp" && !seen[name] {
			seen[name] = true
			out = append(out, s)
		}
	}
	return out
}

// fences checks that no -o override lowers TLS on the default transports,
// which carry mail that never passed tlsgate.
func (c *checker) fences() {
	var good []string
	for _, s := range c.fenceServices() {
		ok := true
		if _, where := c.param("smtp_tls_security_level", s); strings.HasPrefix(where, "master.cf") {
			if why := badFence(c, c.tlsLevel(s)); why != "" {
				ok = false
				fix := fmt.Sprintf("postconf -PX '%s/smtp_tls_security_level'", s.Key())
				if s.Name == c.opt {
					fix = "name an encrypting transport (smtp:) in transport_maps: " + c.opt + " is for mail tlsgate marked " + c.in.Opportunistic + " only"
				}
				c.problem(where, fix,
					"%s on %s, a transport for mail that never passed tlsgate (for instance released from hold)", why, s.Key())
			}
		}
		if v, where := c.param("smtp_tls_mandatory_protocols", s); strings.HasPrefix(where, "master.cf") {
			if why := badProtocols(c, v); why != "" {
				ok = false
				c.problem(where, fmt.Sprintf("postconf -PX '%s/smtp_tls_mandatory_protocols'", s.Key()), "%s", why)
			}
		}
		if ok && tlsLevelEnforces(c.tlsLevel(s)) {
			good = append(good, s.Key())
		}
	}
	if len(good) > 0 {
		c.ok("master.cf "+strings.Join(good, ", "), "deliver with smtp_tls_security_level=%s: mail that never passed tlsgate needs TLS too", c.tlsLevel(c.service(strings.Split(good[0], "/")[0], "unix")))
	}
}

// duplicates reports master.cf services defined more than once.
func (c *checker) duplicates() {
	n := map[string]int{}
	var order []string
	for _, s := range c.in.Master {
		if n[s.Key()] == 0 {
			order = append(order, s.Key())
		}
		n[s.Key()]++
	}
	for _, k := range order {
		if n[k] > 1 {
			c.problem("master.cf "+k, "delete all but one of them",
				"is defined %d times: master(8) uses only the last one, while a reader (or postconf -P) may look at another, so the settings that count are not the ones you see", n[k])
		}
	}
}

// transportMapParams name tables whose results are transports for mail
// that no FILTER routes.
var transportMapParams = []string{"transport_maps", "sender_dependent_default_transport_maps"}

// mappedTransports reads the transports that transport_maps and
// sender_dependent_default_transport_maps send mail to, so that fences and
// policyMaps check them as the default transports. A FILTER from tlsgate
// overrides them, but mail that never passed tlsgate takes them.
func (c *checker) mappedTransports() {
	for _, param := range transportMapParams {
		spec := c.value(param)
		for _, m := range splitList(spec) {
			entries, err := c.mapEntries(c.where(param), m)
			if err != nil {
				c.warn(c.where(param), "cannot read %s (%v): a transport named there could lower TLS for mail that never passed tlsgate; check it by hand", m, err)
				continue
			}
			for _, e := range entries {
				if t, _, _ := strings.Cut(strings.TrimSpace(e.policy), ":"); t != "" {
					c.mapped = append(c.mapped, t)
				}
			}
		}
	}
}
