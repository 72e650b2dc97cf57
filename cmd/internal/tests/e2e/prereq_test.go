package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/testns"
)

// requireEnv is the TLSGATE_E2E value that turns every skip into a failure,
// so CI cannot pass by silently not running the end-to-end tests.
const requireEnv = "require"

// prerequisites skips (or, with TLSGATE_E2E=require, fails) the test when
// the machine cannot run a private Postfix instance.
func prerequisites(t *testing.T) {
	t.Helper()
	required := os.Getenv("TLSGATE_E2E") == requireEnv
	var missing []string
	if testing.Short() && !required {
		t.Skip("end-to-end Postfix test skipped with -short")
	}
	if os.Geteuid() != 0 {
		missing = append(missing, "root (a Postfix instance is started as root)")
	} else if !testns.Active() {
		missing = append(missing, "unshare (util-linux) and "+testns.EtcPostfix+", for a private mount namespace with a private "+testns.EtcPostfix)
	}
	for _, name := range []string{"postfix", "postconf", "postqueue", "sendmail"} {
		if _, err := sbin(name); err != nil {
			missing = append(missing, name+" (apt-get install postfix)")
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "end-to-end test needs " + strings.Join(missing, ", ")
	if required {
		t.Fatalf("%s; TLSGATE_E2E=require makes this a failure", msg)
	}
	t.Skipf("%s; set TLSGATE_E2E=require to fail instead of skipping", msg)
}

// sbin finds a Postfix command on PATH or in /usr/sbin, where Debian puts
// them and where a non-login root shell's PATH may not look.
func sbin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return exec.LookPath(filepath.Join("/usr/sbin", name))
}

// run runs a command and returns its combined output, failing the test with
// that output when it does not succeed.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := sbin(name)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
