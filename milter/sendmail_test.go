package milter

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/google/go-cmp/cmp"
	"github.com/tlsgate/tlsgate/rules"
)

const testTokenKey = "test-key-0123456789"

const envelopeConfig = "[sendmail]\nmode = \"envelope\"\ntoken_key = \"" + testTokenKey + "\"\n"

// TestSendmailEnvelope: in Sendmail mode a granted opt-out gives every
// recipient the message's token and adds no header; other decisions change
// no recipient and add no header either; without a queue ID there is no
// token and no opt-out.
func TestSendmailEnvelope(t *testing.T) {
	addr, _, _ := startServer(t, envelopeConfig)
	hdr := func(subject string) [][2]string {
		return [][2]string{{"From", "alice@example.dk"}, {"To", "bob@example.com"}, {"Subject", subject}}
	}
	token := rules.Token(testTokenKey, "4XyZ1")
	tests := []struct {
		name string
		m    msg
		want []string
	}{
		{"granted: recipient marked, tag removed",
			msg{headers: hdr("[unsecure] Frokost"), body: "Vi ses.\n"},
			[]string{"change Subject Frokost", "- <bob@example.com>", "+ <bob+" + token + "@example.com>"}},
		{"no tag: nothing", msg{headers: hdr("Frokost"), body: "Vi ses.\n"}, nil},
		{"refused: tag removed, recipient kept",
			msg{headers: hdr("[unsecure] Svar"), body: "Her er det: 010285-1234\n"},
			[]string{"change Subject Svar"}},
		{"no queue ID: tag removed, recipient kept",
			msg{headers: hdr("[unsecure] Frokost"), body: "Vi ses.\n", noQueueID: true},
			[]string{"change Subject Frokost"}},
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
		"bob@example.com":     "bob+T@example.com",
		"bob+x@[127.0.0.5]":   "bob+x+T@[127.0.0.5]",
		"bob":                 "",
		"@example.com":        "",
		"\"b b\"@example.com": "",
	} {
		got, ok := markRecipient(in, "T")
		if ok != (want != "") || got != want {
			t.Errorf("markRecipient(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestTokenMap speaks Sendmail's socket map protocol to a real TokenMap:
// only the message's own token is an opt-out.
func TestTokenMap(t *testing.T) {
	cfg, err := rules.Parse("test.toml", envelopeConfig)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tm := NewTokenMap(func() *rules.Policy { return pol }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go tm.Serve(ln)
	defer tm.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	lookup := func(req string) string {
		t.Helper()
		fmt.Fprintf(c, "%d:%s,", len(req), req)
		reply, err := readNetstring(br)
		if err != nil {
			t.Fatalf("%q: %v", req, err)
		}
		return reply
	}
	tok := rules.Token(testTokenKey, "5B1AbC012345")
	for req, want := range map[string]string{
		"tlsgate 5B1AbC012345:" + tok:                         "OK OPTOUT",
		"tlsgate 5B1AbC012346:" + tok:                         "NOTFOUND ",
		"tlsgate 5b1abc012345:" + tok:                         "NOTFOUND ",
		"tlsgate 5B1AbC012345:news":                           "NOTFOUND ",
		"tlsgate 5B1AbC012345:" + strings.ToUpper(tok):        "NOTFOUND ",
		"tlsgate shape:" + tok:                                "OK TOKEN",
		"tlsgate shape:" + rules.Token("other-key-0123", "x"): "OK TOKEN",
		"tlsgate shape:news":                                  "NOTFOUND ",
		"tlsgate":                                             "PERM expected \"map key\"",
	} {
		if got := lookup(req); got != want {
			t.Errorf("%q: %q, want %q", req, got, want)
		}
	}
	// A malformed request ends the connection.
	fmt.Fprint(c, "x:y,")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after a bad netstring: %v, want EOF", err)
	}
}
