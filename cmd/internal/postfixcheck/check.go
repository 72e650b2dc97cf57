package postfixcheck

import (
	"fmt"
	"strings"
)

// Input is what Check looks at.
type Input struct {
	// Main holds the main.cf settings that differ from Postfix's defaults
	// (postconf -n).
	Main map[string]string
	// Defaults holds Postfix's own defaults (postconf -d) for the parameters
	// Check reads. A parameter missing here falls back to the built-in
	// defaults of Postfix 3.7, adjusted by Version.
	Defaults map[string]string
	// Master holds the master.cf services (postconf -M).
	Master []Service
	// Version is the Postfix release (postconf -d mail_version); zero when
	// unknown.
	Version Version
	// Listen is tlsgate's own listen address (its config "listen"), as
	// tlsgate sees the file system: inet:HOST:PORT or unix:/path.
	Listen string
	// HeaderName is the routing header; Require and Opportunistic its values.
	HeaderName, Require, Opportunistic string
	// Root is prepended to the paths of lookup tables before they are read
	// (tests); empty for the real system.
	Root string
	// Probe connects to a milter and negotiates options (see ProbeMilter).
	// Nil: the milter is not probed, which is a warning.
	Probe func(network, address string) error
}

// Level says how much a Finding matters.
type Level int

// The levels, from harmless to broken.
const (
	// OK is a guarantee that was checked and holds.
	OK Level = iota
	// Warning is something postfix-check could not confirm, or a setting
	// that does not break a guarantee but should be looked at.
	Warning
	// Problem breaks a guarantee: mail can reach the queue without tlsgate's
	// decision or leave with less TLS than its route asks.
	Problem
)

func (l Level) String() string {
	return [...]string{"OK", "WARNING", "PROBLEM"}[l]
}

// Finding is one thing Check has to say.
type Finding struct {
	Level Level
	// Setting names where the value came from: "main.cf smtpd_milters",
	// "master.cf submission/inet -o smtpd_milters", "master.cf smtp/unix".
	Setting string
	// Text says, in plain words, what holds or what is wrong and what it
	// means for mail.
	Text string
	// Fix is the command or line that repairs a Problem.
	Fix string
}

// String prints the finding as one line: "OK where: text",
// "WARNING where: text", "PROBLEM where: text: fix: command".
func (f Finding) String() string {
	s := f.Level.String() + " " + f.Setting + ": " + f.Text
	if f.Fix != "" {
		s += ": fix: " + f.Fix
	}
	return s
}

// Standard transport names of the recipe.
const (
	RequiredTransport = "smtp-tls-required"
	OptionalTransport = "smtp-tls-optional"
)

// checks run in this order; each reports what it verified (OK) as well as
// what is wrong. A new check is one function and one line here.
var checks = []func(*checker){
	(*checker).ingress,
	(*checker).contentFilterReturn,
	(*checker).probe,
	(*checker).mainSettings,
	(*checker).duplicates,
	(*checker).routing,
	(*checker).cleanupRouting,
	(*checker).mappedTransports,
	(*checker).fences,
	(*checker).policyMaps,
	(*checker).notices, // notice.go
}

// Check reports on every setting that decides whether mail passes through
// tlsgate and leaves with the TLS its route asks for. The configuration
// keeps tlsgate's guarantees when no finding is a Problem.
func Check(in Input) []Finding {
	c := &checker{in: in, req: RequiredTransport, opt: OptionalTransport}
	for _, check := range checks {
		check(c)
	}
	return c.findings
}

// Problems counts the findings that break a guarantee.
func Problems(fs []Finding) int { return count(fs, Problem) }

func count(fs []Finding, l Level) int {
	n := 0
	for _, f := range fs {
		if f.Level == l {
			n++
		}
	}
	return n
}

type checker struct {
	in       Input
	findings []Finding
	// req and opt are the transports milter_header_checks routes to (set
	// by routing, which runs before the transport checks).
	req, opt string
	// tlsgateAt lists the endpoints, as the host sees them, at which some
	// service reaches tlsgate.
	tlsgateAt []endpoint
	// filtered lists the services that hand mail to a content filter.
	filtered []string
	// filterSpecs are the content_filter values those services use.
	filterSpecs []string
	// mapped lists the transports named in transport_maps and
	// sender_dependent_default_transport_maps.
	mapped []string
}

// add records a finding once: the same words for a second service are said
// once.
func (c *checker) add(l Level, setting, fix, format string, a ...any) {
	f := Finding{Level: l, Setting: setting, Text: fmt.Sprintf(format, a...), Fix: fix}
	for _, g := range c.findings {
		if g == f {
			return
		}
	}
	c.findings = append(c.findings, f)
}

func (c *checker) ok(setting, format string, a ...any) { c.add(OK, setting, "", format, a...) }
func (c *checker) warn(setting, format string, a ...any) {
	c.add(Warning, setting, "", format, a...)
}
func (c *checker) problem(setting, fix, format string, a ...any) {
	c.add(Problem, setting, fix, format, a...)
}

// builtinDefaults are Postfix 3.7's defaults for the parameters Check reads,
// used when Input.Defaults lacks one (files given instead of postconf).
var builtinDefaults = map[string]string{
	"cleanup_service_name":         "cleanup",
	"default_transport":            "smtp",
	"relay_transport":              "relay",
	"milter_default_action":        "tempfail",
	"queue_directory":              "/var/spool/postfix",
	"smtp_tls_mandatory_protocols": ">=TLSv1",
	"smtp_enforce_tls":             "no",
	"smtp_use_tls":                 "no",
}

// DefaultParams are the parameters whose Postfix defaults Check needs; the
// caller asks "postconf -d" for them.
var DefaultParams = []string{"cleanup_service_name", "default_transport", "relay_transport",
	"milter_default_action", "queue_directory", "smtp_tls_mandatory_protocols",
	"smtp_enforce_tls", "smtp_use_tls", "tls_required_enable"}

func (c *checker) defaultValue(name string) (string, bool) {
	if v, ok := c.in.Defaults[name]; ok {
		return v, true
	}
	switch {
	case name == "milter_default_action" && c.in.Version.AtLeast(3, 11):
		return "shutdown", true
	case name == "tls_required_enable" && c.in.Version.AtLeast(3, 10):
		return "yes", true
	}
	v, ok := builtinDefaults[name]
	return v, ok
}

// value returns a main.cf parameter (or its default) with $name references
// expanded.
func (c *checker) value(name string) string {
	v, ok := c.in.Main[name]
	if !ok {
		v, _ = c.defaultValue(name)
	}
	return c.expand(v, 0)
}

// where names the source of a main.cf value for a finding.
func (c *checker) where(name string) string {
	if _, ok := c.in.Main[name]; ok {
		return "main.cf " + name
	}
	return "main.cf " + name + " (default)"
}

// param returns the value of name for the first service in svcs that
// overrides it with -o, else main.cf's, with where it came from.
func (c *checker) param(name string, svcs ...*Service) (val, where string) {
	for _, s := range svcs {
		if s == nil {
			continue
		}
		if v, ok := s.Options[name]; ok {
			return c.expand(v, 0), "master.cf " + s.Key() + " -o " + name
		}
	}
	return c.value(name), c.where(name)
}

// expand replaces $name, ${name} and $(name) with main.cf values.
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
		name, next, ok := refName(v, i+1)
		if !ok {
			b.WriteString(v[i:])
			break
		}
		i = next - 1
		sub, set := c.in.Main[name]
		if !set {
			sub, _ = c.defaultValue(name)
		}
		b.WriteString(c.expand(sub, depth+1))
	}
	return b.String()
}

// refName reads the parameter name of a $ reference starting at v[j], and
// returns the index after it.
func refName(v string, j int) (name string, next int, ok bool) {
	if v[j] == '{' || v[j] == '(' {
		closing := byte('}')
		if v[j] == '(' {
			closing = ')'
		}
		k := strings.IndexByte(v[j:], closing)
		if k < 0 {
			return "", 0, false
		}
		name = v[j+1 : j+k]
		if n, _, cond := strings.Cut(name, "?"); cond {
			name = n // ${name?value}: taken as the plain reference
		}
		return name, j + k + 1, true
	}
	k := j
	for k < len(v) && (v[k] == '_' || v[k] >= 'a' && v[k] <= 'z' || v[k] >= 'A' && v[k] <= 'Z' || v[k] >= '0' && v[k] <= '9') {
		k++
	}
	return v[j:k], k, true
}

// service returns the master.cf entry name/type, or nil.
func (c *checker) service(name, typ string) *Service {
	for i := range c.in.Master {
		if c.in.Master[i].Name == name && c.in.Master[i].Type == typ {
			return &c.in.Master[i]
		}
	}
	return nil
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

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "empty"
	}
	return s
}
