package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// command runs a program and returns its combined output.
func command(path string, args ...string) (string, error) {
	out, err := exec.Command(path, args...).CombinedOutput()
	return string(out), err
}

// allowConfigDir lists dir in the default instance's
// alternate_config_directories, which Postfix's set-gid programs check
// before they accept a non-default configuration directory. The default
// main.cf is created (empty but for a comment) only if it does not exist.
// Everything is put back when the test ends.
func allowConfigDir(t *testing.T, dir string) {
	t.Helper()
	defDir := strings.TrimSpace(run(t, "postconf", "-d", "-h", "config_directory"))
	mainCF := filepath.Join(defDir, "main.cf")
	if _, err := os.Stat(mainCF); os.IsNotExist(err) {
		writeFile(t, mainCF, "# Created by tlsgate's end-to-end test for alternate_config_directories;\n"+
			"# removed again when the test ends.\n")
		t.Cleanup(func() { os.Remove(mainCF) })
	} else if err != nil {
		t.Fatal(err)
	}
	// -n: only what main.cf sets, so an unset parameter stays unset after.
	old := strings.TrimSpace(run(t, "postconf", "-c", defDir, "-n", "-h", "alternate_config_directories"))
	listed := strings.FieldsFunc(old, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if slices.Contains(listed, dir) {
		return
	}
	value := dir
	if old != "" {
		value = old + ", " + dir
	}
	run(t, "postconf", "-c", defDir, "-e", "alternate_config_directories = "+value)
	t.Cleanup(func() {
		if _, err := os.Stat(mainCF); err != nil {
			return // created above and already removed
		}
		if old == "" {
			run(t, "postconf", "-c", defDir, "-X", "alternate_config_directories")
		} else {
			run(t, "postconf", "-c", defDir, "-e", "alternate_config_directories = "+old)
		}
	})
}
