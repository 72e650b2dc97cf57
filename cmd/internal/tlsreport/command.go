package tlsreport

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// DefaultLog is Debian's Postfix log (rsyslog).
const DefaultLog = "/var/log/mail.log"

// journalArgs read Postfix's messages from the systemd journal: every
// postfix unit (Debian's postfix@-.service, and further instances), with
// the year in each timestamp.
var journalArgs = []string{"-u", "postfix*", "-o", "short-iso", "--no-pager", "-q"}

// Main is "tlsgate tls-report": exit 0 with the report written, 1 when the
// log cannot be read, 2 on bad usage.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlsgate tls-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", DefaultLog, "Postfix log `file` (\"-\": standard input, e.g. zcat mail.log.*.gz | ...)")
	journal := fs.Bool("journal", false, "read the systemd journal (journalctl "+strings.Join(journalArgs, " ")+") instead of a file")
	since := fs.String("since", "", "with -journal: passed to journalctl --since (e.g. \"-7d\", \"2026-11-01\")")
	asJSON := fs.Bool("json", false, "write JSON instead of a table")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: tlsgate tls-report [-f FILE | -journal [-since WHEN]] [-json]")
		fmt.Fprintln(stderr, "Lists recipient domains whose mail Postfix deferred or bounced for lack of TLS.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*since != "" && !*journal) {
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	var (
		r   *Report
		err error
	)
	if *journal {
		r, err = readJournal(*since)
	} else {
		r, err = readFile(*file)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tls-report: %v\n", err)
		return 1
	}
	if *asJSON {
		err = r.WriteJSON(stdout)
	} else {
		err = r.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tls-report: %v\n", err)
		return 1
	}
	return 0
}

// readFile reads a log file, or standard input for "-". The file's
// modification time dates syslog timestamps that carry no year.
func readFile(path string) (*Report, error) {
	if path == "-" {
		return Read(os.Stdin, time.Now())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ref := time.Now()
	if fi, err := f.Stat(); err == nil {
		ref = fi.ModTime()
	}
	return Read(f, ref)
}

// readJournal runs journalctl and parses its output.
func readJournal(since string) (*Report, error) {
	args := journalArgs
	if since != "" {
		args = append(args[:len(args):len(args)], "--since", since)
	}
	cmd := exec.Command("journalctl", args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("journalctl: %w", err)
	}
	r, rerr := Read(out, time.Now())
	io.Copy(io.Discard, out) // after a read error, let journalctl finish
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("journalctl %s: %w %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return r, rerr
}
