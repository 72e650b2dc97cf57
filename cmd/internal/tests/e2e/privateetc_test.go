package e2e

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/testns"
)

// TestMain runs the tests in a private mount namespace whose /etc/postfix
// is a writable copy (testns): the machine's own Postfix configuration is
// never written, and may be mounted read-only (as .ci/run does).
func TestMain(m *testing.M) { os.Exit(testns.Main(m)) }

// command runs a program and returns its combined output.
func command(path string, args ...string) (string, error) {
	out, err := exec.Command(path, args...).CombinedOutput()
	return string(out), err
}

// allowConfigDir lists dir in alternate_config_directories of the private
// /etc/postfix/main.cf, which Postfix's set-gid programs (postdrop,
// postqueue) check before they accept a non-default configuration
// directory. The private copy goes when the test binary ends.
func allowConfigDir(t *testing.T, dir string) {
	t.Helper()
	if !testns.Active() {
		t.Fatal("refusing to edit the machine's " + testns.EtcPostfix + "/main.cf: the test does not run in its private mount namespace (cmd/internal/tests/testns)")
	}
	if def := postconf(t, "-d", "-h", "config_directory"); def != testns.EtcPostfix {
		t.Fatalf("Postfix's default config_directory is %s, the private copy is %s", def, testns.EtcPostfix)
	}
	old := postconf(t, "-c", testns.EtcPostfix, "-h", "alternate_config_directories")
	listed := strings.FieldsFunc(old, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if slices.Contains(listed, dir) {
		return
	}
	value := dir
	if old != "" {
		value = old + ", " + dir
	}
	run(t, "postconf", "-c", testns.EtcPostfix, "-e", "alternate_config_directories = "+value)
}

// postconf returns what postconf prints on stdout (its warnings go to
// stderr and must not be taken for a value).
func postconf(t *testing.T, args ...string) string {
	t.Helper()
	path, err := sbin("postconf")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, args...).Output()
	if err != nil {
		t.Fatalf("postconf %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}
