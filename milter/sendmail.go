package milter

import (
	"strings"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/rules"
)

// sendmailApply ends a message in Sendmail mode ([sendmail] mode =
// "envelope"). Sendmail cannot route on a header, so tlsgate adds none, and
// a granted opt-out is told to Sendmail in the envelope instead: every
// recipient local@domain becomes local+MARK@domain (SMFIR_DELRCPT then
// SMFIR_ADDRCPT, both allowed in milter protocol version 2). The shipped
// tlsgate-optout.mc routes marked recipients to a mailer that strips the
// mark and flags the envelope, and tls_rcpt lets a flagged envelope go
// without TLS. Every other message is left alone: Sendmail's default, TLS
// required, applies. It reports whether it handled the message.
func (s *session) sendmailApply(m *gomilter.Modifier, d rules.Decision) (bool, error) {
	sc := s.pol.Config.Sendmail
	if sc.Mode != rules.SendmailEnvelope {
		return false, nil
	}
	if d.Verdict != rules.Granted {
		return true, nil
	}
	for _, r := range s.rcpts {
		marked, ok := markRecipient(r, sc.Mark)
		if !ok {
			continue // left as it is: TLS stays required for it
		}
		if err := m.DeleteRecipient(r); err != nil {
			return true, err
		}
		if err := m.AddRecipient(marked); err != nil {
			return true, err
		}
	}
	return true, nil
}

// markRecipient turns local@domain into local+mark@domain. Addresses it
// cannot mark safely (no domain, quoted or odd local part) are refused.
func markRecipient(addr, mark string) (string, bool) {
	i := strings.LastIndexByte(addr, '@')
	if i <= 0 || i == len(addr)-1 {
		return "", false
	}
	local, domain := addr[:i], addr[i:]
	if strings.ContainsAny(local, "\"\\@:,<> ") {
		return "", false
	}
	return local + "+" + mark + domain, true
}
