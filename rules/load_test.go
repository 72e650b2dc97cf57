package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updating reports whether -update was given (the flag is the package's
// one, defined in sentences_test.go: go test ./rules -run TestBadConfigFiles
// -update rewrites the .want files).
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	on, _ := f.Value.(flag.Getter).Get().(bool)
	return on
}

// Each broken file in testdata/badconfig gives exactly the problems in the
// .want file beside it, all in one pass: type errors, keys spelt in
// another case (TOML keys are case-sensitive), an undeclared term
// category and values out of range alike. go test -update rewrites them.
func TestBadConfigFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "badconfig", "*.toml"))
	if len(files) == 0 {
		t.Fatal("no testdata/badconfig/*.toml")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(filepath.Base(f), string(src))
		if err == nil {
			t.Errorf("%s: parsed without error", f)
			continue
		}
		got := err.Error() + "\n"
		wantFile := strings.TrimSuffix(f, ".toml") + ".want"
		if updating() {
			os.WriteFile(wantFile, []byte(got), 0o644)
			continue
		}
		want, err := os.ReadFile(wantFile)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", f, got, want)
		}
	}
}

// Keys in another case are refused and do not take effect.
func TestKeysCaseSensitive(t *testing.T) {
	for _, src := range []string{`Refused_Action = "reject"`, `OPTOUT_TAGS = ["[x]"]`, "[Audit]\nfile = \"/var/log/x\"", "[limits]\nMax_Parts = 3"} {
		if _, err := Parse("t.toml", src); err == nil || !strings.Contains(err.Error(), "unknown key (keys are case-sensitive") {
			t.Errorf("%q: error %v", src, err)
		}
	}
}

// A new category is declared through terms.lists; then add may extend it.
func TestNewCategoryDeclared(t *testing.T) {
	cfg, err := Parse("t.toml", "[terms]\nlists = { hr = [\"personalesag*\"] }\nadd = { hr = [\"advarsel*\"] }")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.TermLists()["hr"]; len(got) != 2 {
		t.Errorf("hr: %v", got)
	}
	if _, err := Parse("t.toml", "[terms]\nadd = { hr = [\"advarsel*\"] }"); err == nil {
		t.Error("terms.add of an undeclared category accepted")
	}
}
