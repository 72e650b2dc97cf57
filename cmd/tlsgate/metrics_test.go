package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/smtptest"
	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// milterSend runs one message from SMTP client 192.0.2.7 through the
// daemon at addr and returns the decision.
func milterSend(t *testing.T, addr, user, from, subject, body string) decision {
	t.Helper()
	s := clientSessionFrom(t, addr, "192.0.2.7")
	beginAs(t, s, user, from, subject)
	return finish(t, s, body)
}

// scrape reads the metrics endpoint into name{labels} -> value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		m[line[:i]] = v
	}
	return m
}

// The daemon serves Prometheus metrics on loopback when [metrics] listen is
// set, and sends the sender notice by SMTP for a refused opt-out of an
// authenticated sender (here to a loopback SMTP receiver; the end-to-end
// test sends it through a real Postfix).
func TestMetricsAndNotice(t *testing.T) {
	mta, err := smtptest.Start("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer mta.Close()
	metricsAddr := testdaemon.FreePort(t)
	d := testdaemon.Start(t, testdaemon.Build(t), fmt.Sprintf(`
trusted_networks = ["192.0.2.0/24"]
[metrics]
listen = %q
[notice]
enable = true
smtp = %q
from = "postmaster@kommune.example"
`, metricsAddr, mta.Addr()))

	// Refused opt-out of an authenticated user: TLS required, one notice.
	if got := milterSend(t, d.Addr, "bente", "bente@kommune.example", "[unsecure] Svar", "CPR 010285-1234, sygemeldt\r\n"); got.policy != "require" {
		t.Fatalf("refused opt-out: %+v", got)
	}
	// Granted opt-out, and a plain message: no notice.
	milterSend(t, d.Addr, "bente", "bente@kommune.example", "[unsecure] Frokost", "Vi ses kl. 12.\r\n")
	milterSend(t, d.Addr, "bente", "bente@kommune.example", "Svar", "CPR 010285-1234\r\n")
	// Refused, but from a trusted network without SMTP AUTH: no notice.
	milterSend(t, d.Addr, "", "x@kommune.example", "[unsecure] Svar", "CPR 010285-1234\r\n")

	notice, ok := mta.WaitFor(func(smtptest.Message) bool { return true }, 10*time.Second)
	if !ok {
		t.Fatalf("no notice reached the MTA\nlog:\n%s", testdaemon.ReadFile(d.LogPath))
	}
	time.Sleep(300 * time.Millisecond) // a wrong second notice would show by now
	if n := len(mta.Messages()); n != 1 {
		t.Errorf("%d notices, want 1", n)
	}
	if notice.From != "" || len(notice.To) != 1 || notice.To[0] != "bente@kommune.example" {
		t.Errorf("notice envelope: from <%s> to %v, want <> to bente@kommune.example", notice.From, notice.To)
	}
	text := string(notice.Data)
	for _, want := range []string{"From: postmaster@kommune.example", "To: bente@kommune.example", "Auto-Submitted: auto-generated", "R1"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"010285", "sygemeldt", "Svar"} {
		if strings.Contains(text, never) {
			t.Errorf("notice holds message content %q:\n%s", never, text)
		}
	}

	m := scrape(t, metricsAddr)
	for key, want := range map[string]float64{
		`tlsgate_messages_total{action="",decision="optout-refused"}`: 2,
		`tlsgate_messages_total{action="",decision="optout-granted"}`: 1,
		`tlsgate_messages_total{action="",decision="require"}`:        1,
		`tlsgate_refusal_reasons_total{reason="cpr"}`:                 2,
		`tlsgate_refusal_reasons_total{reason="term:health"}`:         1,
		`tlsgate_scan_duration_seconds_count`:                         3,
		`tlsgate_sessions_in_flight`:                                  0,
		`tlsgate_errors_total{kind="panic"}`:                          0,
		`tlsgate_errors_total{kind="notice"}`:                         0,
		`tlsgate_build_info{version="dev"}`:                           1,
	} {
		if got, ok := m[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	if b := m["tlsgate_scanned_bytes_total"]; b < 50 {
		t.Errorf("tlsgate_scanned_bytes_total = %v, want the two scanned messages' size", b)
	}
	if _, ok := m["process_resident_memory_bytes"]; !ok {
		t.Errorf("no process metrics")
	}
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "010285") || strings.Contains(string(b), "bente") {
			t.Errorf("metrics expose message or user data")
		}
	}
}
