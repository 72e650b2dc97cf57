package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/tlsgate/tlsgate/cmd/internal/postfixcheck"
	"github.com/tlsgate/tlsgate/rules"
)

func init() {
	subcommands["postfix-check"] = postfixCheck
	subcommands["postfix-config"] = postfixConfig
}

// defaultConfigPath is where the package installs the configuration; the
// Postfix tools read it (for the socket and header) when it exists.
const defaultConfigPath = "/etc/tlsgate/tlsgate.toml"

// adminConfig loads -config, or the installed file, or the defaults.
func adminConfig(path string) (*rules.Config, error) {
	if path == "" {
		if _, err := os.Stat(defaultConfigPath); err != nil {
			return rules.Default(), nil
		}
		path = defaultConfigPath
	}
	return rules.Load(path)
}

// baseInput is the part of postfixcheck.Input that comes from tlsgate's
// own configuration.
func baseInput(cfg *rules.Config) postfixcheck.Input {
	return postfixcheck.Input{Listen: cfg.Listen, HeaderName: cfg.Header.Name,
		Require: cfg.Header.Require, Opportunistic: cfg.Header.Opportunistic}
}

// readFiles fills in from a main.cf and a master.cf (or saved postconf -n
// and -M output) instead of asking postconf.
func readFiles(in *postfixcheck.Input, mainFile, masterFile, version string) error {
	b, err := os.ReadFile(mainFile)
	if err != nil {
		return err
	}
	if in.Main, err = postfixcheck.ParseMain(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("%s: %w", mainFile, err)
	}
	if b, err = os.ReadFile(masterFile); err != nil {
		return err
	}
	if in.Master, err = postfixcheck.ParseMaster(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("%s: %w", masterFile, err)
	}
	if version != "" {
		if in.Version, err = postfixcheck.ParseVersion(version); err != nil {
			return fmt.Errorf("-postfix-version: %w", err)
		}
	}
	return nil
}

// postfixCheck implements "tlsgate postfix-check": exit 0 when no finding is
// a PROBLEM, 1 when one is, 2 on bad usage or an unreadable configuration.
func postfixCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlsgate postfix-check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "tlsgate configuration `file` (default "+defaultConfigPath+" when present)")
	pfDir := fs.String("c", "", "Postfix configuration `directory` passed to postconf -c")
	mainFile := fs.String("n", "", "read `FILE` (main.cf or postconf -n output) instead of running postconf")
	masterFile := fs.String("M", "", "read `FILE` (master.cf or postconf -M output) instead of running postconf")
	pfVersion := fs.String("postfix-version", "", "Postfix `version` when reading files (default: unknown)")
	root := fs.String("root", "", "`directory` prepended to lookup table paths (tests)")
	probe := fs.Bool("probe", true, "connect to tlsgate and negotiate the milter protocol")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tlsgate postfix-check [-config FILE] [-c DIR | -n FILE -M FILE [-postfix-version X.Y]] [-probe=false]")
		fmt.Fprintln(stderr, "Reports how mail could bypass tlsgate or leave with less TLS than its route asks; exit 1 if it can.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*mainFile == "") != (*masterFile == "") {
		if err == nil {
			fs.Usage()
		}
		return exitConfig
	}
	cfg, err := adminConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	in := baseInput(cfg)
	in.Root = *root
	if *probe {
		in.Probe = postfixcheck.ProbeMilter
	}
	if *mainFile != "" {
		err = readFiles(&in, *mainFile, *masterFile, *pfVersion)
	} else {
		err = postfixcheck.Postconf{Dir: *pfDir}.Read(&in)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	if printFindings(stdout, postfixcheck.Check(in), in.Version) > 0 {
		return exitFailure
	}
	return 0
}

// printFindings prints one line per finding and a summary, and returns the
// number of problems.
func printFindings(w io.Writer, fs []postfixcheck.Finding, v postfixcheck.Version) int {
	warnings := 0
	for _, f := range fs {
		fmt.Fprintln(w, f)
		if f.Level == postfixcheck.Warning {
			warnings++
		}
	}
	n := postfixcheck.Problems(fs)
	if n > 0 {
		fmt.Fprintf(w, "%d problem(s), %d warning(s) (Postfix %s): mail can bypass tlsgate or leave with less TLS than its route asks; \"tlsgate postfix-config\" shows the changes\n", n, warnings, v)
	} else {
		fmt.Fprintf(w, "0 problems, %d warning(s) (Postfix %s): every message passes through tlsgate and leaves with the TLS its route asks for\n", warnings, v)
	}
	return n
}

// postfixConfig implements "tlsgate postfix-config": it prints the changes
// that set the installed Postfix up for tlsgate, or makes them with -apply.
func postfixConfig(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlsgate postfix-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "tlsgate configuration `file` (default "+defaultConfigPath+" when present)")
	pfDir := fs.String("c", "", "Postfix configuration `directory` passed to postconf -c (default: Postfix's own)")
	apply := fs.Bool("apply", false, "back up main.cf and master.cf, make the changes with postconf, reload a running Postfix")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tlsgate postfix-config [-config FILE] [-c DIR] [-apply]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return exitConfig
	}
	cfg, err := adminConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	if _, err := exec.LookPath("postconf"); err != nil && !*apply {
		// No Postfix here: print the generic recipe to copy to the relay.
		r := postfixcheck.NewRecipe(postfixcheck.MilterAddress(cfg.Listen, ""), cfg.Header.Name, cfg.Header.Require, cfg.Header.Opportunistic)
		if err := r.Write(stdout); err != nil {
			fmt.Fprintln(stderr, err)
			return exitFailure
		}
		return 0
	}
	pc := postfixcheck.Postconf{Dir: *pfDir}
	in := baseInput(cfg)
	if err := pc.Read(&in); err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	plan := postfixcheck.NewPlan(in)
	if !*apply {
		printPlan(stdout, plan, in.Main["config_directory"], *pfDir)
		return 0
	}
	dir := in.Main["config_directory"]
	if dir == "" {
		dir = "/etc/postfix"
	}
	if err := pc.Apply(plan, dir, stdout, time.Now()); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	if err := pc.Read(&in); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	in.Probe = postfixcheck.ProbeMilter
	fmt.Fprintln(stdout, "\npostfix-check:")
	if printFindings(stdout, postfixcheck.Check(in), in.Version) > 0 {
		return exitFailure
	}
	return 0
}

// printPlan prints the changes as commands an administrator can review and
// run, or let -apply run.
func printPlan(w io.Writer, p postfixcheck.Plan, dir, flagDir string) {
	shown := dir
	if shown == "" {
		shown = "/etc/postfix"
	}
	if p.Empty() {
		fmt.Fprintf(w, "# Postfix in %s needs no change for tlsgate.\n", shown)
	} else {
		cflag := ""
		if flagDir != "" {
			cflag = " -c " + flagDir
		}
		fmt.Fprintf(w, "# tlsgate: changes for Postfix in %s. Review them; \"tlsgate postfix-config%s -apply\"\n# makes them (after backing up main.cf and master.cf) and reloads a running Postfix.\n", shown, cflag)
	}
	for _, f := range p.Files {
		fmt.Fprintf(w, "\ncat > %s <<'EOF'\n%sEOF\n", f.Path, f.Content)
	}
	if len(p.Edits) > 0 {
		fmt.Fprintln(w)
	}
	for _, e := range p.Edits {
		s := e.String()
		if dir != "" {
			s = fmt.Sprintf("postconf -c %s %s '%s'", dir, e.Flag, e.Arg)
		}
		fmt.Fprintf(w, "%s    # %s\n", s, e.Why)
	}
	if len(p.Manual) > 0 {
		fmt.Fprintln(w, "\n# Left to you (postfix-config does not change these):")
		for _, m := range p.Manual {
			fmt.Fprintf(w, "# %s\n", m)
		}
	}
}
