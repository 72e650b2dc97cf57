package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var people = []string{"Mette Hansen <mette@kontor.example>", "Lars Nielsen <lars@firma.example>",
	"Anna Jensen <anna@bogholderi.example>", "Peter Smith <peter@supplier.example>",
	"Karen Møller <karen@kommune.example>", "John Miller <john@partner.example>"}

// head writes the top-level header fields; extra are more lines.
func head(r *rand.Rand, n int, subject string, extra ...string) string {
	from := people[r.IntN(len(people))]
	to := people[(n+1)%len(people)]
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: Mon, %d Nov 2026 %02d:%02d:00 +0100\n",
		from, to, subject, 2+n%27, 8+n%9, n%60)
	fmt.Fprintf(&b, "Message-ID: <%d.%d@corpus.example>\nMIME-Version: 1.0\n", n, r.IntN(1e6))
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}

// part is one MIME entity: its header lines and its body.
type part struct {
	hdr  string
	body string
}

func textPart(s string) part {
	return part{"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit", s}
}

func attach(ctype, name string, data []byte) part {
	return part{fmt.Sprintf("Content-Type: %s; name=\"%s\"\nContent-Disposition: attachment; filename=\"%s\"\nContent-Transfer-Encoding: base64", ctype, name, name), b64(data)}
}

// single makes a one-part message.
func single(h string, p part) string {
	return h + p.hdr + "\n\n" + p.body
}

// multi makes a multipart message with the given parts.
func multi(h, sub string, n int, ps ...part) string {
	return h + body(sub, n, ps...)
}

// body is a multipart header and body; n makes the boundary unique.
func body(sub string, n int, ps ...part) string {
	bd := fmt.Sprintf("=_b%d_%s", n, sub)
	var b strings.Builder
	fmt.Fprintf(&b, "Content-Type: multipart/%s; boundary=\"%s\"\n\nThis is a multi-part message in MIME format.\n", sub, bd)
	for _, p := range ps {
		fmt.Fprintf(&b, "\n--%s\n%s\n\n%s", bd, p.hdr, p.body)
		if !strings.HasSuffix(p.body, "\n") {
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n--%s--\n", bd)
	return b.String()
}
