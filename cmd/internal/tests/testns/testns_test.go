package testns

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// What a test writes to /etc/postfix lands in the private copy: the
// machine's own directory, seen through /proc/PPID/root (the parent's
// mount namespace: the test binary that started this one under unshare),
// does not change.
func TestPrivateEtcPostfix(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root (a mount namespace)")
	}
	if !Active() {
		t.Fatal("running as root, but /etc/postfix is not private (is unshare installed?)")
	}
	mainCF := filepath.Join(EtcPostfix, "main.cf")
	mark := fmt.Sprintf("# testns %d\n", time.Now().UnixNano())
	f, err := os.OpenFile(mainCF, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(mark); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if b, err := os.ReadFile(mainCF); err != nil || !strings.Contains(string(b), mark) {
		t.Fatalf("the private main.cf: %v\n%s", err, b)
	}
	host, err := os.ReadFile(filepath.Join(fmt.Sprintf("/proc/%d/root", os.Getppid()), mainCF))
	if err != nil && !os.IsNotExist(err) {
		t.Skipf("cannot look at the machine's own %s: %v", mainCF, err)
	}
	if strings.Contains(string(host), mark) {
		t.Errorf("the write reached the machine's own %s", mainCF)
	}
}
