// Package postfixcheck checks that a Postfix configuration keeps the promises
// tlsgate relies on: every way mail enters the queue (each smtpd, pickup and
// qmqpd service with its master.cf overrides) passes tlsgate first, or a
// content filter that tlsgate decides after; routing follows tlsgate's
// header; and mail leaves with TLS 1.2 or later unless that header says
// otherwise (Check). It also works out and applies the changes that make a
// configuration keep them (NewPlan, Postconf.Apply).
//
// The input is what postconf(1) prints (Postconf.Read), or main.cf and
// master.cf parsed directly (ParseMain, ParseMaster).
//
// Adding to it: a main.cf parameter with a fixed value, or a -o setting of
// one of the two delivery transports, is one row in mainSettings,
// requiredTransport or optionalTransport (settings.go); postfix-check
// reports it and postfix-config writes it. Any other check is a function
// on *checker listed in checks (check.go).
package postfixcheck

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// ParseMain reads "name = value" lines as printed by postconf -n (or a
// main.cf): comments and blank lines are skipped, a line starting with white
// space continues the previous one.
func ParseMain(r io.Reader) (map[string]string, error) {
	m := map[string]string{}
	last := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last == "" {
				return nil, fmt.Errorf("line %d: continuation line without a setting", n)
			}
			m[last] = strings.TrimSpace(m[last] + " " + t)
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected \"name = value\", got %q", n, line)
		}
		last = strings.TrimSpace(k)
		m[last] = strings.TrimSpace(v)
	}
	return m, sc.Err()
}

// Service is one master.cf entry.
type Service struct {
	Name, Type, Private, Unpriv, Chroot, Wakeup, MaxProc, Command string
	// Options are the -o name=value overrides, in order.
	Options map[string]string
	// Args are the command's other arguments.
	Args []string
}

// Key is "name/type", as postconf -M and -P name a service.
func (s Service) Key() string { return s.Name + "/" + s.Type }

// Program is the daemon a service runs, without a directory
// ("/usr/lib/postfix/sbin/smtpd" is smtpd).
func (s Service) Program() string { return path.Base(s.Command) }

// ParseMaster reads master.cf entries as printed by postconf -M (one per
// line) or written in master.cf (continuation lines start with white space).
func ParseMaster(r io.Reader) ([]Service, error) {
	var entries []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(entries) > 0 {
			entries[len(entries)-1] += " " + t
			continue
		}
		entries = append(entries, t)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var svcs []Service
	for _, e := range entries {
		f := splitMasterFields(e)
		if len(f) < 8 {
			return nil, fmt.Errorf("master.cf entry %q: expected at least 8 fields", e)
		}
		s := Service{Name: f[0], Type: f[1], Private: f[2], Unpriv: f[3], Chroot: f[4],
			Wakeup: f[5], MaxProc: f[6], Command: f[7], Options: map[string]string{}}
		for i := 8; i < len(f); i++ {
			a := f[i]
			var opt string
			switch {
			case a == "-o" && i+1 < len(f):
				i++
				opt = f[i]
			case strings.HasPrefix(a, "-o") && len(a) > 2:
				opt = a[2:]
			default:
				s.Args = append(s.Args, a)
				continue
			}
			opt = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(opt, "{"), "}"))
			k, v, _ := strings.Cut(opt, "=")
			s.Options[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		svcs = append(svcs, s)
	}
	return svcs, nil
}

// splitMasterFields splits on white space, keeping "{ ... }" groups whole.
func splitMasterFields(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '{':
			depth++
			cur.WriteRune(r)
		case r == '}' && depth > 0:
			depth--
			cur.WriteRune(r)
		case (r == ' ' || r == '\t') && depth == 0:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// Version is a Postfix release, e.g. {3, 7}; the zero value means unknown.
type Version struct{ Major, Minor int }

// ParseVersion reads "3.7.11" or "3.10".
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 {
		return Version{}, fmt.Errorf("expected a Postfix version such as 3.7.11, got %q", s)
	}
	maj, err1 := strconv.Atoi(parts[0])
	min, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || maj < 2 {
		return Version{}, fmt.Errorf("expected a Postfix version such as 3.7.11, got %q", s)
	}
	return Version{maj, min}, nil
}

// Known reports whether the version was given.
func (v Version) Known() bool { return v.Major > 0 }

// AtLeast reports whether v is maj.min or later.
func (v Version) AtLeast(maj, min int) bool {
	return v.Major > maj || v.Major == maj && v.Minor >= min
}

func (v Version) String() string {
	if !v.Known() {
		return "unknown"
	}
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}

// Rule is one line of a regexp: or pcre: table.
type Rule struct {
	Negate bool
	Re     *regexp.Regexp
	Action string
}

// ParseRegexpTable reads a Postfix regexp_table(5)/pcre_table(5) file well
// enough to evaluate simple header rules: "/pattern/flags action" and
// "!/pattern/ action". if/endif blocks are flattened. Patterns are
// case-insensitive unless the "i" flag turns that off.
func ParseRegexpTable(src string) ([]Rule, error) {
	var lines []string
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(lines) > 0 {
			lines[len(lines)-1] += " " + t
			continue
		}
		lines = append(lines, t)
	}
	var rules []Rule
	for _, l := range lines {
		lower := strings.ToLower(l)
		if lower == "endif" {
			continue
		}
		if strings.HasPrefix(lower, "if ") || strings.HasPrefix(lower, "if!") {
			continue
		}
		r := Rule{}
		if strings.HasPrefix(l, "!") {
			r.Negate = true
			l = l[1:]
		}
		if l == "" {
			continue
		}
		delim := l[0]
		end := -1
		for i := 1; i < len(l); i++ {
			if l[i] == '\\' {
				i++
				continue
			}
			if l[i] == delim {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("rule %q: pattern not closed with %q", l, delim)
		}
		pat := l[1:end]
		rest := l[end+1:]
		flags := ""
		for rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			flags += rest[:1]
			rest = rest[1:]
		}
		insensitive := true
		for _, f := range flags {
			if f == 'i' {
				insensitive = !insensitive
			}
		}
		if insensitive {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("rule %q: %v", l, err)
		}
		r.Re = re
		r.Action = strings.TrimSpace(rest)
		rules = append(rules, r)
	}
	return rules, nil
}

// Lookup returns the action of the first rule matching s, or "".
func Lookup(rules []Rule, s string) string {
	for _, r := range rules {
		if r.Re.MatchString(s) != r.Negate {
			return r.Action
		}
	}
	return ""
}
