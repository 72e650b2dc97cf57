package packaging

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The unit checks the configuration before it signals the daemon, so a
// broken file makes "systemctl reload" fail (test-install.sh runs the
// lines; this catches an edit without root).
func TestUnitReloadChecksFirst(t *testing.T) {
	var reload []string
	for _, l := range strings.Split(read(t, "tlsgate.service"), "\n") {
		if v, ok := strings.CutPrefix(l, "ExecReload="); ok {
			reload = append(reload, v)
		}
	}
	want := []string{"/usr/sbin/tlsgate -check-config -config /etc/tlsgate/tlsgate.toml", "/bin/kill -HUP $MAINPID"}
	if strings.Join(reload, "\n") != strings.Join(want, "\n") {
		t.Errorf("ExecReload= lines %q, want %q", reload, want)
	}
}

// The audit trail is readable by group adm: the unit does not take the
// directory over (LogsDirectory= would chown it to tlsgate:tlsgate at every
// start), postinst makes it tlsgate:adm 2750, logrotate creates 0640
// tlsgate adm; the package recommends logrotate.
func TestAuditTrailForAdm(t *testing.T) {
	unit := read(t, "tlsgate.service")
	if regexp.MustCompile(`(?m)^LogsDirectory`).MatchString(unit) || !strings.Contains(unit, "\nReadWritePaths=-/var/log/tlsgate\n") {
		t.Error("tlsgate.service: want ReadWritePaths=-/var/log/tlsgate and no LogsDirectory=")
	}
	if !strings.Contains(read(t, "debian/postinst"), "install -d -o tlsgate -g adm -m 2750 /var/log/tlsgate") {
		t.Error("postinst does not make /var/log/tlsgate tlsgate:adm 2750")
	}
	if !strings.Contains(read(t, "debian/logrotate"), "create 0640 tlsgate adm") {
		t.Error("logrotate does not create 0640 tlsgate adm")
	}
	if !regexp.MustCompile(`(?m)^Recommends:.*\blogrotate\b`).MatchString(read(t, "debian/control.in")) {
		t.Error("control: no Recommends: logrotate")
	}
}

// Socket groups the OpenDKIM way: tlsgate never joins group postfix; the
// admin adds postfix to group tlsgate for a unix socket (README.Debian).
func TestNoPostfixGroup(t *testing.T) {
	if regexp.MustCompile(`adduser[^\n]*tlsgate postfix`).MatchString(read(t, "debian/postinst")) {
		t.Error("postinst adds tlsgate to group postfix")
	}
	if !strings.Contains(read(t, "debian/README.Debian"), "adduser postfix tlsgate") {
		t.Error("README.Debian does not tell how postfix joins group tlsgate")
	}
}

// Purge keeps the audit trail, and README.Debian says so.
func TestPurgeKeepsAuditTrail(t *testing.T) {
	postrm := read(t, "debian/postrm")
	if strings.Contains(postrm, "rm -rf /var/log/tlsgate") {
		t.Error("postrm deletes the audit trail")
	}
	if !strings.Contains(read(t, "debian/README.Debian"), "keeps /var/log/tlsgate") {
		t.Error("README.Debian does not say what purge does with the audit trail")
	}
}
