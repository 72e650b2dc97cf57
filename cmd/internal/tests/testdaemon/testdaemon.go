// Package testdaemon builds and runs the real tlsgate daemon for the
// end-to-end tests (cmd/internal/tests/e2e with Postfix, cmd/internal/tests/e2esendmail with
// Sendmail), and has the small waiting helpers they share.
package testdaemon

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Daemon is a running tlsgate process.
type Daemon struct {
	Addr     string // host:port of the milter socket
	LogPath  string // the daemon's stderr
	ConfPath string // its configuration file, which a test may rewrite
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error // valid once exited is closed
}

// ModuleRoot is the directory of go.mod, found by walking up from the
// package directory go test runs the test in.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("module root (go.mod) not found above the test directory")
		}
		dir = parent
	}
}

// Build builds ./cmd/tlsgate into a temporary directory, or returns
// TLSGATE_E2E_BIN when set (to test a packaged build).
func Build(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("TLSGATE_E2E_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "tlsgate")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tlsgate")
	cmd.Dir = ModuleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tlsgate: %v\n%s", err, out)
	}
	return bin
}

// Start runs bin with the configuration text config on a free loopback port and waits until it accepts
// connections. The process is stopped when the test ends, and its log is
// printed if the test failed.
func Start(t testing.TB, bin, config string) *Daemon {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "tlsgate.toml")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &Daemon{
		Addr:     FreePort(t),
		LogPath:  filepath.Join(dir, "tlsgate.log"),
		ConfPath: conf,
		exited:   make(chan struct{}),
	}
	logf, err := os.Create(d.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own copy
	d.cmd = exec.Command(bin, "-config", conf, "-listen", "inet:"+d.Addr)
	d.cmd.Stdout = logf
	d.cmd.Stderr = logf
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		d.waitErr = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		d.Stop(t)
		KeepLog(t, d.LogPath)
		if t.Failed() {
			t.Logf("tlsgate log (%s):\n%s", d.LogPath, ReadFile(d.LogPath))
		}
	})
	if err := WaitListening(d.Addr, 15*time.Second, d.ExitError); err != nil {
		t.Fatalf("tlsgate did not start listening on %s: %v\n%s", d.Addr, err, ReadFile(d.LogPath))
	}
	return d
}

// ExitError is nil while the process runs, and says how it ended otherwise.
func (d *Daemon) ExitError() error {
	select {
	case <-d.exited:
		return fmt.Errorf("tlsgate exited: %v", d.waitErr)
	default:
		return nil
	}
}

// Pid is the daemon's process ID.
func (d *Daemon) Pid() int { return d.cmd.Process.Pid }

// Signal sends sig to the daemon.
func (d *Daemon) Signal(t testing.TB, sig os.Signal) {
	t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// WaitExit waits up to timeout for the daemon to exit and returns how it
// ended (nil: status 0).
func (d *Daemon) WaitExit(t testing.TB, timeout time.Duration) error {
	t.Helper()
	select {
	case <-d.exited:
		return d.waitErr
	case <-time.After(timeout):
		t.Fatalf("tlsgate did not exit within %v", timeout)
		return nil
	}
}

// WaitLog waits until the log holds want at least n times and returns the
// log.
func (d *Daemon) WaitLog(t testing.TB, want string, n int) string {
	t.Helper()
	var log string
	if !Poll(30*time.Second, func() bool {
		log = ReadFile(d.LogPath)
		return strings.Count(log, want) >= n
	}) {
		t.Fatalf("log has %q %d times, want %d:\n%s", want, strings.Count(log, want), n, log)
	}
	return log
}

// Stop ends the daemon with SIGTERM (SIGKILL after 10s) and waits for it.
func (d *Daemon) Stop(t testing.TB) {
	t.Helper()
	select {
	case <-d.exited:
		return
	default:
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("signal tlsgate: %v", err)
	}
	select {
	case <-d.exited:
	case <-time.After(10 * time.Second):
		t.Errorf("tlsgate ignored SIGTERM for 10s; killing it")
		d.cmd.Process.Kill()
		<-d.exited
	}
}

// ReadFile returns a file's content, or the error reading it, for logs.
func ReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// FreePort returns a loopback TCP address nobody listens on right now.
func FreePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// WaitListening polls addr until it accepts a TCP connection. alive, when
// not nil, reports why waiting is pointless (the server process died).
func WaitListening(addr string, timeout time.Duration, alive func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if alive != nil {
			if aerr := alive(); aerr != nil {
				return aerr
			}
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Poll calls cond every 100ms until it returns true or timeout passes.
func Poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Shipped returns a file of packaging/SUBDIR, so the end-to-end tests run
// exactly what is shipped.
func Shipped(t testing.TB, subdir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ModuleRoot(t), "packaging", subdir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// WriteFile writes content to path (mode 0644) or fails the test.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// LogDirEnv names the directory where tests leave a copy of every log
// tlsgate wrote, for the whole-suite scan (cmd/internal/tests/logscan).
const LogDirEnv = "TLSGATE_LOG_DIR"

// KeepLog copies the log or audit file at path into $TLSGATE_LOG_DIR, when
// set, under a name made from the test's name. A missing file is skipped.
func KeepLog(t testing.TB, path string) {
	t.Helper()
	dir := os.Getenv(LogDirEnv)
	if dir == "" {
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("log dir: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "-" + filepath.Base(path)
	f, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		t.Errorf("log dir: %v", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Errorf("log dir: %v", err)
	}
}
