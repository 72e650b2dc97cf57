package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// milterProc is a tlsgate process that a test can kill, freeze and start
// again on the same address (Postfix's smtpd_milters names one address),
// appending to one log and one audit file across restarts.
type milterProc struct {
	bin, conf, addr  string
	logPath, auditAt string

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	started int // processes started so far
}

// newMilterProc writes the configuration (daemonConfig plus a JSON audit
// file) and starts tlsgate. It is killed when the test ends.
func newMilterProc(t *testing.T, bin string) *milterProc {
	t.Helper()
	dir := t.TempDir()
	m := &milterProc{
		bin: bin, conf: dir + "/tlsgate.toml", addr: freePort(t),
		logPath: dir + "/tlsgate.log", auditAt: dir + "/audit.jsonl",
	}
	writeFile(t, m.conf, daemonConfig+fmt.Sprintf("\n[audit]\nfile = %q\n", m.auditAt))
	t.Cleanup(func() {
		m.signal(syscall.SIGCONT)
		m.kill()
		testdaemon.KeepLog(t, m.logPath) // for the whole-suite log scan
		testdaemon.KeepLog(t, m.auditAt)
		if t.Failed() {
			t.Logf("tlsgate log (%s, %d processes):\n%s", m.logPath, m.started, tail(readFile(m.logPath), 60))
		}
	})
	if err := m.start(); err != nil {
		t.Fatal(err)
	}
	return m
}

// start runs a new process (the previous one must have exited) and waits
// until it accepts connections. It does not use t, so the goroutine that
// kills and restarts tlsgate can call it.
func (m *milterProc) start() error {
	logf, err := os.OpenFile(m.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close() // the child has its own copy
	cmd := exec.Command(m.bin, "-config", m.conf, "-listen", "inet:"+m.addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	m.mu.Lock()
	m.cmd, m.exited = cmd, exited
	m.started++
	m.mu.Unlock()
	alive := func() error {
		select {
		case <-exited:
			return fmt.Errorf("tlsgate exited: %v", waitErr)
		default:
			return nil
		}
	}
	if err := waitListening(m.addr, 15*time.Second, alive); err != nil {
		return fmt.Errorf("tlsgate did not listen on %s: %v\n%s", m.addr, err, tail(readFile(m.logPath), 20))
	}
	return nil
}

// signal sends sig to the current process, if it runs. For SIGSTOP it
// waits (up to a second) until the kernel shows every thread of the
// process stopped, so that what the test does next meets a frozen tlsgate
// and not one still finishing a message.
func (m *milterProc) signal(sig syscall.Signal) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd == nil {
		return
	}
	m.cmd.Process.Signal(sig)
	if sig == syscall.SIGSTOP {
		waitStopped(m.cmd.Process.Pid, time.Second)
	}
}

// waitStopped polls /proc until every thread of pid is in state T
// (stopped), or the time is up.
func waitStopped(pid int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
		stopped := len(tasks) > 0
		for _, f := range tasks {
			b, err := os.ReadFile(f)
			// The state follows the command name in parentheses.
			if i := bytes.LastIndexByte(b, ')'); err != nil || i < 0 || i+2 >= len(b) || b[i+2] != 'T' {
				stopped = false
				break
			}
		}
		if stopped {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// kill ends the current process with SIGKILL and waits until it is gone,
// so its port is free again.
func (m *milterProc) kill() {
	m.signal(syscall.SIGKILL)
	m.wait()
}

// stop ends the current process with SIGTERM (it drains) and waits.
func (m *milterProc) stop(t *testing.T) {
	t.Helper()
	m.signal(syscall.SIGTERM)
	select {
	case <-m.exitedChan():
	case <-time.After(40 * time.Second):
		t.Errorf("tlsgate ignored SIGTERM for 40s; killing it")
		m.kill()
	}
}

func (m *milterProc) wait() { <-m.exitedChan() }

func (m *milterProc) exitedChan() chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.exited == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return m.exited
}

// running reports whether the current process has not exited.
func (m *milterProc) running() bool {
	select {
	case <-m.exitedChan():
		return false
	default:
		return true
	}
}

// auditRecord is the part of tlsgate's JSON audit record the tests use.
type auditRecord struct {
	QueueID  string   `json:"queue_id"`
	Decision string   `json:"decision"`
	Reasons  []string `json:"reasons"`
}

// audit reads the audit file: the records by queue ID, and the number of
// lines that do not parse (a process killed mid-write could leave one).
func (m *milterProc) audit(t *testing.T) (map[string][]auditRecord, int) {
	t.Helper()
	b, err := os.ReadFile(m.auditAt)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	recs := make(map[string][]auditRecord)
	bad := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r auditRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.QueueID == "" {
			bad++
			continue
		}
		recs[r.QueueID] = append(recs[r.QueueID], r)
	}
	return recs, bad
}
