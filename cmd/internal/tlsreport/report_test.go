package tlsreport

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testdata/mail.log mixes the three timestamp formats, a reused queue ID,
// a failure that is not about TLS, other programs' lines and a recipient
// without a domain.
func TestReadExcerpt(t *testing.T) {
	f, err := os.Open("testdata/mail.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Read(f, utc("2026-12-02T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Report{Domains: []Domain{
		{
			Domain: "notls.example", Messages: 1, Deferred: 2, Kinds: map[Kind]int{NoSTARTTLS: 2},
			FirstSeen: utc("2026-12-01T14:00:32Z"), LastSeen: utc("2026-12-01T14:00:32Z"),
			Notices: 1, OptOutSent: 1,
		},
		{
			Domain: "oldtls.example", Messages: 1, Deferred: 1, Bounced: 1,
			Kinds:     map[Kind]int{Handshake: 1, Refused: 1},
			FirstSeen: utc("2026-12-01T14:00:01.5Z"), LastSeen: utc("2026-12-01T14:10:00Z"),
			Notices: 1,
		},
	}}
	if diff := cmp.Diff(want, r, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON does not parse back: %v\n%s", err, js.Bytes())
	}
	for _, out := range []string{text.String(), js.String()} {
		for _, never := range []string{"bob", "eve", "ann", "carl", "dan", "Beskeden", "go away", "192.0.2"} {
			if strings.Contains(out, never) {
				t.Errorf("report holds %q:\n%s", never, out)
			}
		}
	}
	if !strings.Contains(text.String(), "handshake:1,starttls-refused:1") {
		t.Errorf("text report lacks the kinds:\n%s", text.String())
	}
}

func TestParseTime(t *testing.T) {
	ref := utc("2026-01-01T10:00:00Z")
	for _, tc := range []struct{ line, want string }{
		{"Dec 31 23:59:59 h postfix/smtp[1]: x", "2025-12-31T23:59:59Z"}, // last year
		{"Jan  1 09:00:00 h postfix/smtp[1]: x", "2026-01-01T09:00:00Z"},
		{"Jan 01 09:00:00 h postfix/smtp[1]: x", "2026-01-01T09:00:00Z"},
		{"2026-06-01T12:00:00.5+02:00 h postfix/smtp[1]: x", "2026-06-01T10:00:00.5Z"},
		{"2026-06-01T12:00:00+0200 h postfix/smtp[1]: x", "2026-06-01T10:00:00Z"},
	} {
		got, rest, ok := parseTime(tc.line, ref)
		if !ok || !got.Equal(utc(tc.want)) || rest != "h postfix/smtp[1]: x" {
			t.Errorf("parseTime(%q) = %v, %q, %v; want %s", tc.line, got, rest, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "garbage", "2026-13-01T00:00:00Z h p: x", "Foo  1 00:00:00 h p: x"} {
		if _, _, ok := parseTime(bad, ref); ok {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}

func TestIsQueueID(t *testing.T) {
	for s, want := range map[string]bool{
		"018B8988C81": true, "4Xy7Jp5Lq8z9mN2": true, "warning": false, "removed": false,
		"ABC": false, "4Xy7Jp5Lq8": false, "018b8988c81": false,
	} {
		if got := isQueueID(s); got != want {
			t.Errorf("isQueueID(%q) = %v", s, got)
		}
	}
}

func TestCommand(t *testing.T) {
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := Main(args, &out, &errb)
		return code, out.String() + errb.String()
	}
	code, out := run("-f", "testdata/mail.log", "-json")
	var r Report
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || len(r.Domains) != 2 {
		t.Errorf("-json: exit %d\n%s", code, out)
	}
	if code, out := run("-f", "testdata/mail.log"); code != 0 || !strings.HasPrefix(out, "DOMAIN ") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
	if code, out := run("-f", os.DevNull); code != 0 || !strings.HasPrefix(out, "No deliveries") {
		t.Errorf("empty log: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"-since", "-1d"}, {"extra"}, {"-bogus"}} {
		if code, _ := run(args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code, _ := run("-f", "testdata/nonexistent.log"); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}
