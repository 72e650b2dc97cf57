package e2esendmail

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// daemonConfig is the whole tlsgate configuration for these tests: defaults
// everywhere, and a refused opt-out is delivered with TLS required.
const daemonConfig = "refused_action = \"enforce\"\n"

// daemon is a running tlsgate process.
type daemon struct {
	cmd     *exec.Cmd
	addr    string // host:port of the milter socket
	logPath string // the daemon's stderr
	exited  chan struct{}
	waitErr error // valid once exited is closed
}

// moduleRoot is the directory of go.mod, two levels above this package
// (go test runs tests in the package directory).
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

// buildDaemon builds ./cmd/tlsgate into a temporary directory, or returns
// TLSGATE_E2E_BIN when set (to test a packaged build).
func buildDaemon(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("TLSGATE_E2E_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "tlsgate")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tlsgate")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tlsgate: %v\n%s", err, out)
	}
	return bin
}

// startDaemon runs bin on a free loopback port and waits until it accepts
// connections. The process is stopped when the test ends, and its log is
// printed if the test failed.
func startDaemon(t *testing.T, bin, config string) *daemon {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "tlsgate.toml")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &daemon{
		addr:    freePort(t),
		logPath: filepath.Join(dir, "tlsgate.log"),
		exited:  make(chan struct{}),
	}
	logf, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own copy
	d.cmd = exec.Command(bin, "-config", conf, "-listen", "inet:"+d.addr)
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
		d.stop(t)
		if t.Failed() {
			t.Logf("tlsgate log (%s):\n%s", d.logPath, readFile(d.logPath))
		}
	})
	if err := waitListening(d.addr, 15*time.Second, d.exitError); err != nil {
		t.Fatalf("tlsgate did not start listening on %s: %v\n%s", d.addr, err, readFile(d.logPath))
	}
	return d
}

// exitError is nil while the process runs, and says how it ended otherwise.
func (d *daemon) exitError() error {
	select {
	case <-d.exited:
		return fmt.Errorf("tlsgate exited: %v", d.waitErr)
	default:
		return nil
	}
}

// stop ends the daemon with SIGTERM (SIGKILL after 10s) and waits for it.
func (d *daemon) stop(t *testing.T) {
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

// readFile returns a file's content, or the error reading it, for logs.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
