package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWriteAndReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.log")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r1 := Record{Time: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), QueueID: "4XyZ1", Client: "127.0.0.1",
		RcptDomains: []string{"example.com"}, Decision: "optout-refused", Reasons: []string{"cpr:1"}, Rules: "builtin"}
	if err := a.Write(r1); err != nil {
		t.Fatal(err)
	}
	// logrotate moves the file away; SIGHUP reopens.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Reopen(); err != nil {
		t.Fatal(err)
	}
	r2 := r1
	r2.QueueID = "5AbC2"
	a.Write(r2)
	a.Close()
	for file, want := range map[string]Record{path + ".1": r1, path: r2} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			var got Record
			if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", file, diff)
			}
			n++
		}
		f.Close()
		if n != 1 {
			t.Errorf("%s has %d records, want 1", file, n)
		}
	}
}
