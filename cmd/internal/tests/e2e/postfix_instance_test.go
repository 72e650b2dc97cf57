package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Names in the shipped snippets that the test replaces: the milter address
// and the directory of the lookup tables. Nothing else is changed.
const (
	exampleMilter  = "inet:127.0.0.1:8898"
	exampleConfDir = "/etc/postfix/"
	// The package installs the notice files (bounce templates, TLS status
	// filter) as conffiles in /etc/tlsgate/; the test puts them beside the
	// tables.
	exampleTLSGateDir = "/etc/tlsgate/"
)

// instance is a private Postfix started with postfix -c.
type instance struct {
	base     string // everything of this instance lives below it
	confDir  string // main.cf, master.cf and the lookup tables
	maillog  string // maillog_file: postfix start prints nothing useful
	smtpAddr string // smtpd on loopback
}

// startPostfix writes and starts a private Postfix that hands mail to the
// milter at milterAddr ("inet:host:port") with packaging/postfix's settings.
func startPostfix(t *testing.T, milterAddr string) *instance {
	return startPostfixWith(t, milterAddr, instanceOptions{})
}

// instanceOptions varies a test instance. The zero value is TestPostfix's.
type instanceOptions struct {
	// name is the directory below $TMPDIR; "" means tlsgate-e2e-postfix.
	name string
	// mainCF is appended to main.cf after the shipped snippet (later lines
	// win), masterCF to master.cf.
	mainCF, masterCF string
	// confFiles are written below the configuration directory before
	// Postfix starts (name relative to it: "sasl/smtpd.conf").
	confFiles map[string]string
}

// startPostfixWith is startPostfix with options.
func startPostfixWith(t *testing.T, milterAddr string, opts instanceOptions) *instance {
	t.Helper()
	if opts.name == "" {
		opts.name = "tlsgate-e2e-postfix"
	}
	p := &instance{base: filepath.Join(os.TempDir(), opts.name)}
	p.confDir = filepath.Join(p.base, "etc")
	p.maillog = filepath.Join(p.base, "maillog")
	p.smtpAddr = freePort(t)

	p.stopStale(t)
	p.makeDirs(t)
	allowConfigDir(t, p.confDir)
	p.writeConfig(t, milterAddr)
	if opts.mainCF != "" || opts.masterCF != "" {
		appendFile(t, filepath.Join(p.confDir, "main.cf"), "\n# ---- test options ----\n"+opts.mainCF)
		appendFile(t, filepath.Join(p.confDir, "master.cf"), "\n# ---- test options ----\n"+opts.masterCF)
	}

	for name, content := range opts.confFiles {
		path := filepath.Join(p.confDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, content)
	}
	run(t, "postfix", "-c", p.confDir, "check")
	t.Cleanup(func() { p.stop(t) })
	path, _ := sbin("postfix")
	if out, err := command(path, "-c", p.confDir, "start"); err != nil {
		t.Fatalf("postfix -c %s start: %v\n%s\nmaillog:\n%s", p.confDir, err, out, readFile(p.maillog))
	}
	if err := waitListening(p.smtpAddr, 15*time.Second, nil); err != nil {
		t.Fatalf("Postfix smtpd not listening on %s: %v\nmaillog:\n%s", p.smtpAddr, err, readFile(p.maillog))
	}
	return p
}

// stopStale stops an instance a killed earlier run may have left running in
// the same directory, so it can be replaced.
func (p *instance) stopStale(t *testing.T) {
	if _, err := os.Stat(filepath.Join(p.confDir, "main.cf")); err != nil {
		return
	}
	path, err := sbin("postfix")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := command(path, "-c", p.confDir, "status"); err == nil {
		command(path, "-c", p.confDir, "stop")
	}
}

// makeDirs creates the instance's directories. Postfix's daemons run as the
// postfix user and must reach the queue, and the data directory must belong
// to postfix (postfix check insists).
func (p *instance) makeDirs(t *testing.T) {
	t.Helper()
	if err := os.RemoveAll(p.base); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{p.base, p.confDir, p.dir("spool"), p.dir("data")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // whatever the umask
			t.Fatal(err)
		}
	}
	u, err := user.Lookup("postfix")
	if err != nil {
		t.Fatalf("postfix user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(p.dir("data"), uid, gid); err != nil {
		t.Fatal(err)
	}
}

func (p *instance) dir(name string) string { return filepath.Join(p.base, name) }

// writeConfig writes main.cf and master.cf in full: the settings a test
// instance needs, followed by the shipped snippets with only the milter
// address and table paths replaced. Later main.cf lines win in Postfix, but
// the two parts set disjoint parameters.
func (p *instance) writeConfig(t *testing.T, milterAddr string) {
	t.Helper()
	for _, table := range []string{"tlsgate_milter_header_checks", "tlsgate_strip", "tlsgate_bounce.cf", "tlsgate_tls_status"} {
		writeFile(t, filepath.Join(p.confDir, table), shipped(t, "postfix", table))
	}
	mainExample := shipped(t, "postfix", "main.cf.example")
	if n := strings.Count(mainExample, exampleMilter); n != 1 {
		t.Fatalf("main.cf.example: want the milter address %s once, found %d times", exampleMilter, n)
	}
	mainExample = strings.Replace(mainExample, exampleMilter, milterAddr, 1)
	writeFile(t, filepath.Join(p.confDir, "main.cf"),
		p.baseMainCF()+"\n# ---- packaging/postfix/main.cf.example ----\n"+p.localPaths(t, mainExample))
	masterExample := shipped(t, "postfix", "master.cf.example")
	writeFile(t, filepath.Join(p.confDir, "master.cf"),
		p.baseMasterCF()+"\n# ---- packaging/postfix/master.cf.example ----\n"+p.localPaths(t, masterExample))
}

// localPaths points /etc/postfix/ table references at the instance's copy.
func (p *instance) localPaths(t *testing.T, s string) string {
	t.Helper()
	if !strings.Contains(s, exampleConfDir) {
		t.Fatalf("shipped snippet no longer mentions %s; update the test", exampleConfDir)
	}
	s = strings.ReplaceAll(s, exampleTLSGateDir, p.confDir+"/")
	return strings.ReplaceAll(s, exampleConfDir, p.confDir+"/")
}

// baseMainCF is what any private test instance needs; see REFERENCE.md §2
// "Testing without DNS".
func (p *instance) baseMainCF() string {
	return fmt.Sprintf(`# Private tlsgate end-to-end test instance (cmd/internal/tests/e2e).
compatibility_level = 3.6
queue_directory = %[1]s/spool
data_directory = %[1]s/data
# postfix start prints nothing useful without a terminal: log to a file.
maillog_file = %[1]s/maillog
maillog_file_prefixes = %[1]s
myhostname = relay.tlsgate-e2e.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = loopback-only
inet_protocols = ipv4
# Mail from 127.0.0.1 is outbound: relayed, and "trusted" for tlsgate too.
mynetworks = 127.0.0.0/8
# No DNS: recipients are domain literals, bob@[127.0.0.2].
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtp_tls_loglevel = 1
biff = no
`, p.base)
}

// baseMasterCF lists the standard services in full, none chrooted, with
// smtpd on its own loopback port (editing Debian's master.cf breaks on its
// continuation lines).
func (p *instance) baseMasterCF() string {
	return p.smtpAddr + ` inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
local      unix  - n n - - local
lmtp       unix  - - n - - lmtp
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
`
}

// stop stops the instance; its directory is removed unless the test failed,
// in which case the maillog is printed and the directory kept.
func (p *instance) stop(t *testing.T) {
	path, _ := sbin("postfix")
	if out, err := command(path, "-c", p.confDir, "stop"); err != nil {
		t.Errorf("postfix -c %s stop: %v\n%s", p.confDir, err, out)
	}
	if t.Failed() {
		t.Logf("Postfix maillog (%s, kept):\n%s", p.maillog, readFile(p.maillog))
		return
	}
	os.RemoveAll(p.base)
}

// logLines returns the maillog so far.
func (p *instance) logLines() []string {
	return strings.Split(readFile(p.maillog), "\n")
}

// waitLog polls the maillog for a line containing all of parts.
func (p *instance) waitLog(timeout time.Duration, parts ...string) (string, bool) {
	var found string
	ok := poll(timeout, func() bool {
		for _, l := range p.logLines() {
			if containsAll(l, parts...) {
				found = l
				return true
			}
		}
		return false
	})
	return found, ok
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// queued is one message in postqueue -j output.
type queued struct {
	QueueName  string `json:"queue_name"`
	QueueID    string `json:"queue_id"`
	Recipients []struct {
		Address     string `json:"address"`
		DelayReason string `json:"delay_reason"`
	} `json:"recipients"`
}

// queue lists the instance's queue with postqueue -j (one JSON object a line).
func (p *instance) queue(t *testing.T) []queued {
	t.Helper()
	out := run(t, "postqueue", "-c", p.confDir, "-j")
	var q []queued
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var m queued
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("postqueue -j: %v in %q", err, sc.Text())
		}
		q = append(q, m)
	}
	return q
}

// queueIDs returns the IDs of all queued messages, sorted.
func (p *instance) queueIDs(t *testing.T) []string {
	var ids []string
	for _, m := range p.queue(t) {
		ids = append(ids, m.QueueID)
	}
	slices.Sort(ids)
	return ids
}
