package postfixcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Input is what Check looks at.
type Input struct {
	// Main holds the main.cf settings that differ from Postfix's defaults
	// (postconf -n).
	Main map[string]string
	// Master holds the master.cf services (postconf -M).
	Master []Service
	// Version is the Postfix release (postconf -h mail_version); zero when
	// unknown.
	Version Version
	// Milter is tlsgate's socket in Postfix notation, as smtpd_milters must
	// name it (see MilterAddress).
	Milter string
	// Header is the routing header's name and its two values.
	HeaderName, Require, Opportunistic string
	// Root is prepended to the paths of lookup tables before they are read
	// (tests); empty for the real system.
	Root string
}

// Finding is one thing Check has to say. A Problem breaks a guarantee; a
// note does not, but the administrator should know.
type Finding struct {
	Problem bool
	// Setting is the main.cf parameter or master.cf service concerned.
	Setting string
	// Text says, in plain words, what is wrong and what it means for mail.
	Text string
	// Fix is the command or line that repairs it, when there is one.
	Fix string
}

func (f Finding) String() string {
	kind := "note"
	if f.Problem {
		kind = "PROBLEM"
	}
	s := fmt.Sprintf("%s: %s: %s", kind, f.Setting, f.Text)
	if f.Fix != "" {
		s += "\n    fix: " + f.Fix
	}
	return s
}

// Standard transport names of the recipe.
const (
	RequiredTransport = "smtp-tls-required"
	OptionalTransport = "smtp-tls-optional"
)

type checker struct {
	in       Input
	findings []Finding
}

func (c *checker) problem(setting, fix, format string, a ...any) {
	c.findings = append(c.findings, Finding{true, setting, fmt.Sprintf(format, a...), fix})
}

func (c *checker) note(setting, format string, a ...any) {
	c.findings = append(c.findings, Finding{false, setting, fmt.Sprintf(format, a...), ""})
}

// value returns a main.cf parameter with $name references expanded, and
// whether it was set.
func (c *checker) value(name string) (string, bool) {
	v, ok := c.in.Main[name]
	if !ok {
		return "", false
	}
	return c.expand(v, 0), true
}

func (c *checker) expand(v string, depth int) string {
	if depth > 10 || !strings.Contains(v, "$") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '$' || i+1 == len(v) {
			b.WriteByte(v[i])
			continue
		}
		j := i + 1
		var name string
		if v[j] == '{' || v[j] == '(' {
			close := byte('}')
			if v[j] == '(' {
				close = ')'
			}
			k := strings.IndexByte(v[j:], close)
			if k < 0 {
				b.WriteString(v[i:])
				break
			}
			name = v[j+1 : j+k]
			i = j + k
		} else {
			k := j
			for k < len(v) && (v[k] == '_' || v[k] >= 'a' && v[k] <= 'z' || v[k] >= '0' && v[k] <= '9') {
				k++
			}
			name = v[j:k]
			i = k - 1
		}
		if sub, ok := c.in.Main[name]; ok {
			b.WriteString(c.expand(sub, depth+1))
		}
	}
	return b.String()
}

// Check reports every setting that breaks tlsgate's guarantees. The
// configuration is sound when no finding is a Problem.
func Check(in Input) []Finding {
	c := &checker{in: in}
	c.milters("smtpd_milters", "mail received over SMTP")
	c.milters("non_smtpd_milters", "mail submitted with sendmail(1)")
	c.defaultAction()
	reqT, optT := c.headerChecks()
	c.globalTLS()
	c.tlsRequired()
	c.transport(reqT, true)
	c.transport(optT, false)
	if v, _ := c.value("message_reject_characters"); !strings.Contains(v, `\0`) {
		c.note("message_reject_characters", `does not reject NUL bytes: Postfix cuts header values at a NUL when passing them to milters, so tlsgate could see less than the receiver (set message_reject_characters = \0)`)
	}
	return c.findings
}

// Problems counts the findings that break a guarantee.
func Problems(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Problem {
			n++
		}
	}
	return n
}

// splitList splits a Postfix list on commas and white space, keeping
// "{ ... }" groups whole.
func splitList(v string) []string {
	var out []string
	for _, f := range splitMasterFields(strings.ReplaceAll(v, ",", " ")) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (c *checker) milters(param, what string) {
	v, set := c.value(param)
	fix := fmt.Sprintf("postconf -e '%s = %s'", param, c.in.Milter)
	if param == "non_smtpd_milters" {
		fix = "postconf -e 'non_smtpd_milters = $smtpd_milters'"
	}
	if !set || strings.TrimSpace(v) == "" {
		c.problem(param, fix, "is empty: %s does not pass through tlsgate, so it leaves without a routing decision", what)
		return
	}
	for _, m := range splitList(v) {
		addr := m
		opts := ""
		if strings.HasPrefix(m, "{") {
			inner := strings.TrimSpace(strings.Trim(m, "{}"))
			addr, opts, _ = strings.Cut(inner, ",")
			addr = strings.TrimSpace(addr)
			// "{ inet:host:port default_action=... }" (space separated) too.
			if a, rest, ok := strings.Cut(addr, " "); ok {
				addr, opts = a, rest+","+opts
			}
		}
		if !sameMilter(addr, c.in.Milter) {
			continue
		}
		for _, o := range strings.FieldsFunc(opts, func(r rune) bool { return r == ',' || r == ' ' }) {
			k, val, _ := strings.Cut(o, "=")
			if strings.TrimSpace(k) == "default_action" {
				c.action(param+" (tlsgate's default_action)", strings.TrimSpace(val))
			}
		}
		return
	}
	c.problem(param, fix, "does not name tlsgate's socket %s (it is %q): %s does not pass through tlsgate, so it leaves without a routing decision", c.in.Milter, v, what)
}

func sameMilter(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.Replace(s, "localhost:", "127.0.0.1:", 1)
		return s
	}
	return norm(a) == norm(b)
}

func (c *checker) defaultAction() {
	v, set := c.value("milter_default_action")
	if !set {
		if c.in.Version.Known() && c.in.Version.AtLeast(3, 11) {
			v = "shutdown"
		} else {
			v = "tempfail"
		}
		if !c.in.Version.Known() {
			c.note("milter_default_action", "not set; Postfix before 3.11 defaults to tempfail (safe), 3.11 to shutdown; set it to tempfail to be sure")
			return
		}
	}
	c.action("milter_default_action", v)
}

func (c *checker) action(setting, v string) {
	fix := "postconf -e 'milter_default_action = tempfail'"
	switch strings.ToLower(v) {
	case "tempfail", "reject":
	case "shutdown":
		c.note(setting, "is shutdown: when tlsgate is down Postfix drops the SMTP connection, so clients retry (safe), but tempfail gives them a clear 451 4.7.1")
	case "accept":
		c.problem(setting, fix, "is accept: when tlsgate is down or slow, mail is accepted without a routing header and leaves by the default transport; use tempfail so clients retry")
	case "quarantine":
		c.problem(setting, fix, "is quarantine: when tlsgate is down, mail is held without a routing header, and \"postsuper -H\" releases it without TLS being decided; use tempfail")
	default:
		c.problem(setting, fix, "is %q, which Postfix does not know; use tempfail", v)
	}
}

// readTable reads a regexp: or pcre: table named in a parameter.
func (c *checker) readTable(setting, spec string) ([]Rule, bool) {
	typ, path, ok := strings.Cut(spec, ":")
	if !ok || (typ != "regexp" && typ != "pcre") {
		c.problem(setting, "", "uses %q; postfix-check reads only regexp: and pcre: tables, so it cannot confirm the rules (the recipe uses regexp:)", spec)
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(c.in.Root, path))
	if err != nil {
		c.problem(setting, "", "cannot read the table %s: %v", path, err)
		return nil, false
	}
	rules, err := ParseRegexpTable(string(b))
	if err != nil {
		c.problem(setting, "", "the table %s: %v", path, err)
		return nil, false
	}
	return rules, true
}

func (c *checker) headerLine(value string) string { return c.in.HeaderName + ": " + value }

// headerChecks checks that milter_header_checks routes both header values to
// a transport, and returns the two transports.
func (c *checker) headerChecks() (req, opt string) {
	req, opt = RequiredTransport, OptionalTransport
	v, set := c.value("milter_header_checks")
	fix := "postconf -e 'milter_header_checks = regexp:/etc/postfix/tlsgate_milter_header_checks' (table: see tlsgate postfix-config)"
	if !set || strings.TrimSpace(v) == "" {
		c.problem("milter_header_checks", fix, "is empty: nothing routes on tlsgate's %s header, so every message leaves by the default transport whatever tlsgate decided", c.in.HeaderName)
		return
	}
	var tables [][]Rule
	for _, spec := range splitList(v) {
		if rules, ok := c.readTable("milter_header_checks", spec); ok {
			tables = append(tables, rules)
		} else {
			return
		}
	}
	lookup := func(line string) string {
		for _, t := range tables {
			if a := Lookup(t, line); a != "" {
				return a
			}
		}
		return ""
	}
	for _, w := range []struct {
		value, want string
		dst         *string
	}{{c.in.Require, RequiredTransport, &req}, {c.in.Opportunistic, OptionalTransport, &opt}} {
		line := c.headerLine(w.value)
		action := lookup(line)
		verb, arg, _ := strings.Cut(action, " ")
		if !strings.EqualFold(verb, "FILTER") {
			what := "no rule matches it"
			if action != "" {
				what = fmt.Sprintf("the matching rule says %q", action)
			}
			c.problem("milter_header_checks", fix, "does not route %q: %s, so such mail leaves by the default transport; expected \"FILTER %s:\"", line, what, w.want)
			continue
		}
		t, _, _ := strings.Cut(strings.TrimSpace(arg), ":")
		*w.dst = t
	}
	return
}

// tlsLevelEnforces reports whether an smtp_tls_security_level makes TLS
// mandatory.
func tlsLevelEnforces(v string) bool {
	switch strings.ToLower(v) {
	case "encrypt", "dane-only", "fingerprint", "verify", "secure":
		return true
	}
	return false
}

var protocols = []string{"sslv2", "sslv3", "tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"}

// weakProtocols returns the protocols below TLS 1.2 that an
// smtp_tls_mandatory_protocols value allows.
func weakProtocols(v string) []string {
	idx := func(p string) int {
		for i, q := range protocols {
			if q == strings.ToLower(p) {
				return i
			}
		}
		return -1
	}
	allowed := make([]bool, len(protocols))
	for i := range allowed {
		allowed[i] = true
	}
	var include []int
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ':' || r == '\t' }) {
		switch {
		case strings.HasPrefix(tok, ">="):
			if i := idx(tok[2:]); i >= 0 {
				for j := 0; j < i; j++ {
					allowed[j] = false
				}
			}
		case strings.HasPrefix(tok, "<="):
			if i := idx(tok[2:]); i >= 0 {
				for j := i + 1; j < len(protocols); j++ {
					allowed[j] = false
				}
			}
		case strings.HasPrefix(tok, "!"):
			if i := idx(tok[1:]); i >= 0 {
				allowed[i] = false
			}
		default:
			if i := idx(tok); i >= 0 {
				include = append(include, i)
			}
		}
	}
	if len(include) > 0 {
		in := make([]bool, len(protocols))
		for _, i := range include {
			in[i] = true
		}
		for i := range allowed {
			allowed[i] = allowed[i] && in[i]
		}
	}
	var weak []string
	names := []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"}
	for i := 0; i < 4; i++ {
		if allowed[i] {
			weak = append(weak, names[i])
		}
	}
	return weak
}

// Postfix's default smtp_tls_mandatory_protocols (3.6 and later) allows
// TLS 1.0.
const defaultMandatoryProtocols = ">=TLSv1"

func (c *checker) globalTLS() {
	v, _ := c.value("smtp_tls_security_level")
	if !tlsLevelEnforces(v) {
		shown := v
		if shown == "" {
			shown = "not set (none)"
		}
		c.problem("smtp_tls_security_level", "postconf -e 'smtp_tls_security_level = encrypt'",
			"is %s, not encrypt: mail that did not pass through tlsgate (requeued with postsuper -r, released from hold) can leave without TLS", shown)
	}
	p, set := c.value("smtp_tls_mandatory_protocols")
	if !set {
		p = defaultMandatoryProtocols
	}
	if weak := weakProtocols(p); len(weak) > 0 {
		c.problem("smtp_tls_mandatory_protocols", "postconf -e 'smtp_tls_mandatory_protocols = >=TLSv1.2'",
			"is %q, which allows %s where TLS is required; a receiver could negotiate a broken protocol", p, strings.Join(weak, ", "))
	}
}

func (c *checker) tlsRequired() {
	v, set := c.value("tls_required_enable")
	fix := "postconf -e 'tls_required_enable = no'"
	switch {
	case set && strings.EqualFold(v, "no"):
	case c.in.Version.Known() && !c.in.Version.AtLeast(3, 10):
		// The parameter does not exist before 3.10.
	case set || c.in.Version.Known():
		c.problem("tls_required_enable", fix, "is yes (Postfix %s): a sender's \"TLS-Required: no\" header turns TLS enforcement off before tlsgate sees the message", c.in.Version)
	default:
		c.note("tls_required_enable", "not set, and the Postfix version is unknown: on Postfix 3.10 and later it defaults to yes, which lets a sender's \"TLS-Required: no\" header turn TLS off; set it to no")
	}
}

func (c *checker) findService(name string) *Service {
	for i := range c.in.Master {
		if c.in.Master[i].Name == name && c.in.Master[i].Type == "unix" {
			return &c.in.Master[i]
		}
	}
	return nil
}

// transport checks one of the two delivery transports in master.cf.
func (c *checker) transport(name string, required bool) {
	setting := "master.cf " + name
	s := c.findService(name)
	if s == nil {
		c.problem(setting, "append the master.cf lines printed by tlsgate postfix-config, then postfix reload",
			"is missing: messages routed to it by milter_header_checks stay deferred (\"mail transport unavailable\")")
		return
	}
	if s.Command != "smtp" {
		c.problem(setting, "", "runs %q, not smtp", s.Command)
	}
	opt := func(k string) (string, bool) {
		if v, ok := s.Options[k]; ok {
			return c.expand(v, 0), true
		}
		return c.value(k)
	}
	if required {
		lvl, _ := opt("smtp_tls_security_level")
		if !tlsLevelEnforces(lvl) {
			c.problem(setting, "-o smtp_tls_security_level=encrypt",
				"delivers with smtp_tls_security_level=%s, not encrypt: messages tlsgate marked %q can leave without TLS", orNone(lvl), c.in.Require)
		}
		p, set := opt("smtp_tls_mandatory_protocols")
		if !set {
			p = defaultMandatoryProtocols
		}
		if weak := weakProtocols(p); len(weak) > 0 {
			c.problem(setting, "-o smtp_tls_mandatory_protocols=>=TLSv1.2",
				"has smtp_tls_mandatory_protocols %q, which allows %s", p, strings.Join(weak, ", "))
		}
	}
	hc, _ := opt("smtp_header_checks")
	fix := "-o smtp_header_checks=regexp:/etc/postfix/tlsgate_strip"
	if strings.TrimSpace(hc) == "" {
		c.problem(setting, fix, "has no smtp_header_checks: the %s header is sent on to the receiver", c.in.HeaderName)
		return
	}
	var tables [][]Rule
	for _, spec := range splitList(hc) {
		rules, ok := c.readTable(setting+" smtp_header_checks", spec)
		if !ok {
			return
		}
		tables = append(tables, rules)
	}
	for _, v := range []string{c.in.Require, c.in.Opportunistic} {
		line := c.headerLine(v)
		action := ""
		for _, t := range tables {
			if action = Lookup(t, line); action != "" {
				break
			}
		}
		if !strings.EqualFold(strings.Fields(action + " x")[0], "IGNORE") {
			c.problem(setting, fix, "its smtp_header_checks do not remove %q (IGNORE): the receiver sees the routing header", line)
			return
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// MilterAddress turns tlsgate's listen setting into the address Postfix's
// smtpd_milters must name. A unix socket inside the Postfix queue directory
// is named relative to it, as chrooted smtpd sees it.
func MilterAddress(listen, queueDir string) string {
	if queueDir == "" {
		queueDir = "/var/spool/postfix"
	}
	kind, rest, _ := strings.Cut(listen, ":")
	switch kind {
	case "unix", "local":
		q := strings.TrimSuffix(queueDir, "/") + "/"
		if strings.HasPrefix(rest, q) {
			return "unix:/" + strings.TrimPrefix(rest, q)
		}
		return "unix:" + rest
	case "inet":
		host, port, _ := strings.Cut(rest, ":")
		if i := strings.LastIndex(rest, ":"); i >= 0 {
			host, port = rest[:i], rest[i+1:]
		}
		switch host {
		case "", "0.0.0.0", "*":
			host = "127.0.0.1"
		case "::", "[::]":
			host = "[::1]"
		}
		return "inet:" + host + ":" + port
	}
	return listen
}
