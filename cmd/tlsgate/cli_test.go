package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tlsgate runs the command line args (without the program name) in
// process, as main does, and returns the exit status and both outputs.
func tlsgate(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code, handled := dispatch(args, &stdout, &stderr)
	if !handled {
		code = run(args, &stdout, &stderr)
	}
	return code, stdout.String(), stderr.String()
}

// noInstalledConfig points the installed-config path at a missing file for
// the test, so that a host with tlsgate installed does not change it.
func noInstalledConfig(t *testing.T) {
	t.Helper()
	old := defaultConfigPath
	defaultConfigPath = filepath.Join(t.TempDir(), "absent.toml")
	t.Cleanup(func() { defaultConfigPath = old })
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, _ := tlsgate(args...)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		for _, c := range commands {
			if !strings.Contains(out, "  "+c.name+"  ") || !strings.Contains(out, c.summary) {
				t.Errorf("%v: no line for %s:\n%s", args, c.name, out)
			}
		}
		for _, want := range []string{"-check-config", "-version", "-listen"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v lacks %s", args, want)
			}
		}
	}
}

// Every command prints the same form of usage text, without test-only
// flags.
func TestCommandUsage(t *testing.T) {
	for _, c := range commands {
		code, out, _ := tlsgate("help", c.name)
		if code != 0 {
			t.Errorf("help %s: exit %d", c.name, code)
		}
		if want := "usage: tlsgate " + c.name + " " + c.args + "\n" + capitalize(c.summary) + ".\n"; !strings.HasPrefix(out, want) {
			t.Errorf("help %s:\n%s\nwant it to start with:\n%s", c.name, out, want)
		}
		if !strings.Contains(out, "\nflags:\n  -") {
			t.Errorf("help %s: no flags:\n%s", c.name, out)
		}
		if strings.Contains(out, "-root") {
			t.Errorf("help %s shows the test-only -root:\n%s", c.name, out)
		}
		// -h is the same text, and a wrong flag prints it with status 2.
		if code, _, errOut := tlsgate(c.name, "-h"); code != 0 || errOut != out {
			t.Errorf("%s -h: exit %d\n%s", c.name, code, errOut)
		}
		if code, _, errOut := tlsgate(c.name, "-nosuch"); code != 2 || !strings.Contains(errOut, "usage: tlsgate "+c.name) {
			t.Errorf("%s -nosuch: exit %d\n%s", c.name, code, errOut)
		}
	}
}

// A word that is no command is a usage error, not a daemon start.
func TestUnknownWords(t *testing.T) {
	noInstalledConfig(t)
	for _, args := range [][]string{{"hlep"}, {"status"}, {"-config", "x.toml", "stray"}, {"help", "nosuch"}, {"-nosuch"}} {
		code, out, errOut := tlsgate(args...)
		if code != 2 || !strings.Contains(errOut, "tlsgate help") || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// check and -check-config read the installed file when there is one, as
// the daemon does, and say which file they used.
func TestInstalledConfigRead(t *testing.T) {
	old := defaultConfigPath
	t.Cleanup(func() { defaultConfigPath = old })
	defaultConfigPath = write(t, "tlsgate.toml", "[terms]\nadd = { health = [\"frokost\"] }\n")
	msg := write(t, "frokost.eml", "Subject: [unsecure] Fredag\n\nFrokost kl. 12.\n")

	code, out, errOut := tlsgate("check", msg)
	if code != 0 || !strings.Contains(out, "optout-refused") || !strings.Contains(out, "term:health") {
		t.Errorf("check with the installed file: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "configuration "+defaultConfigPath) {
		t.Errorf("check does not say which file it used: %q", errOut)
	}
	code, out, _ = tlsgate("-check-config")
	if code != 0 || !strings.HasPrefix(out, "configuration OK: "+defaultConfigPath+" (rules ") {
		t.Errorf("-check-config: exit %d, %q", code, out)
	}

	defaultConfigPath = filepath.Join(t.TempDir(), "absent.toml")
	code, out, _ = tlsgate("check", msg)
	if code != 0 || !strings.Contains(out, "optout-granted") {
		t.Errorf("check with the defaults: exit %d\n%s", code, out)
	}
	if _, out, _ = tlsgate("-check-config"); !strings.Contains(out, "built-in defaults") {
		t.Errorf("-check-config without a file: %q", out)
	}
}

// -check-config fails when the service user could not open the audit file
// the configuration names, and passes once it can.
func TestCheckConfigAccess(t *testing.T) {
	if _, err := lookupIdentity("nobody"); err != nil {
		t.Skip("no user nobody:", err)
	}
	old := serviceUser
	serviceUser = "nobody"
	t.Cleanup(func() { serviceUser = old })

	dir := t.TempDir() // mode 0700: nobody cannot enter
	logs := filepath.Join(dir, "log")
	if err := os.Mkdir(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := write(t, "t.toml", "\n[audit]\nfile = \""+filepath.Join(logs, "audit.log")+"\"\n")
	os.Chmod(filepath.Dir(cfg), 0o755)
	os.Chmod(cfg, 0o644)
	code, _, errOut := tlsgate("-check-config", "-config", cfg)
	if code != 2 || !strings.Contains(errOut, cfg+":3: audit.file: user nobody cannot") {
		t.Errorf("unreachable audit dir: exit %d\n%s", code, errOut)
	}
	// Reachable but not writable, then writable.
	for p := dir; p != "/"; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(p, fi.Mode().Perm()|0o005); err != nil {
				t.Skipf("cannot open %s for the test: %v", p, err)
			}
		}
	}
	code, _, errOut = tlsgate("-check-config", "-config", cfg)
	if code != 2 || !strings.Contains(errOut, "user nobody cannot create files in "+logs) {
		t.Errorf("read-only audit dir: exit %d\n%s", code, errOut)
	}
	os.Chmod(logs, 0o777)
	code, out, errOut := tlsgate("-check-config", "-config", cfg)
	if code != 0 || !strings.Contains(errOut, "ReadWritePaths") {
		t.Errorf("writable audit dir: exit %d\n%s%s", code, out, errOut)
	}
}

// tlsgate(8) documents every command, in its SYNOPSIS and its COMMANDS
// section.
func TestManPageDocumentsCommands(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "packaging", "man", "tlsgate.8.md"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	synopsis, rest, _ := strings.Cut(page, "# DESCRIPTION")
	_, cmds, _ := strings.Cut(rest, "# COMMANDS")
	cmds, _, _ = strings.Cut(cmds, "\n# ")
	// The recipe's NUL guard, which postfix-check also looks for.
	if !strings.Contains(page, "message_reject_characters = \\0") {
		t.Error("tlsgate(8) does not give message_reject_characters = \\0")
	}
	for _, c := range append(commands, command{name: "help"}) {
		if !strings.Contains(synopsis, "**tlsgate "+c.name+"**") {
			t.Errorf("tlsgate(8) SYNOPSIS lacks %s", c.name)
		}
		if !strings.Contains(cmds, "\n**"+c.name+"**") {
			t.Errorf("tlsgate(8) COMMANDS lacks %s", c.name)
		}
	}
}

// Every command runs from the table in cli.go, so that help lists it: a
// command registered elsewhere (subcommands[...] = f) fails here.
func TestEveryCommandInTable(t *testing.T) {
	for name := range subcommands {
		if _, ok := lookup(name); !ok {
			t.Errorf("command %q is not in the commands table of cli.go (one line there: name, args, summary, function)", name)
		}
	}
}
