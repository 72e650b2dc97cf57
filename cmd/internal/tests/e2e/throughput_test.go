package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Throughput run parameters: smtp-source's -m, -s and -l.
const (
	tpRounds   = 3
	tpMessages = 500 // per path and round
	tpSessions = 10
	tpBodySize = 1024
	tpWarmup   = 100

	sinkAddr = "127.0.0.8:25"
	sinkRcpt = "bob@[127.0.0.8]"
)

// TestPostfixThroughput measures messages per second through the real
// Postfix, smtp-source -> Postfix -> smtp-sink, through three smtpd
// services of one instance: without a milter, with a milter that only adds
// the routing header (cmd/internal/tests/e2e/headermilter: what the milter
// protocol costs Postfix), and with tlsgate. The paths take turns, tpRounds
// times, and the median of each is reported. The test logs the figures and
// asserts only that every message arrived, never a speed. The figures
// depend on whatever else the machine runs: the load average is logged.
//
// smtp-sink offers no STARTTLS, so TLS-required mail could never reach it:
// the messages carry the opt-out tag and a harmless body, tlsgate grants
// the opt-out and Postfix delivers them in clear through smtp-tls-optional.
// The smtpd without a milter sends its mail to the same transport with
// content_filter, so all paths deliver the same way and differ only by the
// milter. Two rates are reported: acceptance (smtp-source's time: smtpd,
// milter, cleanup, queue file written) and end to end (until Postfix has
// logged every delivery to smtp-sink).
func TestPostfixThroughput(t *testing.T) {
	prerequisites(t)
	source, sink := needTool(t, "smtp-source"), needTool(t, "smtp-sink")
	mp := newMilterProc(t, buildDaemon(t))
	hmAddr := startHeaderMilter(t)
	plainAddr, hmSmtpd := freePort(t), freePort(t)
	pf := startPostfixWith(t, "inet:"+mp.addr, instanceOptions{
		name:   loadInstance,
		mainCF: "enable_long_queue_ids = yes\n",
		masterCF: plainAddr + " inet n - n - - smtpd\n" +
			"  -o smtpd_milters=\n" +
			"  -o content_filter=smtp-tls-optional:\n" +
			hmSmtpd + " inet n - n - - smtpd\n" +
			"  -o smtpd_milters=inet:" + hmAddr + "\n",
	})
	for _, a := range []string{plainAddr, hmSmtpd} {
		if err := waitListening(a, wait, nil); err != nil {
			t.Fatalf("second smtpd on %s: %v", a, err)
		}
	}

	startSink(t, sink)
	runs := []struct {
		name, addr string
	}{
		{"without milter", plainAddr},
		{"header-only milter", hmSmtpd},
		{"with tlsgate", pf.smtpAddr},
	}
	sent, deferred := 0, 0
	for _, r := range runs { // warm both paths up (process start, caches)
		_, _, d := sinkRun(t, source, pf, r.addr, tpWarmup, tpSessions)
		deferred += d
		sent += tpWarmup
	}
	// Rounds interleave the paths (in a rotating order), so that a change
	// in the machine's background load hits all of them alike.
	acceptRates := make([][]float64, len(runs))
	totalRates := make([][]float64, len(runs))
	for round := range tpRounds {
		for j := range runs {
			i := (j + round) % len(runs)
			accept, total, d := sinkRun(t, source, pf, runs[i].addr, tpMessages, tpSessions)
			deferred += d
			sent += tpMessages
			acceptRates[i] = append(acceptRates[i], float64(tpMessages)/accept.Seconds())
			totalRates[i] = append(totalRates[i], float64(tpMessages)/total.Seconds())
			if n := countLog(pf, sentToSink...); n != sent {
				t.Errorf("%s: maillog shows %d deliveries to smtp-sink, want %d", runs[i].name, n, sent)
			}
		}
	}
	var summary []string
	for i, r := range runs {
		line := fmt.Sprintf("%s: accepted %.0f msg/s (rounds %s), delivered to smtp-sink %.0f msg/s (rounds %s)",
			r.name, median(acceptRates[i]), rates(acceptRates[i]), median(totalRates[i]), rates(totalRates[i]))
		t.Log(line)
		summary = append(summary, line)
	}
	throughTLSGate := tpWarmup + tpRounds*tpMessages

	// Every message through tlsgate was a granted opt-out, and took the
	// optional transport; none through the other smtpd touched tlsgate.
	audit, _ := mp.audit(t)
	granted := 0
	for _, recs := range audit {
		for _, rec := range recs {
			if rec.Decision == "optout-granted" {
				granted++
			}
		}
	}
	if want := throughTLSGate; granted != want {
		t.Errorf("tlsgate granted %d opt-outs, want %d (one per message through its smtpd)", granted, want)
	}
	// Both milters add the header.
	if n := countLog(pf, "milter-header-filter: header X-TLSGate-Policy: opportunistic", ": smtp-tls-optional:"); n != 2*throughTLSGate {
		t.Errorf("maillog shows %d opportunistic routes, want %d", n, 2*throughTLSGate)
	}
	if q := pf.queue(t); len(q) != 0 {
		t.Errorf("%d messages left in the queue", len(q))
	}
	t.Logf("SUMMARY throughput, Postfix %s, load average %s, %d rounds of %d msgs of %d B body per path, %d sessions, medians: %s; deliveries deferred and retried: %d",
		postfixVersion(t), loadAvg(), tpRounds, tpMessages, tpBodySize, tpSessions, strings.Join(summary, "; "), deferred)
}

// loadAvg is the 1-, 5- and 15-minute load average, or "?".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func rates(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.0f", x))
	}
	return strings.Join(s, "/")
}

// startHeaderMilter builds and runs cmd/internal/tests/e2e/headermilter until
// the test ends, and returns its address.
func startHeaderMilter(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "headermilter")
	build := exec.Command("go", "build", "-o", bin, "./cmd/internal/tests/e2e/headermilter")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build headermilter: %v\n%s", err, out)
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "-listen", addr)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	if err := waitListening(addr, wait, nil); err != nil {
		t.Fatalf("headermilter not listening on %s: %v\n%s", addr, err, out.String())
	}
	return addr
}

// startSink runs smtp-sink on sinkAddr until the test ends. (Its -M,
// exit after N messages, exits before its last 250 reply, so Postfix
// defers that message: the deliveries are counted in the maillog instead.)
func startSink(t *testing.T, sink string) {
	t.Helper()
	sk := exec.Command(sink, "-u", "postfix", sinkAddr, "256")
	var out strings.Builder
	sk.Stdout, sk.Stderr = &out, &out
	if err := sk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sk.Process.Kill()
		sk.Wait()
	})
	if err := waitListening(sinkAddr, wait, nil); err != nil {
		t.Fatalf("smtp-sink not listening: %v\n%s", err, out.String())
	}
}

// sinkRun sends n messages with smtp-source to addr over `sessions`
// parallel sessions and returns how long smtp-source took (every message
// accepted), how long until Postfix had delivered them all to smtp-sink,
// and how many delivery attempts were deferred on the way. A delivery
// that stalls (smtp-sink on a loaded machine can drop a connection) is
// retried with postqueue -f rather than after Postfix's backoff.
func sinkRun(t *testing.T, source string, pf *instance, addr string, n, sessions int) (accept, total time.Duration, deferred int) {
	t.Helper()
	f := &logFollower{path: pf.maillog}
	f.lines() // skip what is already there
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	src := exec.CommandContext(ctx, source, "-s", strconv.Itoa(sessions), "-m", strconv.Itoa(n),
		"-l", strconv.Itoa(tpBodySize), "-f", sender, "-t", sinkRcpt,
		"-S", "[unsecure] throughput", "-M", "client.tlsgate-e2e.test", addr)
	if out, err := src.CombinedOutput(); err != nil {
		t.Fatalf("smtp-source (after %v): %v\n%s\nqueue: %s", time.Since(start), err, out, queueSummary(t, pf))
	}
	accept = time.Since(start)
	delivered := 0
	deadline := time.Now().Add(2 * time.Minute)
	progress := time.Now()
	for delivered < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages delivered to smtp-sink within 2m (%d attempts deferred); queue: %s",
				delivered, n, deferred, queueSummary(t, pf))
		}
		time.Sleep(20 * time.Millisecond)
		before := delivered
		for _, l := range f.lines() {
			switch {
			case containsAll(l, sentToSink...):
				delivered++
			case containsAll(l, "to=<"+sinkRcpt+">", "status=deferred"):
				if deferred++; deferred <= 3 {
					t.Logf("deferred: %s", l)
				}
			}
		}
		if delivered > before {
			progress = time.Now()
		} else if time.Since(progress) > 5*time.Second {
			run(t, "postqueue", "-c", pf.confDir, "-f")
			progress = time.Now()
		}
	}
	return accept, time.Since(start), deferred
}

// queueSummary describes the queue for a failure message.
func queueSummary(t *testing.T, pf *instance) string {
	q := pf.queue(t)
	by := make(map[string]int)
	for _, m := range q {
		reason := ""
		if len(m.Recipients) > 0 {
			reason = m.Recipients[0].DelayReason
		}
		by[m.QueueName+" "+reason]++
	}
	return fmt.Sprintf("%d messages %v", len(q), by)
}

// sentToSink are the parts of a maillog line for a delivery to smtp-sink.
var sentToSink = []string{"relay=127.0.0.8[127.0.0.8]:25", "status=sent"}

// logFollower reads a growing log from where it last stopped.
type logFollower struct {
	path    string
	off     int64
	partial string
}

// lines returns the complete lines added since the last call.
func (f *logFollower) lines() []string {
	fh, err := os.Open(f.path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	b, _ := io.ReadAll(io.NewSectionReader(fh, f.off, 1<<40))
	f.off += int64(len(b))
	lines := strings.Split(f.partial+string(b), "\n")
	f.partial = lines[len(lines)-1]
	return lines[:len(lines)-1]
}

// count returns how many new complete lines contain all of parts.
func (f *logFollower) count(parts ...string) int {
	n := 0
	for _, l := range f.lines() {
		if containsAll(l, parts...) {
			n++
		}
	}
	return n
}

// needTool finds a Postfix test program or skips (fails with
// TLSGATE_E2E=require).
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := sbin(name)
	if err != nil {
		if isRequired() {
			t.Fatalf("%s not found (package postfix); TLSGATE_E2E=require makes this a failure", name)
		}
		t.Skipf("%s not found (package postfix)", name)
	}
	return path
}

func isRequired() bool { return os.Getenv("TLSGATE_E2E") == requireEnv }

// countLog counts maillog lines that contain all of parts.
func countLog(p *instance, parts ...string) int {
	n := 0
	for _, l := range p.logLines() {
		if containsAll(l, parts...) {
			n++
		}
	}
	return n
}

func postfixVersion(t *testing.T) string {
	return strings.TrimSpace(run(t, "postconf", "-h", "mail_version"))
}
