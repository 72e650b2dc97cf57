package rules

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
)

func TestNotice(t *testing.T) {
	p := mustPolicy(t, "")
	raw := p.Notice(NoticeInfo{
		From: "postmaster", To: "bente@kommune.example", QueueID: "4XyZ1abc",
		RcptDomains: []string{"example.com", "example.org"},
		Reasons:     []string{"cpr:2", "term:health", "term:debt", "uninspectable:pdf-font"},
		Date:        time.Date(2026, 11, 23, 10, 4, 0, 0, time.UTC),
	})
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := mr.Header
	for key, want := range map[string]string{
		"From": "postmaster", "To": "bente@kommune.example",
		"Auto-Submitted": "auto-generated", "Content-Transfer-Encoding": "quoted-printable",
	} {
		if got := h.Get(key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	// The message is still queued: the notice says it will only be
	// delivered encrypted, never that it was sent.
	if subj, err := h.Subject(); err != nil || subj != "Din besked leveres kun krypteret / Your message will only be delivered encrypted" {
		t.Errorf("Subject %q (%v)", subj, err)
	}
	part, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(part.Body)
	body := string(b)
	for _, want := range []string{
		"[unsecure]", "4XyZ1abc", "example.com, example.org",
		"CPR-nummer, helbredsoplysninger, gæld, indhold der ikke kunne kontrolleres",
		"CPR number, health data, debts, content that could not be checked",
		"kun leveret krypteret", "will therefore only be delivered encrypted",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	// Reason codes and counts are not for the sender; nor any line longer
	// than SMTP allows.
	if strings.Contains(body, "was therefore sent") || strings.Contains(body, "er derfor sendt") {
		t.Errorf("body says the message was sent:\n%s", body)
	}
	if strings.Contains(body, "cpr:2") || strings.Contains(body, "pdf-font") {
		t.Errorf("body shows reason codes:\n%s", body)
	}
	for _, l := range strings.Split(string(raw), "\r\n") {
		if len(l) > 78 {
			t.Errorf("line of %d bytes: %q", len(l), l)
		}
	}
}
