package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// rssProbe measures a process's resident memory around a run (-rss PID):
// VmRSS before (idle) and VmHWM, the peak, after. The peak is reset first
// (writing 5 to /proc/PID/clear_refs, Linux 4.0+, same user or root), so
// an earlier, larger run does not count; when that fails it is said.
type rssProbe struct {
	pid     int
	idleKB  int64
	resetOK bool
}

func startRSS(pid int) (*rssProbe, error) {
	p := &rssProbe{pid: pid}
	p.resetOK = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
	var err error
	p.idleKB, err = procStatus(pid, "VmRSS")
	return p, err
}

// report prints the figures; the line is stable, for scripts and tests:
//
//	rss pid=123 idle_kb=9000 peak_kb=50000 above_idle_kb=41000 hwm_reset=true
func (p *rssProbe) report() error {
	peak, err := procStatus(p.pid, "VmHWM")
	if err != nil {
		return err
	}
	fmt.Printf("rss pid=%d idle_kb=%d peak_kb=%d above_idle_kb=%d hwm_reset=%t (idle %.1f MiB, peak %.1f MiB, above idle %.1f MiB)\n",
		p.pid, p.idleKB, peak, peak-p.idleKB, p.resetOK,
		float64(p.idleKB)/1024, float64(peak)/1024, float64(peak-p.idleKB)/1024)
	return nil
}

// procStatus reads one "Key:   N kB" line of /proc/PID/status.
func procStatus(pid int, key string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, key, err)
		}
		return n, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s line", pid, key)
}
