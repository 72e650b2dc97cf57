package rules

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"github.com/tlsgate/tlsgate/classify"
)

// NoticeInfo is what the sender notice may say about a message: its queue
// ID, when, the recipient domains and the refusal's reason codes. Never the
// Subject or the content.
type NoticeInfo struct {
	From        string // the notice's From: address
	To          string // the sender's address
	QueueID     string
	RcptDomains []string
	Reasons     []string
	Date        time.Time
}

// Notice builds the sender notice (notice.enable): an opt-out was refused
// and the message was queued with TLS required, so it will only be
// delivered encrypted. Danish first, then English;
// UTF-8, quoted-printable, marked Auto-Submitted so that no autoresponder
// answers it.
func (p *Policy) Notice(n NoticeInfo) []byte {
	tag := p.Config.OptOutTags[0]
	da, en := Kinds(classify.ParseCodes(n.Reasons))
	domains := strings.Join(n.RcptDomains, ", ")
	when := n.Date.Local().Format("02.01.2006 15:04")

	var body bytes.Buffer
	fmt.Fprintf(&body, `Du skrev %[1]s i emnefeltet for at sende en besked ukrypteret, men det blev ikke tilladt.

Beskeden (kø-ID %[2]s, %[3]s, til %[4]s) indeholder %[5]s. Den bliver derfor kun leveret krypteret, med krævet kryptering (TLS). Kan modtagerens mailserver ikke kryptere, bliver beskeden ikke leveret, og du får besked om det fra mailsystemet.

Du behøver ikke gøre noget, hvis beskeden når frem. Skal den frem til en modtager uden kryptering, så fjern oplysningerne eller send dem på en sikker måde, fx med Digital Post.

-- English --

You wrote %[1]s in the subject to send a message unencrypted, but this was not allowed.

The message (queue ID %[2]s, %[3]s, to %[4]s) contains %[6]s. It will therefore only be delivered encrypted, with encryption (TLS) required. If the receiving mail server cannot encrypt, the message will not be delivered, and the mail system will tell you.

You need not do anything if the message arrives. To reach a receiver without encryption, remove the data or send it in a secure way.

Denne besked er sendt automatisk. / This message was sent automatically.
`, tag, n.QueueID, when, domains, strings.Join(da, ", "), strings.Join(en, ", "))

	var msg bytes.Buffer
	// At this point the message is still in the queue: it will be
	// delivered encrypted or not at all, so say that, not "was sent".
	subject := "Din besked leveres kun krypteret / Your message will only be delivered encrypted"
	// Folded after the Danish half: a line may not pass 78 characters.
	subject = strings.Replace(mime.QEncoding.Encode("utf-8", subject), " / ", " /\r\n ", 1)
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", n.From, n.To,
		subject, n.Date.Format(time.RFC1123Z))
	msg.WriteString("Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&msg)
	qp.Write(bytes.ReplaceAll(body.Bytes(), []byte("\n"), []byte("\r\n")))
	qp.Close()
	return msg.Bytes()
}
