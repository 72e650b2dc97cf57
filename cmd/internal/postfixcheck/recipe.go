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
		{"milter_header_checks", "regexp:" + r.HeaderChecksPath},
	}
	for _, s := range mainSettings {
		r.Main = append(r.Main, [2]string{s.Name, strings.ReplaceAll(s.Want, "{dir}", "/etc/postfix")})
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
	return withNotices(r) // notice.go
}

// Write prints the recipe as commands an administrator can run on a relay
// where tlsgate postfix-config cannot look (no Postfix on this machine).
// Every command can be run twice; a parameter the relay's Postfix does not
// know is set only where "postconf -d" knows it.
func (r Recipe) Write(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# tlsgate: Postfix configuration for a relay, as root. On the relay itself,\n" +
		"# \"tlsgate postfix-config\" works from its configuration and keeps its other\n" +
		"# milters (this recipe sets smtpd_milters to tlsgate alone).\n\n")
	fmt.Fprintf(&b, "cat > %s <<'EOF'\n%sEOF\n", r.HeaderChecksPath, r.HeaderChecks)
	fmt.Fprintf(&b, "cat > %s <<'EOF'\n%sEOF\n\n", r.StripPath, r.Strip)
	since := map[string]Version{}
	for _, s := range mainSettings {
		since[s.Name] = s.Since
	}
	for _, kv := range r.Main {
		cmd := fmt.Sprintf("postconf -e '%s = %s'", kv[0], kv[1])
		if v := since[kv[0]]; v.Known() {
			cmd = fmt.Sprintf("postconf -d %s 2>/dev/null | grep -q . && %s    # Postfix %s and later", kv[0], cmd, v)
		}
		cmd = noticeGuard(kv[0], cmd) // notice.go
		b.WriteString(cmd + "\n")
	}
	for _, t := range []struct {
		name string
		rows []setting
	}{{RequiredTransport, requiredTransport}, {OptionalTransport, optionalTransport}} {
		fmt.Fprintf(&b, "postconf -M '%s/unix=%s unix - - n - - smtp'\n", t.name, t.name)
		for _, s := range t.rows {
			fmt.Fprintf(&b, "postconf -P '%s/unix/%s=%s'\n", t.name, s.Name, strings.ReplaceAll(s.Want, "{dir}", "/etc/postfix"))
		}
	}
	b.WriteString(noticeFilterScript()) // notice.go
	b.WriteString("if postfix status; then postfix reload; fi\ntlsgate postfix-check\n")
	_, err := io.WriteString(w, b.String())
	return err
}
