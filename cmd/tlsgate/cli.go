package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one of the administrator's tools: "tlsgate NAME ARGS".
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string // one line for "tlsgate help"
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands are the subcommands, in the order "tlsgate help" lists them.
// (Set in init: the commands' usage texts read the table.)
var commands []command

// subcommands finds a command's function by name.
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{}

func init() {
	// Adding a command is one line here; its function parses its flags
	// with newFlagSet and parseFlags, so that every usage text looks alike.
	commands = []command{
		{"check", "[-config FILE] [-json] [-tag] FILE.eml ...", "decide stored messages exactly as the daemon would", check},
		{"postfix-check", "[-config FILE] [-c DIR | -n FILE -M FILE [-postfix-version X.Y]] [-probe=false]", "report how mail could bypass tlsgate or leave with less TLS than its route asks", postfixCheck},
		{"postfix-config", "[-config FILE] [-c DIR] [-apply]", "print (or -apply) the changes that set Postfix up for tlsgate", postfixConfig},
		{"tls-report", "[-f FILE | -journal [-since WHEN]] [-json]", "list recipient domains whose mail Postfix deferred or bounced for lack of TLS", tlsReport},
	}
	for _, c := range commands {
		subcommands[c.name] = c.run
	}
}

// lookup returns the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// daemonSynopsis is the top of "tlsgate help".
const daemonSynopsis = `usage: tlsgate [-config FILE] [-listen ADDR]   run the milter (the systemd service does)
       tlsgate -check-config [-config FILE]    check the configuration, print every problem
       tlsgate -version                        print the version
       tlsgate COMMAND [flags] [args]          run one of the commands below
       tlsgate help [COMMAND]                  this text, or a command's flags
`

// usage writes "tlsgate help": the daemon's forms and one line per command.
func usage(w io.Writer) {
	fmt.Fprint(w, daemonSynopsis)
	fmt.Fprintln(w, "\ncommands:")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\n-config defaults to %s when it exists, else the built-in defaults.\n", defaultConfigPath)
	fmt.Fprintln(w, `"tlsgate help COMMAND" shows a command's flags; see also tlsgate(8) and tlsgate.toml(5).`)
}

// help implements "tlsgate help [COMMAND]" and "tlsgate -h".
func help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	c, ok := lookup(args[0])
	if !ok || len(args) > 1 {
		return usageError(stderr, fmt.Sprintf("help: no command %q", strings.Join(args, " ")))
	}
	return c.run([]string{"-h"}, stdout, stdout)
}

// usageError reports a wrong command line: exit status 2.
func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "tlsgate: %s\n", msg)
	fmt.Fprintln(stderr, `Run "tlsgate help" for the commands.`)
	return exitConfig
}

// hiddenFlags are flags for the test suite, left out of usage texts.
var hiddenFlags = map[string]bool{"root": true}

// newFlagSet returns the flag set of command name, whose usage text has
// the form every command shares: the synopsis from the commands table,
// its summary, then the flags an administrator uses.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("tlsgate "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		c, _ := lookup(name)
		fmt.Fprintf(fs.Output(), "usage: tlsgate %s %s\n%s.\n", name, c.args, capitalize(c.summary))
		printFlags(fs)
	}
	return fs
}

// printFlags is flag.PrintDefaults without the hidden flags.
func printFlags(fs *flag.FlagSet) {
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if hiddenFlags[f.Name] {
			return
		}
		if first {
			fmt.Fprintln(fs.Output(), "\nflags:")
			first = false
		}
		arg, text := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if arg != "" {
			line += " " + strings.ToUpper(arg) // FILE, DIR: as in the synopsis
		}
		switch {
		case f.DefValue == "" || f.DefValue == "false":
		case fmt.Sprintf("%T", f.Value) == "*flag.stringValue":
			text += fmt.Sprintf(" (default %q)", f.DefValue)
		default:
			text += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(fs.Output(), "%s\n    \t%s\n", line, text)
	})
}

// parseFlags parses a command's flags. done is true when the command must
// stop with status code: 0 after -h, 2 for a bad flag.
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	}
	return exitConfig, true
}

// badArgs ends a command whose flags parseFlags stopped (done) or that got
// arguments it takes none of: the usage text and status 2.
func badArgs(fs *flag.FlagSet, code int, done bool) int {
	if done {
		return code
	}
	fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
	fs.Usage()
	return exitConfig
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dispatch runs the command line args (without the program name) when it
// names a command or asks for help; handled is false for the daemon's own
// flags.
func dispatch(args []string, stdout, stderr io.Writer) (code int, handled bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch a := args[0]; {
	case a == "help":
		return help(args[1:], stdout, stderr), true
	case a == "-h" || a == "-help" || a == "--help":
		usage(stdout)
		return 0, true
	case strings.HasPrefix(a, "-"):
		return 0, false
	default:
		if run, ok := subcommands[a]; ok {
			return run(args[1:], stdout, stderr), true
		}
		return usageError(stderr, fmt.Sprintf("unknown command %q", a)), true
	}
}

// defaultConfigPath is where the package installs the configuration. The
// daemon and every command read it when no -config is given and it
// exists; a variable so that tests can point it elsewhere.
var defaultConfigPath = "/etc/tlsgate/tlsgate.toml"

// configFile is the file to read: the -config value, else the installed
// file when it exists, else "" for the built-in defaults.
func configFile(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if _, err := os.Stat(defaultConfigPath); err == nil {
		return defaultConfigPath
	}
	return ""
}

// describeConfig says which configuration a command used.
func describeConfig(path string) string {
	if path == "" {
		return "built-in defaults (no " + defaultConfigPath + ")"
	}
	return path
}
