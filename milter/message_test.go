package milter

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-message/textproto"
	"github.com/google/go-cmp/cmp"
	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/rules"
)

// wireMessage splits a stored message into what Postfix sends a milter,
// independently of ReadMessage: go-message's header reader finds the
// fields, each raw field loses its name, colon, first space and last line
// end, and its folds become "\n" (Postfix's form).
func wireMessage(t *testing.T, raw []byte) msg {
	t.Helper()
	raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	if bytes.HasPrefix(raw, []byte("From ")) { // mbox separator: not part of the message
		raw = raw[bytes.IndexByte(raw, '\n')+1:]
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		t.Fatalf("reading the header: %v", err)
	}
	var m msg
	for f := h.Fields(); f.Next(); {
		b, _ := f.Raw()
		k, v, _ := strings.Cut(strings.TrimSuffix(string(b), "\r\n"), ":")
		m.headers = append(m.headers, [2]string{k, strings.ReplaceAll(strings.TrimPrefix(v, " "), "\r\n", "\n")})
	}
	var body bytes.Buffer
	body.ReadFrom(br)
	m.body = strings.ReplaceAll(body.String(), "\r\n", "\n")
	return m
}

// checkSide is what "tlsgate check" decides for raw: ReadMessage into a
// Message, then Finish.
func checkSide(t *testing.T, pol *rules.Policy, raw []byte) (rules.Decision, []change) {
	t.Helper()
	m := NewMessage(pol)
	if err := ReadMessage(bytes.NewReader(raw), m); err != nil {
		t.Fatal(err)
	}
	out := m.Finish()
	var ch []change
	for _, e := range out.Edits {
		op := "change"
		if e.Value == "" {
			op = "delete"
		}
		ch = append(ch, change{op, e.Name, uint32(e.Index), e.Value})
	}
	return out.Decision, append(ch, change{"add", out.Route.Name, 0, out.Route.Value})
}

// tagged puts the opt-out tag in front of the first Subject (or adds one).
func tagged(raw []byte) []byte {
	if i := bytes.Index(raw, []byte("\nSubject: ")); i >= 0 {
		return append(append(append([]byte(nil), raw[:i+10]...), "[unsecure] "...), raw[i+10:]...)
	}
	return append([]byte("Subject: [unsecure] x\n"), raw...)
}

// oddMessages are the cases a header parser or a limit could get wrong.
func oddMessages() map[string][]byte {
	big := strings.Repeat("almindelig tekst om fakturaer og kontorartikler\n", 3000)
	return map[string][]byte{
		"lf-only":        []byte("Subject: [unsecure] hej\nFrom: a@example.dk\n\nhej\n"),
		"crlf":           []byte("Subject: [unsecure] hej\r\nFrom: a@example.dk\r\n\r\nhej\r\n"),
		"no-body":        []byte("Subject: [unsecure] hej\n"),
		"mbox-from":      []byte("From alice@example.dk Mon Nov 23 10:00:00 2026\nSubject: [unsecure] hej\n\nhej\n"),
		"two-subjects":   []byte("Subject: [unsecure] a\nSubject: b\n\nhej\n"),
		"folded-encoded": []byte("Subject: =?UTF-8?Q?=5Bunsec?=\n =?UTF-8?Q?ure=5D?= m\xc3\xb8de\n\nhej\n"),
		"forged":         []byte("X-TLSGate-Policy: opportunistic\nTLS-Required: no\nx-tlsgate-policy: opportunistic\nSubject: [unsecure] hej\n\nhej\n"),
		"cpr-in-folded":  []byte("Subject: [unsecure] hej\nX-Note: 010285\n -1234\n\nhej\n"),
		"huge-header":    []byte("Subject: [unsecure] hej\nX-Pad: " + strings.Repeat("x", 5000) + "\n\nhej\n"),
		"over-size":      []byte("Subject: [unsecure] stor\n\n" + big),
		"large-clean":    []byte("Subject: [unsecure] stor\n\n" + strings.Repeat(big, 2)),
		"large-cpr-end":  []byte("Subject: [unsecure] stor\n\n" + strings.Repeat(big, 2) + "Nummer 010285-1234\n"),
		"untagged":       []byte("Subject: hej\n\n010285-1234\n"),
		"tag-only":       []byte("Subject: [UNSECURE]\n\nhej\n"),
	}
}

// The milter session and "tlsgate check" decide every message alike: the
// labelled corpus, tagged and untagged, and odd and oversized messages,
// under the default limits and under tight ones.
func TestCheckAndMilterAgree(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*.eml"))
	if err != nil || len(files) < 100 {
		t.Fatalf("corpus: %d files (%v)", len(files), err)
	}
	msgs := oddMessages()
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msgs[filepath.Base(f)] = raw
		msgs[filepath.Base(f)+"+tag"] = tagged(raw)
	}
	configs := map[string]string{
		"default": "",
		"tight":   "[limits]\nmax_message_bytes = 100000\nmax_header_bytes = 4096\nmax_parts = 3\nmax_depth = 2\n",
	}
	for cname, config := range configs {
		addr, _, srv := startServer(t, config)
		var mu sync.Mutex
		var last rules.Decision
		srv.Report = func(r Report) {
			mu.Lock()
			last = rules.Decision{Verdict: rules.Verdict(r.Record.Decision), Reasons: classify.ParseCodes(r.Record.Reasons)}
			mu.Unlock()
		}
		s := dial(t, addr)
		connect(t, s, "127.0.0.1")
		verdicts := map[rules.Verdict]int{}
		for name, raw := range msgs {
			wantD, wantCh := checkSide(t, srv.Policy(), raw)
			got := send(t, s, wireMessage(t, raw))
			mu.Lock()
			gotD := last
			mu.Unlock()
			verdicts[gotD.Verdict]++
			if gotD.Verdict != wantD.Verdict || fmt.Sprint(gotD.Reasons.Strings()) != fmt.Sprint(wantD.Reasons.Strings()) {
				t.Errorf("%s/%s: milter %s %v, check %s %v", cname, name, gotD.Verdict, gotD.Reasons, wantD.Verdict, wantD.Reasons)
			}
			if diff := cmp.Diff(wantCh, changes(got.mods)); diff != "" {
				t.Errorf("%s/%s: header edits differ (-check +milter):\n%s", cname, name, diff)
			}
		}
		t.Logf("%s: %d messages, verdicts %v", cname, len(msgs), verdicts)
		if verdicts[rules.Granted] == 0 || verdicts[rules.Refused] == 0 || verdicts[rules.Require] == 0 {
			t.Errorf("%s: the messages do not cover every verdict: %v", cname, verdicts)
		}
	}
}

// FuzzReadMessage: any bytes read as a stored message end in a decision
// without a panic, and an opt-out is granted only after a scan found the
// message clean.
func FuzzReadMessage(f *testing.F) {
	for _, raw := range oddMessages() {
		f.Add(raw)
	}
	cfg, err := rules.Parse("fuzz.toml", "[limits]\nmax_message_bytes = 100000\nmax_header_bytes = 4096\n")
	if err != nil {
		f.Fatal(err)
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := NewMessage(pol)
		if err := ReadMessage(bytes.NewReader(raw), m); err != nil {
			m.Abort()
			return
		}
		out := m.Finish()
		if out.Decision.Verdict == rules.Granted && (out.Scan == nil || len(out.Scan.Reasons()) > 0) {
			t.Errorf("granted without a clean scan: %+v", out)
		}
		if out.Route.Name != cfg.Header.Name || out.Route.Value != pol.HeaderValue(out.Decision) {
			t.Errorf("route %+v for %s", out.Route, out.Decision.Verdict)
		}
	})
}

// A header line of many megabytes is read in bounded memory and decided
// as the milter decides it: over the header limit.
func TestReadMessageHugeHeader(t *testing.T) {
	pol := policyFor(t, "")
	raw := "Subject: [unsecure] hej\nX-Pad: " + strings.Repeat("x", 10<<20) + "\n\nhej\n"
	m := NewMessage(pol)
	if err := ReadMessage(strings.NewReader(raw), m); err != nil {
		t.Fatal(err)
	}
	d := m.Finish().Decision
	if d.Verdict != rules.Refused || !cmp.Equal(d.Reasons.Strings(), []string{"limit:header"}) {
		t.Errorf("got %s %v", d.Verdict, d.Reasons)
	}
}

func policyFor(t *testing.T, config string) *rules.Policy {
	t.Helper()
	cfg, err := rules.Parse("t.toml", config)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return pol
}
