package postfixcheck

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Recipe is the Postfix configuration that keeps tlsgate's guarantees: the
// main.cf settings, the two master.cf transports and the two lookup tables.
type Recipe struct {
	// Main lists main.cf settings in the order they are printed.
	Main [][2]string
	// Master is the text to append to master.cf.
	Master string
	// HeaderChecks and Strip are the contents of the tables named in Main
	// and Master, with their paths.
	HeaderChecksPath, HeaderChecks string
	StripPath, Strip               string
}

// NewRecipe builds the recipe for tlsgate listening at milter (Postfix
// notation, see MilterAddress) and adding the header name: require |
// opportunistic.
func NewRecipe(milter, name, require, opportunistic string) Recipe {
	const dir = "/etc/postfix/"
	r := Recipe{HeaderChecksPath: dir + "tlsgate_milter_header_checks", StripPath: dir + "tlsgate_strip"}
	r.Main = [][2]string{
		{"smtpd_milters", milter},
		{"non_smtpd_milters", "$smtpd_milters"},
		{"milter_default_action", "tempfail"},
		{"milter_header_checks", "regexp:" + r.HeaderChecksPath},
		{"message_reject_characters", `\0`},
		{"smtp_tls_security_level", "encrypt"},
		{"smtp_tls_mandatory_protocols", ">=TLSv1.2"},
		{"tls_required_enable", "no"},
	}
	r.Master = fmt.Sprintf(`%s unix  -       -      n      -      -       smtp
  -o smtp_tls_security_level=encrypt
  -o smtp_tls_mandatory_protocols=>=TLSv1.2
  -o smtp_header_checks=regexp:%s
%s unix  -       -      n      -      -       smtp
  -o smtp_tls_security_level=may
  -o smtp_header_checks=regexp:%s
`, RequiredTransport, r.StripPath, OptionalTransport, r.StripPath)
	q := regexp.QuoteMeta
	r.HeaderChecks = fmt.Sprintf("/^%s: *%s$/ FILTER %s:\n/^%s: *%s$/ FILTER %s:\n",
		q(name), q(require), RequiredTransport, q(name), q(opportunistic), OptionalTransport)
	r.Strip = fmt.Sprintf("/^%s:/ IGNORE\n", q(name))
	return r
}

// Write prints the recipe as an administrator applies it.
func (r Recipe) Write(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# tlsgate: Postfix configuration. Review, then run the commands below as\n# root and finish with \"postfix reload\". Check with \"tlsgate postfix-check\".\n#\n")
	b.WriteString("# 1. main.cf (postconf -e edits it in place; tls_required_enable is\n#    unused, and harmless, before Postfix 3.10):\n")
	for _, kv := range r.Main {
		fmt.Fprintf(&b, "postconf -e '%s = %s'\n", kv[0], kv[1])
	}
	fmt.Fprintf(&b, "\n# 2. %s (milter_header_checks: only headers added by milters):\n", r.HeaderChecksPath)
	fmt.Fprintf(&b, "cat > %s <<'EOF'\n%sEOF\n", r.HeaderChecksPath, r.HeaderChecks)
	fmt.Fprintf(&b, "\n# 3. %s (the receiver never sees the routing header):\n", r.StripPath)
	fmt.Fprintf(&b, "cat > %s <<'EOF'\n%sEOF\n", r.StripPath, r.Strip)
	b.WriteString("\n# 4. Append to /etc/postfix/master.cf:\n")
	fmt.Fprintf(&b, "cat >> /etc/postfix/master.cf <<'EOF'\n%sEOF\n", r.Master)
	b.WriteString("\npostfix reload\n")
	_, err := io.WriteString(w, b.String())
	return err
}
