package logscan

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/rules"
)

// Parts of a log line that are tlsgate's own and may hold digits in any
// arrangement: timestamps, the MTA's queue ID, reason codes (which name
// categories: "term:health"), addresses with ports, and the directories
// Go's testing package makes (t.TempDir: "/tmp/TestReload2588948603/002"),
// whose random suffix is a CPR-shaped number one time in a few dozen.
var masks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?`), "_"},
	{regexp.MustCompile(`(queue_id"?[=:]"?)[0-9A-Za-z]+`), "${1}_"},
	{regexp.MustCompile(`\b(cpr|term|uninspectable|limit|subject|error|content)(:[\w.-]+)+`), "_"},
	{regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`), "_"},
	{regexp.MustCompile(`/(Test\w*?)\d+/\d{3}/`), "/${1}_/_/"},
}

// detector finds CPR numbers and sensitive terms with the shipped rules.
func detector(t *testing.T) *classify.Classifier {
	t.Helper()
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	return pol.Classifier
}

// findings says what in line looks like personal data or message text.
func findings(c *classify.Classifier, text map[string]bool, line string) []string {
	for _, m := range masks {
		line = m.re.ReplaceAllString(line, m.with)
	}
	var f []string
	res := c.ScanText(line)
	if res.CPR > 0 {
		f = append(f, "CPR-shaped number")
	}
	for cat := range res.Terms {
		f = append(f, "sensitive term ("+cat+")")
	}
	for _, g := range shingles(line) {
		if text[g] {
			f = append(f, "test message text ("+g+")")
			break
		}
	}
	return f
}

// shingles are the runs of five words of three letters or more: long
// enough that a log line shares one with a message only by quoting it.
func shingles(s string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r > 127)
	}) {
		if len([]rune(w)) >= 3 {
			words = append(words, w)
		}
	}
	var out []string
	for i := 0; i+5 <= len(words); i++ {
		out = append(out, strings.Join(words[i:i+5], " "))
	}
	return out
}

// messageText collects the shingles of every test message body under the
// repository's testdata.
func messageText(t *testing.T) map[string]bool {
	t.Helper()
	text := map[string]bool{}
	root := filepath.Join("..", "..", "..", "..", "testdata")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".eml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if i := bytes.Index(b, []byte("\n\n")); i >= 0 {
			b = b[i:]
		} else if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			b = b[i:]
		}
		for _, g := range shingles(string(b)) {
			text[g] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(text) < 1000 {
		t.Fatalf("only %d shingles of test message text under %s", len(text), root)
	}
	return text
}

// The detector works on the kind of line it is given: a log line that did
// quote a message is caught, tlsgate's own lines pass.
func TestFindings(t *testing.T) {
	c := detector(t)
	text := map[string]bool{}
	for _, g := range shingles("Hej Bente, vedlagt kopi af journalen fra sygehuset i går.") {
		text[g] = true
	}
	for _, tc := range []struct {
		line string
		bad  bool
	}{
		{`time=2026-11-23T10:11:12.345Z level=INFO msg=message queue_id=3010851234 decision=optout-refused reasons=cpr:1,term:health,uninspectable:pdf-font client=127.0.0.1 rcpt_domains=example.com parts=3 text_bytes=2010 rules=builtin`, false},
		{`{"time":"2026-11-23T10:11:12.345678Z","queue_id":"0101851234","decision":"require","rules":"builtin"}`, false},
		{`time=2026-11-23T10:11:12Z level=INFO msg=started version=dev listen=inet:127.0.0.1:38421 metrics=127.0.0.1:40101 rules=builtin`, false},
		{`level=ERROR msg="reload failed; keeping the old rules" err="/tmp/TestReload0102851234/002/tlsgate.toml:1: bogus: unknown key"`, false},
		{`level=ERROR msg="reload failed" err="/srv/0102851234/tlsgate.toml:1: bogus: unknown key"`, true},
		{`level=ERROR msg="scan failed" detail="line: CPR 010285-1234"`, true},
		{`level=WARN msg="milter protocol" detail="bad header Subject: 0102851234"`, true},
		{`level=ERROR msg=x detail="patienten er sygemeldt"`, true},
		{`level=ERROR msg=x detail="vedlagt kopi af journalen fra sygehuset"`, true},
	} {
		if got := findings(c, text, tc.line); (len(got) > 0) != tc.bad {
			t.Errorf("findings(%s) = %v, want bad=%v", tc.line, got, tc.bad)
		}
	}
}

// TestSuiteLogs scans every log line the test suite produced.
func TestSuiteLogs(t *testing.T) {
	dir := os.Getenv("TLSGATE_LOG_DIR")
	if os.Getenv("TLSGATE_LOGSCAN") != "require" || dir == "" {
		t.Skip("runs after the whole suite: TLSGATE_LOG_DIR=DIR TLSGATE_LOGSCAN=require (see .ci/run)")
	}
	c := detector(t)
	text := messageText(t)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	lines, bad := 0, 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for n := 1; sc.Scan(); n++ {
			lines++
			if fs := findings(c, text, sc.Text()); len(fs) > 0 {
				bad++
				if bad <= 20 {
					// The line itself is not repeated: it may hold the
					// very data that must not be in a log.
					t.Errorf("%s:%d: %s", filepath.Base(f), n, strings.Join(fs, ", "))
				}
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	t.Logf("%d files, %d log lines scanned, %d with findings", len(files), lines, bad)
	// Fewer than this means the suite did not leave its logs: a scan of
	// nothing proves nothing.
	if len(files) < 10 || lines < 200 {
		t.Fatalf("only %d files and %d lines in %s: the suite's logs are missing", len(files), lines, dir)
	}
}
