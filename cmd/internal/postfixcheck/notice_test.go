package postfixcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noticeLines are the findings about the notice settings, by level.
func noticeLines(fs []Finding) map[Level][]string {
	out := map[Level][]string{}
	for _, f := range fs {
		for _, p := range []string{"delay_warning_time", "bounce_template_file", "delivery_status_filter"} {
			if strings.Contains(f.Setting, p) {
				out[f.Level] = append(out[f.Level], f.String())
				break
			}
		}
	}
	return out
}

// Case "good" has the notices, with the package's files under testdata/etc
// /tlsgate; each missing or broken piece raises its finding, and
// postfix-config plans tlsgate's value only where the file is installed.
func TestNotices(t *testing.T) {
	// Root: a copy of testdata/etc plus a filter of the site's own.
	root := t.TempDir()
	err := filepath.WalkDir(filepath.Join("testdata", "etc"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, strings.TrimPrefix(path, "testdata"))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "postfix", "other_filter"), []byte("/^4.4.1 / 4.4.1 try later\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		edit     func(in *Input)
		problems int
		warnings []string
		plan     []string // postconf arguments NewPlan adds
	}{
		{name: "good"},
		{name: "no delay warning", edit: func(in *Input) { delete(in.Main, "delay_warning_time") },
			warnings: []string{"delay_warning_time (default): is empty: Postfix sends no delay notice"},
			plan:     []string{"delay_warning_time = 1h"}},
		{name: "delay 0h", edit: func(in *Input) { in.Main["delay_warning_time"] = "0h" },
			warnings: []string{"delay_warning_time: is 0h"}, plan: []string{"delay_warning_time = 1h"}},
		{name: "delay nonsense", edit: func(in *Input) { in.Main["delay_warning_time"] = "soon" }, problems: 1,
			plan: []string{"delay_warning_time = 1h"}},
		{name: "Postfix's templates", edit: func(in *Input) { delete(in.Main, "bounce_template_file") },
			warnings: []string{"bounce_template_file (default): is empty"},
			plan:     []string{"bounce_template_file = /etc/tlsgate/tlsgate_bounce.cf"}},
		{name: "template missing", edit: func(in *Input) { in.Main["bounce_template_file"] = "/etc/postfix/nope.cf" }, problems: 1,
			plan: []string{"bounce_template_file = /etc/tlsgate/tlsgate_bounce.cf"}},
		{name: "own template", edit: func(in *Input) { in.Main["bounce_template_file"] = "/etc/postfix/tlsgate_strip" }},
		{name: "no filter", edit: func(in *Input) { delete(in.service(RequiredTransport).Options, "smtp_delivery_status_filter") },
			warnings: []string{"smtp_delivery_status_filter (default): is not set"},
			plan:     []string{"smtp-tls-required/unix/smtp_delivery_status_filter=regexp:/etc/tlsgate/tlsgate_tls_status"}},
		{name: "global filter", edit: func(in *Input) {
			delete(in.service(RequiredTransport).Options, "smtp_delivery_status_filter")
			in.Main["default_delivery_status_filter"] = "regexp:/etc/tlsgate/tlsgate_tls_status"
		}},
		{name: "filter missing", edit: func(in *Input) {
			in.service(RequiredTransport).Options["smtp_delivery_status_filter"] = "regexp:/etc/tlsgate/missing"
		}, problems: 1, plan: []string{"smtp-tls-required/unix/smtp_delivery_status_filter=regexp:/etc/tlsgate/tlsgate_tls_status"}},
		{name: "another filter", edit: func(in *Input) {
			in.service(RequiredTransport).Options["smtp_delivery_status_filter"] = "regexp:/etc/postfix/other_filter"
		}, warnings: []string{"does not explain a missing STARTTLS"}},
		{name: "not installed", edit: func(in *Input) {
			delete(in.Main, "bounce_template_file")
			delete(in.service(RequiredTransport).Options, "smtp_delivery_status_filter")
			in.Root = t.TempDir()
		}, warnings: []string{"bounce_template_file (default): is empty", "smtp_delivery_status_filter (default): is not set"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := caseInput(t, checkCase{dir: "good"})
			in.Root = root
			if tc.edit != nil {
				tc.edit(&in)
			}
			got := noticeLines(Check(in))
			if len(got[Problem]) != tc.problems || len(got[Warning]) != len(tc.warnings) {
				t.Errorf("got problems %q, warnings %q; want %d problems, warnings %q", got[Problem], got[Warning], tc.problems, tc.warnings)
			}
			for i, w := range tc.warnings {
				if i < len(got[Warning]) && !strings.Contains(got[Warning][i], w) {
					t.Errorf("warning %d: %s\nwant it to contain %s", i, got[Warning][i], w)
				}
			}
			var planned []string
			for _, e := range NewPlan(in).Edits {
				if strings.Contains(e.Arg, "delay_warning_time") || strings.Contains(e.Arg, "bounce_template_file") || strings.Contains(e.Arg, "delivery_status_filter") {
					planned = append(planned, e.Arg)
				}
			}
			if strings.Join(planned, "\n") != strings.Join(tc.plan, "\n") {
				t.Errorf("planned %q, want %q", planned, tc.plan)
			}
		})
	}
}

func (in *Input) service(name string) *Service {
	for i := range in.Master {
		if in.Master[i].Name == name && in.Master[i].Type == "unix" {
			return &in.Master[i]
		}
	}
	return &Service{Options: map[string]string{}}
}
