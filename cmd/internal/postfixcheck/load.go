package postfixcheck

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// Postconf runs postconf(1) against one Postfix configuration directory.
type Postconf struct {
	// Dir is passed as "postconf -c DIR"; empty for Postfix's default.
	Dir string
}

// Run runs postconf with args and returns its standard output. Warnings
// on standard error (unused parameters) are not errors.
func (p Postconf) Run(args ...string) ([]byte, error) {
	if p.Dir != "" {
		args = append([]string{"-c", p.Dir}, args...)
	}
	var errb bytes.Buffer
	cmd := exec.Command("postconf", args...)
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("postconf %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out, nil
}

// Read fills in's Main (postconf -n), Master (postconf -M), Defaults
// (postconf -d) and Version.
func (p Postconf) Read(in *Input) error {
	out, err := p.Run("-n")
	if err != nil {
		return err
	}
	if in.Main, err = ParseMain(bytes.NewReader(out)); err != nil {
		return fmt.Errorf("postconf -n: %w", err)
	}
	if out, err = p.Run("-M"); err != nil {
		return err
	}
	if in.Master, err = ParseMaster(bytes.NewReader(out)); err != nil {
		return fmt.Errorf("postconf -M: %w", err)
	}
	// An unknown name (tls_required_enable before 3.10) is left out of the
	// output, with a warning on standard error.
	if out, err = p.Run(append([]string{"-d", "mail_version"}, DefaultParams...)...); err != nil {
		return err
	}
	if in.Defaults, err = ParseMain(bytes.NewReader(out)); err != nil {
		return fmt.Errorf("postconf -d: %w", err)
	}
	in.Version, err = ParseVersion(in.Defaults["mail_version"])
	return err
}
