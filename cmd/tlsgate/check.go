package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

// checkReport is what "tlsgate check" says about one file.
type checkReport struct {
	File     string   `json:"file"`
	Decision string   `json:"decision"`
	Header   string   `json:"header"`
	Subject  string   `json:"subject,omitempty"`
	Reasons  []string `json:"reasons,omitempty"`
	Reject   bool     `json:"reject,omitempty"`
	Parts    int      `json:"parts"`
	// TextBytes is the decoded text the classifier read.
	TextBytes int64 `json:"text_bytes"`
}

// check decides stored messages as the daemon would, as if each came from
// a trusted client: the same evaluation path (milter.Message), the same
// configuration file and limits. Exit status: 0 when every file was
// decided, 1 when one could not be read, 2 for bad usage or config.
func check(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr)
	configFlag := fs.String("config", "", "configuration `file` (default "+defaultConfigPath+" when present)")
	asJSON := fs.Bool("json", false, "one JSON object per file")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "tlsgate check: no FILE.eml given")
		fs.Usage()
		return exitConfig
	}
	path := configFile(*configFlag)
	cfg, err := loadConfig(path, "")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	fmt.Fprintf(stderr, "tlsgate check: configuration %s (rules %s)\n", describeConfig(path), pol.Version())
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
		fmt.Fprintln(stdout, rep.line(cfg.Header.Name))
	}
	return status
}

// line is the report as one line of text.
func (r *checkReport) line(header string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (%s: %s)", r.File, r.Decision, header, r.Header)
	if r.Reject {
		b.WriteString(" rejected with 550 5.7.1")
	}
	if len(r.Reasons) > 0 {
		fmt.Fprintf(&b, " reasons=%s", strings.Join(r.Reasons, ","))
	}
	fmt.Fprintf(&b, " parts=%d text_bytes=%d", r.Parts, r.TextBytes)
	return b.String()
}

// checkFile decides one message through milter.Message, the daemon's own
// evaluation path.
func checkFile(pol *rules.Policy, name string) (*checkReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := milter.NewMessage(pol)
	if err := milter.ReadMessage(f, m); err != nil {
		m.Abort()
		return nil, err
	}
	out := m.Finish()
	rep := &checkReport{File: name, Decision: string(out.Decision.Verdict), Header: out.Route.Value,
		Reasons: out.Decision.Reasons, Reject: out.Decision.Reject}
	if out.Scan != nil {
		rep.Parts, rep.TextBytes = out.Scan.Parts, out.Scan.TextBytes
	}
	for _, e := range out.Edits {
		if strings.EqualFold(e.Name, "subject") {
			rep.Subject = e.Value
		}
	}
	return rep, nil
}
