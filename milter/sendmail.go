package milter

import (
	"strings"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/rules"
)

// sendmailApply ends a message in Sendmail mode ([sendmail] mode =
// "envelope"). Sendmail cannot route on a header, so tlsgate adds none, and
// a granted opt-out is told to Sendmail in the envelope instead: every
// recipient local@domain becomes local+TOKEN@domain (SMFIR_DELRCPT then
// SMFIR_ADDRCPT, both allowed in milter protocol version 2), with TOKEN
// bound to the message's queue ID (rules.Token). The shipped
// tlsgate-optout.mc checks the token with tlsgate's token map (TokenMap)
// and only then routes the recipient to a mailer that strips the token and
// flags the envelope; tls_rcpt lets a flagged envelope go without TLS.
// Every other message is left alone: Sendmail's default, TLS required,
// applies. Without a queue ID (Sendmail sends macro i with MAIL FROM) no
// token can be made and the opt-out is not honoured. It reports whether
// it handled the message.
func (s *session) sendmailApply(m *gomilter.Modifier, d rules.Decision) (bool, error) {
	sc := s.pol.Config.Sendmail
	if sc.Mode != rules.SendmailEnvelope {
		return false, nil
	}
	if d.Verdict != rules.Granted || s.queueID == "" {
		return true, nil
	}
	token := rules.Token(sc.TokenKey, s.queueID)
	for _, r := range s.rcpts {
		marked, ok := markRecipient(r, token)
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

// markRecipient turns local@domain into local+token@domain. Addresses it
// cannot mark safely (no domain, quoted or odd local part) are refused.
func markRecipient(addr, token string) (string, bool) {
	i := strings.LastIndexByte(addr, '@')
	if i <= 0 || i == len(addr)-1 {
		return "", false
	}
	local, domain := addr[:i], addr[i:]
	if strings.ContainsAny(local, "\"\\@:,<> ") {
		return "", false
	}
	return local + "+" + token + domain, true
}
