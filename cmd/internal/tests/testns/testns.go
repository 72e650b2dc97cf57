// Package testns runs a real-MTA test binary in a private mount namespace
// where /etc/postfix is a private, writable copy, so the tests never touch
// the machine's own Postfix configuration.
//
// Postfix's set-gid programs (postdrop behind sendmail(1), postqueue) accept
// a non-default configuration directory only when the default main.cf lists
// it in alternate_config_directories (REFERENCE.md §4, "Test hygiene"). A
// test instance (postfix -c DIR) therefore needs that line in
// /etc/postfix/main.cf: in the namespace that file is the private copy's,
// and the real /etc/postfix may even be mounted read-only.
//
// The test binary's TestMain calls Main. Run as root, Main starts the same
// binary again under unshare(1) with a new mount namespace (propagation
// private: nothing mounted inside is seen outside) and returns its exit
// status; in there, Main bind-mounts a copy of /etc/postfix over it, runs
// the tests and removes the copy. The namespace ends with its last process,
// so a crash leaves nothing mounted and the real files unchanged.
package testns

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// envInside marks the re-executed test binary, inside the namespace.
const envInside = "TLSGATE_TEST_PRIVATE_ETC"

// EtcPostfix is the directory the namespace makes private.
const EtcPostfix = "/etc/postfix"

// Main runs the tests of m in a private mount namespace when it can (as
// root, with unshare(1) allowed to make one and an /etc/postfix to copy)
// and returns the exit status for os.Exit. Otherwise it runs them as they
// are; tests that need the private /etc/postfix ask Active and skip or
// fail.
func Main(m *testing.M) int {
	if os.Getenv(envInside) != "" {
		return inside(m)
	}
	if os.Geteuid() != 0 {
		return m.Run()
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		return m.Run()
	}
	// A container without CAP_SYS_ADMIN cannot make a mount namespace:
	// then the tests run as they are, and those that need it say so.
	if err := exec.Command(unshare, "--mount", "--propagation", "private", "true").Run(); err != nil {
		return m.Run()
	}
	if fi, err := os.Stat(EtcPostfix); err != nil || !fi.IsDir() {
		return m.Run()
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testns:", err)
		return 1
	}
	cmd := exec.Command(unshare, append([]string{"--mount", "--propagation", "private", "--", self}, os.Args[1:]...)...)
	cmd.Env = append(os.Environ(), envInside+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "testns: unshare:", err)
		return 1
	}
}

// inside sets up the private /etc/postfix and runs the tests.
func inside(m *testing.M) int {
	dir, err := privateEtc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testns: private /etc/postfix:", err)
		return 1
	}
	active = true
	code := m.Run()
	if err := syscall.Unmount(EtcPostfix, 0); err != nil {
		fmt.Fprintln(os.Stderr, "testns: unmount", EtcPostfix+":", err)
		return max(code, 1)
	}
	os.RemoveAll(dir)
	return code
}

// active is true once /etc/postfix is the private copy.
var active bool

// Active reports whether this process sees a private /etc/postfix that a
// test may write.
func Active() bool { return active }

// privateEtc copies /etc/postfix into a new temporary directory, all but
// main.cf, which starts empty (what a test instance needs is added by the
// tests, and the machine's settings must not leak into them), and mounts
// the copy over /etc/postfix. The rest (postfix-script, postfix-files,
// dynamicmaps.cf) is what the postfix command reads from there.
func privateEtc() (string, error) {
	dir, err := os.MkdirTemp("", "tlsgate-etc-postfix-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // Postfix's daemons read it
		return "", err
	}
	entries, err := os.ReadDir(EtcPostfix)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Name() == "main.cf" {
			continue
		}
		cp := exec.Command("cp", "-a", filepath.Join(EtcPostfix, e.Name()), dir)
		if out, err := cp.CombinedOutput(); err != nil {
			return "", fmt.Errorf("cp -a %s: %v: %s", e.Name(), err, out)
		}
	}
	mainCF := "# Private copy for tlsgate's tests (cmd/internal/tests/testns); the real\n" +
		"# /etc/postfix is hidden under it in this mount namespace only.\n"
	if err := os.WriteFile(filepath.Join(dir, "main.cf"), []byte(mainCF), 0o644); err != nil {
		return "", err
	}
	if err := syscall.Mount(dir, EtcPostfix, "", syscall.MS_BIND, ""); err != nil {
		return "", fmt.Errorf("bind mount over %s: %w", EtcPostfix, err)
	}
	return dir, nil
}
