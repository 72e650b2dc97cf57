package postfixcheck

import (
	"fmt"
	"strings"
)

// A setting is one parameter the recipe fixes to a value: postfix-check
// reports it (OK, or its Level with the fix) and postfix-config writes it.
// Adding a row to mainSettings, requiredTransport or optionalTransport adds
// both the check and the configuration item.
type setting struct {
	Name string
	// Want is the value postfix-config writes; "{dir}" stands for the
	// Postfix configuration directory.
	Want string
	// Since is the first Postfix release that knows the parameter; zero for
	// every release in use.
	Since Version
	// Level is what a bad value is.
	Level Level
	// Bad says what is wrong with the value v, or "" when it is good.
	Bad func(c *checker, v string) string
	// Good says, for the OK line, what the value guarantees.
	Good string
}

// mainSettings are the main.cf parameters with a fixed value in the recipe.
var mainSettings = []setting{
	{Name: "milter_default_action", Want: "tempfail", Level: Problem,
		Bad:  func(_ *checker, v string) string { return badAction(v) },
		Good: "mail waits (451 4.7.1) while tlsgate does not answer"},
	{Name: "smtp_tls_security_level", Want: "encrypt", Level: Problem, Bad: badFence,
		Good: "the second fence: mail that never passed tlsgate (for instance released from hold) still leaves only over TLS"},
	{Name: "smtp_tls_mandatory_protocols", Want: ">=TLSv1.2", Level: Problem, Bad: badProtocols,
		Good: "no protocol below TLS 1.2 where TLS is required"},
	{Name: "message_reject_characters", Want: `\0`, Level: Warning,
		Bad: func(_ *checker, v string) string {
			if strings.Contains(v, `\0`) {
				return ""
			}
			return "does not reject NUL bytes: Postfix cuts header values at a NUL when passing them to milters, so tlsgate could see less than the receiver"
		},
		Good: "messages with NUL bytes are rejected, so tlsgate sees whole headers"},
	{Name: "tls_required_enable", Want: "no", Since: Version{3, 10}, Level: Problem,
		Bad: func(_ *checker, v string) string {
			if strings.EqualFold(v, "no") {
				return ""
			}
			return "is " + orNone(v) + ": a sender's \"TLS-Required: no\" header turns TLS enforcement off before tlsgate sees the message"
		},
		Good: "a sender's \"TLS-Required: no\" header is ignored"},
}

// requiredTransport and optionalTransport are the -o settings of the two
// delivery transports.
var requiredTransport = []setting{
	{Name: "smtp_tls_security_level", Want: "encrypt", Level: Problem, Bad: badFence},
	{Name: "smtp_tls_mandatory_protocols", Want: ">=TLSv1.2", Level: Problem, Bad: badProtocols},
	{Name: "smtp_header_checks", Want: "regexp:{dir}/tlsgate_strip", Level: Problem, Bad: (*checker).badStrip},
}

var optionalTransport = []setting{
	{Name: "smtp_tls_security_level", Want: "may", Level: Problem,
		Bad: func(_ *checker, v string) string {
			if v == "" || strings.EqualFold(v, "none") {
				return "is " + orNone(v) + ": opted-out mail goes in clear even to receivers that offer TLS; use may"
			}
			return ""
		}},
	{Name: "smtp_header_checks", Want: "regexp:{dir}/tlsgate_strip", Level: Problem, Bad: (*checker).badStrip},
}

// want is the value postfix-config writes for s.
func (c *checker) want(s setting) string {
	return strings.ReplaceAll(s.Want, "{dir}", c.configDir())
}

func (c *checker) configDir() string {
	if d := c.in.Main["config_directory"]; d != "" {
		return strings.TrimSuffix(d, "/")
	}
	return "/etc/postfix"
}

// knows reports whether the installed Postfix knows the parameter of s, and
// whether that is certain.
func (c *checker) knows(s setting) (known, sure bool) {
	if !s.Since.Known() {
		return true, true
	}
	if c.in.Defaults != nil {
		_, ok := c.in.Defaults[s.Name]
		return ok, true
	}
	if !c.in.Version.Known() {
		return true, false
	}
	return c.in.Version.AtLeast(s.Since.Major, s.Since.Minor), true
}

// mainSettings checks each row of mainSettings against main.cf.
func (c *checker) mainSettings() {
	for _, s := range mainSettings {
		known, sure := c.knows(s)
		if !known {
			continue
		}
		v := c.value(s.Name)
		if s.Name == "smtp_tls_security_level" {
			v = c.tlsLevel(nil)
		}
		why := s.Bad(c, v)
		switch {
		case why == "":
			c.ok(c.where(s.Name), "%s: %s", orNone(v), s.Good)
		case !sure:
			c.warn(c.where(s.Name), "%s on Postfix %d.%d and later, and the Postfix version is unknown; set %s = %s", why, s.Since.Major, s.Since.Minor, s.Name, c.want(s))
		default:
			c.add(s.Level, c.where(s.Name), fmt.Sprintf("postconf -e '%s = %s'", s.Name, c.want(s)), "%s", why)
		}
	}
}

// tlsLevel is the smtp_tls_security_level a transport delivers with,
// counting the obsolete smtp_enforce_tls / smtp_use_tls that Postfix still
// honours when the level is empty.
func (c *checker) tlsLevel(svc *Service) string {
	v, _ := c.param("smtp_tls_security_level", svc)
	if strings.TrimSpace(v) != "" {
		return v
	}
	if e, _ := c.param("smtp_enforce_tls", svc); strings.EqualFold(e, "yes") {
		return "encrypt"
	}
	if u, _ := c.param("smtp_use_tls", svc); strings.EqualFold(u, "yes") {
		return "may"
	}
	return ""
}

// tlsLevelEnforces reports whether a security level makes TLS mandatory.
// "dane" is not: without TLSA records it falls back to "may".
func tlsLevelEnforces(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "encrypt", "dane-only", "fingerprint", "verify", "secure":
		return true
	}
	return false
}

func badFence(_ *checker, v string) string {
	if tlsLevelEnforces(v) {
		return ""
	}
	return "is " + orNone(v) + ", not encrypt: mail can leave without TLS"
}

func badProtocols(_ *checker, v string) string {
	if weak := weakProtocols(v); len(weak) > 0 {
		return fmt.Sprintf("is %q, which allows %s where TLS is required; a receiver could negotiate a broken protocol", v, strings.Join(weak, ", "))
	}
	return ""
}
