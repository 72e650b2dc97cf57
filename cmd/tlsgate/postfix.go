package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/tlsgate/tlsgate/cmd/internal/postfixcheck"
	"github.com/tlsgate/tlsgate/rules"
)

// adminConfig loads -config, or the installed file, or the defaults.
func adminConfig(path string) (*rules.Config, error) {
	if path = configFile(path); path == "" {
		return rules.Default(), nil
	}
	return rules.Load(path)
}

// postfixCheck implements "tlsgate postfix-check": exit 0 when Postfix keeps
// every guarantee, 1 when something breaks one, 2 on bad usage or config.
func postfixCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("postfix-check", stderr)
	configPath := fs.String("config", "", "tlsgate configuration `file` (default "+defaultConfigPath+" when present)")
	mainFile := fs.String("n", "", "read `FILE` (postconf -n output or main.cf) instead of running postconf -n")
	masterFile := fs.String("M", "", "read `FILE` (postconf -M output or master.cf) instead of running postconf -M")
	pfVersion := fs.String("postfix-version", "", "Postfix `version` (default: postconf -h mail_version, when postconf runs)")
	pfConfDir := fs.String("c", "", "Postfix configuration `directory` passed to postconf -c")
	root := fs.String("root", "", "`directory` prepended to lookup table paths (for tests)")
	if code, done := parseFlags(fs, args); done || fs.NArg() > 0 {
		return badArgs(fs, code, done)
	}
	cfg, err := adminConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	postconf := func(flags ...string) ([]byte, error) {
		if *pfConfDir != "" {
			flags = append([]string{"-c", *pfConfDir}, flags...)
		}
		var errb bytes.Buffer
		cmd := exec.Command("postconf", flags...)
		cmd.Stderr = &errb
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("postconf %s: %v %s", strings.Join(flags, " "), err, strings.TrimSpace(errb.String()))
		}
		return out, nil
	}
	source := func(file string, flags ...string) ([]byte, error) {
		if file != "" {
			return os.ReadFile(file)
		}
		return postconf(flags...)
	}
	mainText, err := source(*mainFile, "-n")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	masterText, err := source(*masterFile, "-M")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	main, err := postfixcheck.ParseMain(bytes.NewReader(mainText))
	if err != nil {
		fmt.Fprintf(stderr, "main.cf settings: %v\n", err)
		return exitConfig
	}
	master, err := postfixcheck.ParseMaster(bytes.NewReader(masterText))
	if err != nil {
		fmt.Fprintf(stderr, "master.cf services: %v\n", err)
		return exitConfig
	}
	var ver postfixcheck.Version
	switch {
	case *pfVersion != "":
		if ver, err = postfixcheck.ParseVersion(*pfVersion); err != nil {
			fmt.Fprintf(stderr, "-postfix-version: %v\n", err)
			return exitConfig
		}
	case *mainFile == "":
		if out, err := postconf("-h", "mail_version"); err == nil {
			ver, _ = postfixcheck.ParseVersion(string(out))
		}
	}
	in := postfixcheck.Input{
		Main: main, Master: master, Version: ver,
		Milter:     postfixcheck.MilterAddress(cfg.Listen, main["queue_directory"]),
		HeaderName: cfg.Header.Name, Require: cfg.Header.Require, Opportunistic: cfg.Header.Opportunistic,
		Root: *root,
	}
	findings := postfixcheck.Check(in)
	for _, f := range findings {
		fmt.Fprintln(stdout, f)
	}
	if n := postfixcheck.Problems(findings); n > 0 {
		fmt.Fprintf(stdout, "%d problem(s): Postfix does not keep tlsgate's guarantees (Postfix %s, milter %s). \"tlsgate postfix-config\" prints a working set-up.\n", n, ver, in.Milter)
		return exitFailure
	}
	fmt.Fprintf(stdout, "OK: Postfix (%s) passes every message through tlsgate at %s and routes on %s.\n", ver, in.Milter, in.HeaderName)
	return 0
}

// postfixConfig implements "tlsgate postfix-config".
func postfixConfig(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("postfix-config", stderr)
	configPath := fs.String("config", "", "tlsgate configuration `file` (default "+defaultConfigPath+" when present)")
	if code, done := parseFlags(fs, args); done || fs.NArg() > 0 {
		return badArgs(fs, code, done)
	}
	cfg, err := adminConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	milter := postfixcheck.MilterAddress(cfg.Listen, "")
	r := postfixcheck.NewRecipe(milter, cfg.Header.Name, cfg.Header.Require, cfg.Header.Opportunistic)
	if err := r.Write(stdout); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	return 0
}
