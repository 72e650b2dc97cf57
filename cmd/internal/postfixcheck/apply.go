package postfixcheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Apply carries out a plan: it copies main.cf and master.cf to
// NAME.tlsgate-TIMESTAMP, writes the tables, runs the postconf edits (never
// editing the files by hand) and reloads Postfix if, and only if, it is
// running. It reports each step on w.
func (p Postconf) Apply(plan Plan, dir string, w io.Writer, now time.Time) error {
	if plan.Empty() {
		fmt.Fprintln(w, "nothing to change")
		return nil
	}
	stamp := now.UTC().Format("20060102T150405")
	for _, name := range []string{"main.cf", "master.cf"} {
		src := filepath.Join(dir, name)
		if err := copyFile(src, src+".tlsgate-"+stamp); err != nil {
			return fmt.Errorf("backing up %s: %w", src, err)
		}
		fmt.Fprintf(w, "backed up %s to %s.tlsgate-%s\n", src, src, stamp)
	}
	for _, f := range plan.Files {
		if err := os.WriteFile(f.Path, []byte(f.Content), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", f.Path)
	}
	// Consecutive edits with the same flag go to one postconf run: each
	// run that rewrites a file makes the next one wait a second for it to
	// settle.
	for i := 0; i < len(plan.Edits); {
		j := i
		args := []string{plan.Edits[i].Flag}
		for ; j < len(plan.Edits) && plan.Edits[j].Flag == plan.Edits[i].Flag; j++ {
			args = append(args, plan.Edits[j].Arg)
		}
		if _, err := p.Run(args...); err != nil {
			return err
		}
		for _, e := range plan.Edits[i:j] {
			fmt.Fprintf(w, "%s\n", e)
		}
		i = j
	}
	return p.reload(w)
}

// reload asks a running Postfix to re-read its configuration; a stopped
// one reads it when it starts.
func (p Postconf) reload(w io.Writer) error {
	args := []string{}
	if p.Dir != "" {
		args = append(args, "-c", p.Dir)
	}
	if exec.Command("postfix", append(args, "status")...).Run() != nil {
		fmt.Fprintln(w, "Postfix is not running: it reads the new configuration when it starts")
		return nil
	}
	var errb bytes.Buffer
	cmd := exec.Command("postfix", append(args, "reload")...)
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("postfix reload: %w: %s", err, strings.TrimSpace(errb.String()))
	}
	fmt.Fprintln(w, "postfix reload")
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, fi.Mode().Perm())
}
