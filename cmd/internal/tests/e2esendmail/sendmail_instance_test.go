package e2esendmail

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostName is the fully qualified name Sendmail runs under: without one it
// sleeps 60 seconds at every start (REFERENCE.md §3), so every sendmail
// process runs in its own UTS namespace with this name.
const hostName = "relay.test.local"

// instance is a private Sendmail: its own .cf, queue and access map, in a
// directory under the cache directory (not /tmp: Sendmail refuses map files
// under a world-writable directory).
type instance struct {
	root string // unpacked packages
	dir  string
	cf   string
	addr string // 127.0.0.1:port of its SMTP daemon
	cmd  *exec.Cmd
	done chan struct{}
}

// testMC is the test's own part of the .mc; the shipped fragment follows it
// with the milter address substituted, and MAILER lines come last.
const testMC = `divert(-1)
divert(0)dnl
include(` + "`" + `@ROOT@/usr/share/sendmail/cf/m4/cf.m4')dnl
OSTYPE(` + "`" + `linux')dnl
define(` + "`" + `confDOMAIN_NAME', ` + "`" + `relay.test.local')dnl
define(` + "`" + `QUEUE_DIR', ` + "`" + `@DIR@/queue')dnl
define(` + "`" + `confPID_FILE', ` + "`" + `@DIR@/sendmail.pid')dnl
define(` + "`" + `STATUS_FILE', ` + "`" + `@DIR@/statistics')dnl
define(` + "`" + `ALIAS_FILE', ` + "`" + `@DIR@/aliases')dnl
define(` + "`" + `confFORWARD_PATH', ` + "`" + `@DIR@/forward/$u')dnl
define(` + "`" + `confHOST_STATUS_DIRECTORY', ` + "`" + `')dnl
define(` + "`" + `confDONT_PROBE_INTERFACES', ` + "`" + `True')dnl
define(` + "`" + `confRUN_AS_USER', ` + "`" + `root:root')dnl
define(` + "`" + `confTO_QUEUEWARN', ` + "`" + `1d')dnl
DAEMON_OPTIONS(` + "`" + `Port=@PORT@, Addr=127.0.0.1, Name=MTA')dnl
FEATURE(` + "`" + `accept_unresolvable_domains')dnl
`

// startSendmail writes the .cf from testMC plus the shipped tlsgate.mc
// (milter address and access-map path adjusted), builds the access map from
// the shipped access.example and the (empty) aliases, and runs sendmail -bD
// (daemon, foreground) with a queue run every 5s. With mapAddr (tlsgate's
// token map, HOST:PORT) it adds the shipped tlsgate-optout.mc and
// access-optout.example: the envelope channel.
func startSendmail(t *testing.T, root, milterAddr, mapAddr string) *instance {
	t.Helper()
	cache, err := cacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(cache, "run-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		}
	})
	if err := os.Mkdir(filepath.Join(dir, "queue"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "forward"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := &instance{root: root, dir: dir, cf: filepath.Join(dir, "test.cf"), addr: freePort(t), done: make(chan struct{})}
	_, port, _ := strings.Cut(s.addr, ":")
	mhost, mport, _ := strings.Cut(milterAddr, ":")

	shipped := shippedFile(t, "tlsgate.mc")
	shipped = strings.Replace(shipped, "S=inet:8898@127.0.0.1", "S=inet:"+mport+"@"+mhost, 1)
	shipped = strings.Replace(shipped, "/etc/mail/access", filepath.Join(dir, "access"), 1)
	if !strings.Contains(shipped, "S=inet:"+mport) || !strings.Contains(shipped, filepath.Join(dir, "access")) {
		t.Fatal("tlsgate.mc: milter socket or access map line not found")
	}
	mc := strings.NewReplacer("@ROOT@", root, "@DIR@", dir, "@PORT@", port).Replace(testMC) +
		shipped + "MAILER(`smtp')dnl\n"
	access := shippedFile(t, "access.example")
	if mapAddr != "" {
		host, port, _ := strings.Cut(mapAddr, ":")
		optout := shippedFile(t, "tlsgate-optout.mc")
		optout = strings.Replace(optout, "`inet:8899@127.0.0.1'", "`inet:"+port+"@"+host+"'", 1)
		if !strings.Contains(optout, "inet:"+port+"@"+host) {
			t.Fatal("tlsgate-optout.mc: TLSGATE_MAP definition not found")
		}
		mc += optout
		access = shippedFile(t, "access-optout.example")
	}
	writeFile(t, filepath.Join(dir, "test.mc"), mc)
	m4 := exec.Command("m4", filepath.Join(dir, "test.mc"))
	cf, err := m4.Output()
	if err != nil {
		t.Fatalf("m4 test.mc: %v", err)
	}
	writeFile(t, s.cf, string(cf))
	writeFile(t, filepath.Join(dir, "access"), access)
	mk := exec.Command(filepath.Join(root, "usr/sbin/makemap"), "-C", s.cf, "hash", filepath.Join(dir, "access"))
	mk.Stdin, _ = os.Open(filepath.Join(dir, "access"))
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("makemap: %v\n%s", err, out)
	}

	s.setAliases(t, "")

	s.cmd = s.command("-bD", "-q5s")
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, err := os.Create(filepath.Join(dir, "sendmail.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.stop() })
	dead := func() error {
		select {
		case <-s.done:
			return fmt.Errorf("sendmail exited:\n%s", readFile(filepath.Join(dir, "sendmail.log")))
		default:
			return nil
		}
	}
	if err := waitListening(s.addr, 30*time.Second, dead); err != nil {
		t.Fatalf("sendmail did not listen on %s: %v", s.addr, err)
	}
	return s
}

// command runs the unpacked sendmail with the test .cf in its own UTS
// namespace named hostName. unshare execs the shell, the shell execs
// sendmail: the process is sendmail itself.
func (s *instance) command(args ...string) *exec.Cmd {
	sh := `hostname "$0" && exec "$@"`
	full := append([]string{"--uts", "sh", "-c", sh, hostName, filepath.Join(s.root, sendmailBin), "-C", s.cf}, args...)
	return exec.Command("unshare", full...)
}

// stop ends the daemon and the queue runners it forked (its process group).
func (s *instance) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// queue is the output of sendmail -bp (mailq): queue IDs with the reason
// of the last deferral.
func (s *instance) queue(t *testing.T) string {
	t.Helper()
	out, err := s.command("-bp").CombinedOutput()
	if err != nil {
		t.Fatalf("sendmail -bp: %v\n%s", err, out)
	}
	return string(out)
}

// setAliases writes the instance's aliases file (postmaster and the given
// lines) and rebuilds its database (newaliases); the daemon's deliveries
// read it afresh.
func (s *instance) setAliases(t *testing.T, lines string) {
	t.Helper()
	writeFile(t, filepath.Join(s.dir, "aliases"), "postmaster: root\n"+lines)
	if out, err := s.command("-bi").CombinedOutput(); err != nil {
		t.Fatalf("sendmail -bi: %v\n%s", err, out)
	}
}

// setForward writes user's forward file ($u under the instance's
// ForwardPath).
func (s *instance) setForward(t *testing.T, user, content string) {
	t.Helper()
	writeFile(t, filepath.Join(s.dir, "forward", user), content)
}
