package milter

import (
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/google/go-cmp/cmp"
)

// TestSendmailEnvelope: in Sendmail mode a granted opt-out marks every
// recipient and adds no header; other decisions change no recipient and
// add no header either.
func TestSendmailEnvelope(t *testing.T) {
	addr, _, _ := startServer(t, "[sendmail]\nmode = \"envelope\"\nmark = \"test-mark-0123456789\"\n")
	hdr := func(subject string) [][2]string {
		return [][2]string{{"From", "alice@example.dk"}, {"To", "bob@example.com"}, {"Subject", subject}}
	}
	tests := []struct {
		name string
		m    msg
		want []string
	}{
		{"granted: recipient marked, tag removed",
			msg{headers: hdr("[unsecure] Frokost"), body: "Vi ses.\n"},
			[]string{"change Subject Frokost", "- <bob@example.com>", "+ <bob+test-mark-0123456789@example.com>"}},
		{"no tag: nothing", msg{headers: hdr("Frokost"), body: "Vi ses.\n"}, nil},
		{"refused: tag removed, recipient kept",
			msg{headers: hdr("[unsecure] Svar"), body: "Her er det: 010285-1234\n"},
			[]string{"change Subject Svar"}},
		{"forged header deleted, nothing added",
			msg{headers: append(hdr("Frokost"), [2]string{"X-TLSGate-Policy", "opportunistic"}), body: "Vi ses.\n"},
			[]string{"change X-TLSGate-Policy "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := gomilter.NewClientWithOptions("tcp", addr, gomilter.ClientOptions{
				ReadTimeout:  10 * time.Second,
				WriteTimeout: 10 * time.Second,
				ActionMask:   gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptAddRcpt | gomilter.OptRemoveRcpt,
			})
			s, err := c.Session()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			connect(t, s, "127.0.0.1")
			r := send(t, s, tt.m)
			var got []string
			for _, m := range r.mods {
				switch m.Code {
				case gomilter.ActAddRcpt, gomilter.ActDelRcpt:
					got = append(got, string(m.Code)+" "+m.Rcpt)
				case gomilter.ActChangeHeader:
					got = append(got, "change "+m.HeaderName+" "+m.HeaderValue)
				default:
					got = append(got, "unexpected "+string(m.Code)+" "+m.HeaderName)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("modifications (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkRecipient(t *testing.T) {
	for in, want := range map[string]string{
		"bob@example.com":     "bob+M@example.com",
		"bob+x@[127.0.0.5]":   "bob+x+M@[127.0.0.5]",
		"bob":                 "",
		"@example.com":        "",
		"\"b b\"@example.com": "",
	} {
		got, ok := markRecipient(in, "M")
		if ok != (want != "") || got != want {
			t.Errorf("markRecipient(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
