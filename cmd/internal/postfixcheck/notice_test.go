package postfixcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped snippets, with the notice files where the package installs
// them, raise nothing; each missing or broken piece raises its finding.
func TestCheckNotices(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "packaging", "postfix")
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	root := t.TempDir()
	for _, d := range []string{"etc/postfix", "etc/tlsgate"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	for _, n := range []string{"tlsgate_milter_header_checks", "tlsgate_strip"} {
		os.WriteFile(filepath.Join(root, "etc", "postfix", n), []byte(read(n)), 0o644)
	}
	for _, n := range []string{"tlsgate_bounce.cf", "tlsgate_tls_status"} {
		os.WriteFile(filepath.Join(root, "etc", "tlsgate", n), []byte(read(n)), 0o644)
	}
	os.WriteFile(filepath.Join(root, "etc", "postfix", "other_filter"), []byte("/^4.4.1 /  4.4.1 try later\n"), 0o644)
	input := func(mainEdit func(map[string]string), filter string) Input {
		m, err := ParseMain(strings.NewReader(read("main.cf.example")))
		if err != nil {
			t.Fatal(err)
		}
		svcs, err := ParseMaster(strings.NewReader(read("master.cf.example")))
		if err != nil {
			t.Fatal(err)
		}
		if mainEdit != nil {
			mainEdit(m)
		}
		for i := range svcs {
			if svcs[i].Name == RequiredTransport && filter != "keep" {
				delete(svcs[i].Options, "smtp_delivery_status_filter")
				if filter != "" {
					svcs[i].Options["smtp_delivery_status_filter"] = filter
				}
			}
		}
		return Input{Main: m, Master: svcs, Version: Version{3, 7}, Milter: "inet:127.0.0.1:8898",
			HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic", Root: root}
	}
	for _, tc := range []struct {
		name     string
		in       Input
		problems int
		want     []string // in the findings, in order
	}{
		{"shipped", input(nil, "keep"), 0, nil},
		{"no delay warning", input(func(m map[string]string) { delete(m, "delay_warning_time") }, "keep"), 0,
			[]string{"delay_warning_time: is none: Postfix sends no delay notice"}},
		{"delay 0h", input(func(m map[string]string) { m["delay_warning_time"] = "0h" }, "keep"), 0,
			[]string{"delay_warning_time: is 0h"}},
		{"delay 4h", input(func(m map[string]string) { m["delay_warning_time"] = "4h" }, "keep"), 0, nil},
		{"delay nonsense", input(func(m map[string]string) { m["delay_warning_time"] = "soon" }, "keep"), 1,
			[]string{"not a Postfix time value"}},
		{"Postfix's templates", input(func(m map[string]string) { delete(m, "bounce_template_file") }, "keep"), 0,
			[]string{"bounce_template_file: is empty"}},
		{"template missing", input(func(m map[string]string) { m["bounce_template_file"] = "/etc/postfix/nope.cf" }, "keep"), 1,
			[]string{"PROBLEM: bounce_template_file: cannot be read"}},
		{"no filter", input(nil, ""), 0, []string{"smtp_delivery_status_filter: is not set"}},
		{"global filter", input(func(m map[string]string) {
			m["smtp_delivery_status_filter"] = "regexp:/etc/tlsgate/tlsgate_tls_status"
		}, ""), 0, nil},
		{"filter missing", input(nil, "regexp:/etc/tlsgate/missing"), 1, []string{"cannot read /etc/tlsgate/missing"}},
		{"another filter", input(nil, "regexp:/etc/postfix/other_filter"), 0, []string{"does not explain a missing STARTTLS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := CheckNotices(tc.in)
			var all []string
			for _, f := range fs {
				all = append(all, f.String())
			}
			text := strings.Join(all, "\n")
			if Problems(fs) != tc.problems || len(fs) != len(tc.want) {
				t.Errorf("%d findings, %d problems; want %d, %d:\n%s", len(fs), Problems(fs), len(tc.want), tc.problems, text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("findings lack %q:\n%s", w, text)
				}
			}
		})
	}
}

// The recipe with the notices passes CheckNotices once the package's files
// are in place; without them it sets delay_warning_time only.
func TestWithNotices(t *testing.T) {
	root := t.TempDir()
	r := NewRecipe("inet:127.0.0.1:8898", "X-TLSGate-Policy", "require", "opportunistic")
	bare := WithNotices(r, root)
	if len(bare.Main) != len(r.Main)+1 || bare.Master != r.Master {
		t.Errorf("without the files: %v\n%s", bare.Main[len(r.Main):], bare.Master)
	}
	os.MkdirAll(filepath.Join(root, "etc", "tlsgate"), 0o755)
	os.MkdirAll(filepath.Join(root, "etc", "postfix"), 0o755)
	for _, n := range []string{"tlsgate_bounce.cf", "tlsgate_tls_status"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "packaging", "postfix", n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, "etc", "tlsgate", n), b, 0o644)
	}
	os.WriteFile(filepath.Join(root, r.HeaderChecksPath), []byte(r.HeaderChecks), 0o644)
	full := WithNotices(r, root)
	main := map[string]string{}
	for _, kv := range full.Main {
		main[kv[0]] = kv[1]
	}
	master, err := ParseMaster(strings.NewReader(full.Master))
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Main: main, Master: master, HeaderName: "X-TLSGate-Policy", Require: "require", Opportunistic: "opportunistic", Root: root}
	for _, f := range CheckNotices(in) {
		t.Errorf("%s", f)
	}
	if !strings.Contains(full.Master, "smtp-tls-required unix") || strings.Count(full.Master, "smtp_delivery_status_filter") != 1 {
		t.Errorf("master.cf text:\n%s", full.Master)
	}
}
