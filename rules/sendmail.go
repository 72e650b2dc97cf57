package rules

import "fmt"

// Sendmail modes (SendmailConfig.Mode).
const (
	// SendmailOff: tlsgate adds its routing header, for Postfix.
	SendmailOff = "off"
	// SendmailEnvelope: for Sendmail, which cannot route on a header.
	// tlsgate adds no header; a granted opt-out is signalled by rewriting
	// every envelope recipient local@domain to local+MARK@domain, which
	// packaging/sendmail/tlsgate-optout.mc delivers without TLS
	// enforcement and strips again before RCPT TO.
	SendmailEnvelope = "envelope"
)

// minMarkLen keeps the mark from being guessed. Safety does not rest on
// it (Sendmail refuses marked recipients from SMTP clients), but a mark
// nobody knows cannot be tried.
const minMarkLen = 16

// SendmailConfig is the [sendmail] table.
type SendmailConfig struct {
	// Mode is "off" or "envelope".
	Mode string `toml:"mode"`
	// Mark is the per-installation secret put into marked recipients; the
	// Sendmail .mc must define TLSGATE_MARK to the same value. Letters,
	// digits and '-' (one Sendmail token), at least 16 characters.
	Mark string `toml:"mark"`
}

// sendmailProblems validates the [sendmail] table.
func sendmailProblems(c SendmailConfig) []problem {
	var ps []problem
	switch c.Mode {
	case SendmailOff:
	case SendmailEnvelope:
		if len(c.Mark) < minMarkLen || !isMark(c.Mark) {
			ps = append(ps, problem{"sendmail.mark", fmt.Sprintf("expected a secret of at least %d letters, digits or '-' with mode \"envelope\"", minMarkLen)})
		}
	default:
		ps = append(ps, problem{"sendmail.mode", fmt.Sprintf("expected %q or %q, got %q", SendmailOff, SendmailEnvelope, c.Mode)})
	}
	return ps
}

// isMark: one Sendmail token, so no operator characters.
func isMark(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
