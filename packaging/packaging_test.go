package packaging

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/rules"
)

func readConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("tlsgate.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The shipped file parses as it is: everything commented out.
func TestShippedConfigParses(t *testing.T) {
	cfg, err := rules.Parse("tlsgate.toml", readConfig(t))
	if err != nil {
		t.Fatalf("shipped config does not parse:\n%v", err)
	}
	if !reflect.DeepEqual(cfg, rules.Default()) {
		t.Errorf("shipped config (all commented) differs from rules.Default()")
	}
}

var commented = regexp.MustCompile(`^#([a-z_]+) = `)

// Uncommenting every option gives exactly the defaults (the [terms] examples
// aside), so the values shown are the real defaults.
func TestShippedConfigShowsDefaults(t *testing.T) {
	var out []string
	section := ""
	for _, line := range strings.Split(readConfig(t), "\n") {
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
		}
		if section != "terms" && commented.MatchString(line) {
			line = line[1:]
		}
		out = append(out, line)
	}
	cfg, err := rules.Parse("tlsgate.toml (uncommented)", strings.Join(out, "\n"))
	if err != nil {
		t.Fatalf("uncommented config does not parse:\n%v", err)
	}
	if want := rules.Default(); !reflect.DeepEqual(cfg, want) {
		t.Errorf("uncommented config:\n%+v\nwant rules.Default():\n%+v", cfg, want)
	}
	// The [terms] examples are valid too.
	var terms []string
	for _, line := range strings.Split(readConfig(t), "\n") {
		if commented.MatchString(line) {
			line = line[1:]
		}
		terms = append(terms, line)
	}
	if _, err := rules.Parse("tlsgate.toml (all uncommented)", strings.Join(terms, "\n")); err != nil {
		t.Errorf("the commented examples do not parse:\n%v", err)
	}
}

// Every key of rules.Config appears, commented, in its section: a new option
// cannot be forgotten in the shipped file.
func TestShippedConfigHasEveryKey(t *testing.T) {
	present := map[string]bool{}
	section := ""
	for _, line := range strings.Split(readConfig(t), "\n") {
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]") + "."
			continue
		}
		if m := commented.FindStringSubmatch(line); m != nil {
			present[section+m[1]] = true
		}
	}
	keys := tomlKeys(reflect.TypeOf(rules.Config{}), "")
	if len(keys) < 20 {
		t.Fatalf("found only %d keys in rules.Config: %v", len(keys), keys)
	}
	for _, k := range keys {
		if !present[k] {
			t.Errorf("key %q is missing from packaging/tlsgate.toml (add it, commented, at its default)", k)
		}
	}
}

// tomlKeys lists the dotted keys of a struct's toml tags; nested structs are
// tables, everything else (including rules.Duration and maps) is a key.
func tomlKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(rules.Duration{}) {
			keys = append(keys, tomlKeys(f.Type, prefix+tag+".")...)
			continue
		}
		keys = append(keys, prefix+tag)
	}
	return keys
}
