package main

import (
	"bufio"
	"bytes"
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
	asTagged := fs.Bool("tag", false, "decide each message as if its Subject began with the first opt-out tag (would it be allowed out without TLS?)")
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
		rep, err := checkFile(pol, name, *asTagged)
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
// evaluation path; with tag, as if the sender had typed the first opt-out
// tag at the start of the Subject.
func checkFile(pol *rules.Policy, name string, tag bool) (*checkReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if tag {
		if r, err = withTag(f, pol.Config.OptOutTags[0]); err != nil {
			return nil, err
		}
	}
	m := milter.NewMessage(pol)
	if err := milter.ReadMessage(r, m); err != nil {
		m.Abort()
		return nil, err
	}
	out := m.Finish()
	rep := &checkReport{File: name, Decision: string(out.Decision.Verdict), Header: out.Route.Value,
		Reasons: out.Decision.Reasons.Strings(), Reject: out.Decision.Reject}
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

// withTag returns the message r with tag put at the start of its first
// Subject field, or a Subject field holding only the tag added when the
// header has none. Only the header section is read ahead.
func withTag(r io.Reader, tag string) (io.Reader, error) {
	br := bufio.NewReader(r)
	var head bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if len(line) > 8 && strings.EqualFold(line[:8], "subject:") {
			head.WriteString(line[:8] + " " + tag + " " + strings.TrimLeft(line[8:], " \t"))
			return io.MultiReader(&head, br), nil
		}
		if strings.TrimRight(line, "\r\n") == "" || err != nil {
			// End of the header: no Subject in it.
			if err != nil && err != io.EOF {
				return nil, err
			}
			return io.MultiReader(strings.NewReader("Subject: "+tag+"\r\n"), &head, strings.NewReader(line), br), nil
		}
		head.WriteString(line)
	}
}
