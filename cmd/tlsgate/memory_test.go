package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// TestPeakMemory checks issue #5's memory budget on the real binary: one
// 50 MB message costs at most 64 MB of resident memory above idle, eight
// concurrent 20 MB messages at most 256 MB. Each case gets a fresh daemon
// and is driven by cmd/tlsgate-load (-gen, -rss), exactly as an operator
// reproduces it; the figures come from /proc/PID/status (VmRSS at idle,
// VmHWM after). The messages are tagged [unsecure] and clean, so the
// classifier reads every byte and must grant the opt-out; they are sent in
// 65535-byte body chunks, as Postfix does.
func TestPeakMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 50 MB messages to the real daemon")
	}
	bin := testdaemon.Build(t)
	load := filepath.Join(t.TempDir(), "tlsgate-load")
	build := exec.Command("go", "build", "-o", load, "./cmd/tlsgate-load")
	build.Dir = testdaemon.ModuleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tlsgate-load: %v\n%s", err, out)
	}
	const mib = 1 << 10 // in kB
	tests := []struct {
		kind, size string
		conc       int
		maxKB      int64
	}{
		{"plain", "50M", 1, 64 * mib},
		{"b64text", "50M", 1, 64 * mib},
		{"zip", "50M", 1, 64 * mib},
		{"plain", "20M", 8, 256 * mib},
		{"b64text", "20M", 8, 256 * mib},
		{"zip", "20M", 8, 256 * mib},
	}
	// No scan deadline on a shared, slow machine: the decision must not
	// depend on timing.
	const config = "[limits]\nscan_timeout = \"1h\"\n"
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%dx%s-%s", tc.conc, tc.size, tc.kind), func(t *testing.T) {
			p := testdaemon.Start(t, bin, config)
			cmd := exec.Command(load, "-addr", "inet:"+p.Addr, "-gen", tc.kind, "-size", tc.size,
				"-c", strconv.Itoa(tc.conc), "-rss", strconv.Itoa(p.Pid()))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("tlsgate-load: %v\n%s", err, out)
			}
			want := fmt.Sprintf("decisions opportunistic=%d\n", tc.conc)
			if !regexp.MustCompile(regexp.QuoteMeta(want)).Match(out) {
				t.Errorf("want every message granted (%q): the classifier did not read them to the end\n%s", want, out)
			}
			m := rssLine.FindSubmatch(out)
			if m == nil {
				t.Fatalf("no rss line in the output:\n%s", out)
			}
			idle, _ := strconv.ParseInt(string(m[1]), 10, 64)
			peak, _ := strconv.ParseInt(string(m[2]), 10, 64)
			t.Logf("idle %.1f MiB, peak %.1f MiB, above idle %.1f MiB (budget %d MiB)",
				float64(idle)/mib, float64(peak)/mib, float64(peak-idle)/mib, tc.maxKB/mib)
			if string(m[3]) != "true" {
				t.Errorf("the peak could not be reset (/proc/PID/clear_refs); the figure may be too high")
			}
			if peak-idle > tc.maxKB {
				t.Errorf("peak RSS %.1f MiB above idle, budget %d MiB", float64(peak-idle)/mib, tc.maxKB/mib)
			}
		})
	}
}

var rssLine = regexp.MustCompile(`rss pid=\d+ idle_kb=(\d+) peak_kb=(\d+) above_idle_kb=-?\d+ hwm_reset=(\w+)`)
