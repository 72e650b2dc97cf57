package main

import (
	"fmt"
	"io"
	"os"

	"github.com/tlsgate/tlsgate/rules"
)

// checkConfigFile implements -check-config: every problem in the file at
// path (or the defaults when path is ""), then whether the service user
// can open what it names. Exit status 0 when the daemon would start with
// it, 2 otherwise. It changes nothing, so ExecReload runs it before
// signalling the daemon.
func checkConfigFile(path, listen string, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(path, listen)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", describeConfig(path), err)
		return exitConfig
	}
	var src []byte
	if path != "" {
		src, _ = os.ReadFile(path)
	}
	var problems, notes []string
	if id, err := lookupIdentity(serviceUser); err != nil {
		notes = append(notes, fmt.Sprintf("no user %s (%v): whether the service can open its files was not checked", serviceUser, err))
	} else {
		problems, notes = accessProblems(id, path, string(src), cfg)
	}
	for _, n := range notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return exitConfig
	}
	label := ""
	if pol.Label() != "" {
		label = ", rules_version " + pol.Label()
	}
	fmt.Fprintf(stdout, "configuration OK: %s (rules %s%s)\n", describeConfig(path), pol.Version(), label)
	return 0
}
