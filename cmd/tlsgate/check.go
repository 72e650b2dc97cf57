package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tlsgate/tlsgate/rules"
)

func init() { subcommands["check"] = check }

// checkReport is what "tlsgate check" says about one file.
type checkReport struct {
	File      string   `json:"file"`
	Decision  string   `json:"decision"`
	Header    string   `json:"header"`
	Subject   string   `json:"subject,omitempty"`
	Reasons   []string `json:"reasons,omitempty"`
	Parts     int      `json:"parts"`
	TextBytes int64    `json:"text_bytes"`
}

// check runs the rules over .eml files without a mail server, as if each
// came from a trusted client: "tlsgate check [-config F] [-json] FILE…".
// Exit status: 0 when every file was processed, 1 when one could not be
// read, 2 for a bad configuration.
func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlsgate check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration `file`")
	asJSON := fs.Bool("json", false, "one JSON object per file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tlsgate check [-config FILE] [-json] FILE.eml ...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitConfig
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitConfig
	}
	cfg, err := loadConfig(*configPath, "")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	status := 0
	for _, name := range fs.Args() {
		rep, err := checkFile(pol, name)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			status = exitFailure
			continue
		}
		if *asJSON {
			b, _ := json.Marshal(rep)
			fmt.Fprintf(stdout, "%s\n", b)
			continue
		}
		fmt.Fprintf(stdout, "%s: %s (%s: %s)", rep.File, rep.Decision, cfg.Header.Name, rep.Header)
		if len(rep.Reasons) > 0 {
			fmt.Fprintf(stdout, " reasons=%s", strings.Join(rep.Reasons, ","))
		}
		fmt.Fprintf(stdout, " parts=%d text_bytes=%d\n", rep.Parts, rep.TextBytes)
	}
	return status
}

// checkFile decides one message the way the milter does.
func checkFile(pol *rules.Policy, name string) (*checkReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res := pol.Classifier.Scan(context.Background(), f)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	subjects, err := readSubjects(f)
	if err != nil {
		return nil, err
	}
	in := rules.Input{Scan: res}
	rep := &checkReport{File: name, Parts: res.Parts, TextBytes: res.TextBytes}
	var parsed []rules.Subject
	for _, s := range subjects {
		parsed = append(parsed, rules.ParseSubject(s, pol.Config.OptOutTags))
		rep.Subject = parsed[len(parsed)-1].Stripped
	}
	in.Tagged, in.SubjectProblems = rules.SubjectInput(parsed)
	d := pol.Decide(in)
	rep.Decision, rep.Header, rep.Reasons = string(d.Verdict), pol.HeaderValue(d), d.Reasons.Strings()
	if !in.Tagged {
		// No opt-out asked: show what the classifier saw anyway.
		rep.Reasons = res.Reasons()
	}
	return rep, nil
}

// readSubjects returns the raw Subject values of the top-level header,
// unfolded as an MTA would pass them.
func readSubjects(r io.Reader) ([]string, error) {
	var subjects []string
	b := make([]byte, 0, 64<<10)
	buf := make([]byte, 4096)
	for len(b) < 1<<20 {
		n, err := r.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil || strings.Contains(string(b), "\n\n") || strings.Contains(string(b), "\r\n\r\n") {
			break
		}
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	if i := strings.Index(text, "\n\n"); i >= 0 {
		text = text[:i]
	}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		name, value, ok := strings.Cut(lines[i], ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "subject") {
			continue
		}
		for i+1 < len(lines) && (strings.HasPrefix(lines[i+1], " ") || strings.HasPrefix(lines[i+1], "\t")) {
			i++
			value += "\n" + lines[i]
		}
		subjects = append(subjects, strings.TrimPrefix(value, " "))
	}
	return subjects, nil
}
