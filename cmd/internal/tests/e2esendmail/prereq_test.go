package e2esendmail

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// requireEnv is the TLSGATE_E2E value that turns every skip into a failure.
const requireEnv = "require"

// skipOrFail skips the test, or fails it under TLSGATE_E2E=require.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("TLSGATE_E2E") == requireEnv {
		t.Fatalf("%s; TLSGATE_E2E=require makes this a failure", msg)
	}
	t.Skipf("%s; set TLSGATE_E2E=require to fail instead of skipping", msg)
}

// prerequisites checks what the machine must have, and returns the root
// of an unpacked Sendmail, fetching it first when it is not there yet.
func prerequisites(t *testing.T) string {
	t.Helper()
	if testing.Short() && os.Getenv("TLSGATE_E2E") != requireEnv {
		t.Skip("end-to-end Sendmail test skipped with -short")
	}
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (Sendmail's daemon is started as root)")
	}
	for _, name := range []string{"unshare", "m4", "hostname"} {
		if _, err := exec.LookPath(name); err != nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		skipOrFail(t, "end-to-end Sendmail test needs "+strings.Join(missing, ", "))
	}
	root, err := sendmailRoot(t)
	if err != nil {
		skipOrFail(t, "Sendmail could not be obtained: "+err.Error())
	}
	if out, err := exec.Command("ldd", filepath.Join(root, sendmailBin)).CombinedOutput(); err == nil && strings.Contains(string(out), "not found") {
		skipOrFail(t, "Sendmail's libraries are missing (apt-get install -y libwrap0 liblockfile1):\n"+string(out))
	}
	return root
}

// sendmailBin is where Debian's sendmail-bin package puts the binary.
const sendmailBin = "usr/libexec/sendmail/sendmail"

// cacheDir is TLSGATE_SENDMAIL_DIR, or tlsgate-sendmail in the user's cache
// directory. It must not be under a world-writable directory such as /tmp:
// Sendmail refuses map files there.
func cacheDir() (string, error) {
	if d := os.Getenv("TLSGATE_SENDMAIL_DIR"); d != "" {
		return filepath.Abs(d)
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(c, "tlsgate-sendmail"), nil
}

// sendmailRoot returns the unpacked packages, running fetch-debian.sh when
// they are not there.
func sendmailRoot(t *testing.T) (string, error) {
	t.Helper()
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	root := filepath.Join(dir, "root")
	if _, err := os.Stat(filepath.Join(root, sendmailBin)); err == nil {
		return root, nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", errors.New("not unpacked in " + dir + " and no apt-get to fetch it")
	}
	script := filepath.Join(moduleRoot(t), "packaging", "sendmail", "fetch-debian.sh")
	if out, err := exec.Command("sh", script, dir).CombinedOutput(); err != nil {
		return "", errors.New(script + " failed: " + err.Error() + "\n" + string(out))
	}
	return root, nil
}
