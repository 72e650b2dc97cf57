// Package rules holds tlsgate's configuration and the decision rules that turn
// a message's Subject and classifier result into a routing policy.
//
// All defaults live in Default; a TOML file only overrides them. Unknown keys
// and bad values are errors that name the file, the key, the line where it can
// be found, and what was expected (see Load).
package rules

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Refused-opt-out actions.
const (
	// ActionEnforce delivers a refused opt-out with TLS required: nothing is
	// lost, the receiver must offer TLS.
	ActionEnforce = "enforce"
	// ActionReject rejects a refused opt-out at end of data with 550 5.7.1 and
	// a bilingual explanation, so the sender learns why at once.
	ActionReject = "reject"
)

// Image handling for attachments (classify.Options.Images).
const (
	ImagesUninspectable = "uninspectable"
	ImagesIgnore        = "ignore"
)

// Handling of a message encrypted as a whole (classify.Result.ContentEncrypted).
const (
	EncryptedGrant  = "grant"
	EncryptedRefuse = "refuse"
)

// Config is the whole configuration file. Field tags are the TOML keys.
type Config struct {
	// Listen is the milter socket in Postfix notation: inet:HOST:PORT or
	// unix:/path.
	Listen string `toml:"listen"`
	// TrustedNetworks are client networks whose mail counts as outbound even
	// without SMTP AUTH. Postfix hands non-SMTP mail (sendmail(1)) to milters
	// as coming from 127.0.0.1, so loopback must stay listed for it.
	TrustedNetworks []string `toml:"trusted_networks"`
	// OptOutTags are the Subject tags that ask for opportunistic TLS; matched
	// case-insensitively after RFC 2047 decoding.
	OptOutTags []string `toml:"optout_tags"`
	// RefusedAction is what happens to a message whose opt-out is refused:
	// "enforce" or "reject".
	RefusedAction string `toml:"refused_action"`
	// RulesVersion is the site's label for its rules ("2026-11, HR
	// terms"), written to every audit record beside the digest of the
	// effective rules (Policy.Version), which is what tells an auditor
	// which rules decided. Empty: no label.
	RulesVersion string `toml:"rules_version"`

	Header  HeaderConfig  `toml:"header"`
	Server  ServerConfig  `toml:"server"`
	Log     LogConfig     `toml:"log"`
	Audit   AuditConfig   `toml:"audit"`
	Limits  LimitsConfig  `toml:"limits"`
	Content ContentConfig `toml:"content"`
	CPR     CPRConfig     `toml:"cpr"`
	Terms   TermsConfig   `toml:"terms"`

	Sendmail SendmailConfig `toml:"sendmail"`
	Metrics  MetricsConfig  `toml:"metrics"`
	Notice   NoticeConfig   `toml:"notice"`
}

// MetricsConfig is the Prometheus endpoint.
type MetricsConfig struct {
	// Listen is HOST:PORT for /metrics over HTTP. Empty (the default)
	// turns the endpoint off; HOST must be a loopback address: the
	// figures are for the relay's own monitoring, not the network.
	Listen string `toml:"listen"`
}

// NoticeConfig is the optional notice to a sender whose opt-out was refused
// (refused_action = "enforce" only: in "reject" mode the SMTP reply says it).
type NoticeConfig struct {
	// Enable sends the notice. Only SMTP-AUTH senders get one, at their
	// envelope sender address; the notice names the kinds of content
	// found, never the content.
	Enable bool `toml:"enable"`
	// SMTP is HOST:PORT of the local MTA, which gets the notice by SMTP
	// with the null envelope sender (not sendmail(1): the hardened unit's
	// NoNewPrivileges stops Postfix's setgid postdrop).
	SMTP string `toml:"smtp"`
	// From is the notice's From: address (the MTA qualifies a bare local
	// part with its own domain).
	From string `toml:"from"`
}

// HeaderConfig names the routing header and its two values. The Postfix
// milter_header_checks table must match these exactly.
type HeaderConfig struct {
	Name          string `toml:"name"`
	Require       string `toml:"require"`
	Opportunistic string `toml:"opportunistic"`
}

// ServerConfig tunes the milter server.
type ServerConfig struct {
	// IdleTimeout ends a milter connection on which the MTA sends nothing
	// for this long. Longer than Postfix's smtpd_timeout (300s).
	IdleTimeout Duration `toml:"idle_timeout"`
	// ShutdownTimeout is how long SIGTERM waits for messages in flight.
	ShutdownTimeout Duration `toml:"shutdown_timeout"`
}

// LogConfig controls the log.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `toml:"level"`
}

// AuditConfig says where audit records go.
type AuditConfig struct {
	// File, when set, receives one JSON line per outbound message; SIGHUP
	// reopens it (logrotate). When empty, the log line each message gets
	// anyway (stderr, so the journal under systemd) is the record.
	File string `toml:"file"`
}

// LimitsConfig bounds the work spent on one message. Hitting a limit makes
// the message uninspectable: TLS stays required.
type LimitsConfig struct {
	MaxMessageBytes int64    `toml:"max_message_bytes"`
	MaxHeaderBytes  int64    `toml:"max_header_bytes"`
	MaxDepth        int      `toml:"max_depth"`
	MaxParts        int      `toml:"max_parts"`
	ScanTimeout     Duration `toml:"scan_timeout"`
}

// ContentConfig says how kinds of content count.
type ContentConfig struct {
	// Images is "uninspectable" (an attached image may be a scanned
	// document) or "ignore".
	Images string `toml:"images"`
	// Encrypted is what an opt-out gets when the message is S/MIME- or
	// PGP/MIME-encrypted as a whole: "grant" (the body is protected end to
	// end; only the Subject and headers were read) or "refuse". A body that
	// only claims to be encrypted is uninspectable, whatever this says
	// (classify: encryptedContent).
	Encrypted string `toml:"encrypted"`
}

// CPRConfig tunes the CPR number detector.
type CPRConfig struct {
	// Keywords near a bare 10-digit number make it count as a CPR number
	// even when it fails modulus 11. They are sensitive terms themselves
	// (category "cpr").
	Keywords []string `toml:"keywords"`
}

// TermsConfig edits the sensitive-term lists. Lists maps a category to its
// whole list (replacing the built-in one); Add and Remove edit a list.
// Patterns: "word" matches the whole word, "stem*" words starting with stem,
// "*part*" anywhere inside a word, "*end" words ending so. Several words
// separated by spaces match a phrase. A leading "~" makes a weak term (it
// counts only near a cue of the category "person"), "!" an exception (see
// classify/context.go).
type TermsConfig struct {
	Lists  map[string][]string `toml:"lists"`
	Add    map[string][]string `toml:"add"`
	Remove map[string][]string `toml:"remove"`
}

// Duration is a time.Duration written as a Go duration string ("30s").
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("expected a duration such as \"30s\", got %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Default returns the built-in configuration: every default is here.
func Default() *Config {
	return &Config{
		Listen:          "inet:127.0.0.1:8898",
		TrustedNetworks: []string{"127.0.0.0/8", "::1/128"},
		OptOutTags:      []string{"[unsecure]"},
		RefusedAction:   ActionEnforce,
		Header: HeaderConfig{
			Name:          "X-TLSGate-Policy",
			Require:       "require",
			Opportunistic: "opportunistic",
		},
		Server: ServerConfig{
			IdleTimeout:     Duration{10 * time.Minute},
			ShutdownTimeout: Duration{30 * time.Second},
		},
		Log: LogConfig{Level: "info"},
		Limits: LimitsConfig{
			MaxMessageBytes: 64 << 20,
			MaxHeaderBytes:  1 << 20,
			MaxDepth:        20,
			MaxParts:        1000,
			ScanTimeout:     Duration{30 * time.Second},
		},
		Content:  ContentConfig{Images: ImagesUninspectable, Encrypted: EncryptedGrant},
		Sendmail: SendmailConfig{Mode: SendmailOff, MapListen: "inet:127.0.0.1:8899"},
		Notice:   NoticeConfig{SMTP: "127.0.0.1:25", From: "postmaster"},
		CPR: CPRConfig{
			Keywords: []string{"cpr", "cpr-nr", "cprnr", "cpr-nummer*", "cprnummer*",
				"personnummer*", "personnr", "pers.nr", "person nr",
				"sygesikring*", "civil registration number*", "personal identification number*",
				"personal id*", "national id*", "social security number*", "id-nummer*", "id-nr"},
		},
	}
}

// Load reads the TOML file at path over the defaults and validates it. The
// returned error lists every problem found, one per line, each naming the
// file, line (where known) and key.
func Load(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(src))
}

// Parse is Load on a file's contents; name is used in messages. Every
// problem is found in one pass: unknown keys (matched case-sensitively, as
// TOML defines), values of the wrong type and values out of range.
func Parse(name, src string) (*Config, error) {
	cfg := Default()
	d := &decoder{name: name, src: src}
	if err := d.decode(cfg); err != nil {
		return nil, err
	}
	errs := d.problems
	for _, p := range cfg.problems() {
		errs = append(errs, fmt.Sprintf("%s: %s: %s", where(name, src, p.key), p.key, p.msg))
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return lineOf(errs[i], name) < lineOf(errs[j], name) })
		return nil, &ConfigError{Problems: errs}
	}
	return cfg, nil
}

// ConfigError lists every problem found in a configuration file.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }

type problem struct{ key, msg string }

// problems validates values; keys are written as in the file.
func (c *Config) problems() []problem {
	var ps []problem
	bad := func(key, format string, a ...any) {
		ps = append(ps, problem{key, fmt.Sprintf(format, a...)})
	}
	if _, _, err := SplitListen(c.Listen); err != nil {
		bad("listen", "%v", err)
	}
	for _, n := range c.TrustedNetworks {
		if _, err := parseNetwork(n); err != nil {
			bad("trusted_networks", "expected an address or CIDR network such as \"10.0.0.0/8\", got %q", n)
		}
	}
	if len(c.OptOutTags) == 0 {
		bad("optout_tags", "expected at least one tag, such as \"[unsecure]\"")
	}
	for _, t := range c.OptOutTags {
		if strings.TrimSpace(t) == "" || t != strings.TrimSpace(t) {
			bad("optout_tags", "expected a tag without surrounding spaces, got %q", t)
		}
	}
	if c.RefusedAction != ActionEnforce && c.RefusedAction != ActionReject {
		bad("refused_action", "expected \"enforce\" or \"reject\", got %q", c.RefusedAction)
	}
	if !isToken(c.Header.Name) {
		bad("header.name", "expected a header field name (letters, digits, '-'), got %q", c.Header.Name)
	}
	for key, v := range map[string]string{"header.require": c.Header.Require, "header.opportunistic": c.Header.Opportunistic} {
		if !isToken(v) {
			bad(key, "expected a single word (letters, digits, '-'), got %q", v)
		}
	}
	if strings.EqualFold(c.Header.Require, c.Header.Opportunistic) {
		bad("header.opportunistic", "must differ from header.require (both are %q)", c.Header.Require)
	}
	for _, h := range []string{"TLS-Required", "Require-TLS-ESMTP", "Subject"} {
		if strings.EqualFold(c.Header.Name, h) {
			bad("header.name", "must not be %q", h)
		}
	}
	if c.Server.IdleTimeout.Duration < time.Second {
		bad("server.idle_timeout", "expected at least 1s, got %s", c.Server.IdleTimeout)
	}
	if c.Server.ShutdownTimeout.Duration < 0 {
		bad("server.shutdown_timeout", "expected a positive duration, got %s", c.Server.ShutdownTimeout)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "expected debug, info, warn or error, got %q", c.Log.Level)
	}
	if c.Audit.File != "" && !strings.HasPrefix(c.Audit.File, "/") {
		bad("audit.file", "expected an absolute path, got %q", c.Audit.File)
	}
	if c.Limits.MaxMessageBytes < 1024 {
		bad("limits.max_message_bytes", "expected at least 1024, got %d", c.Limits.MaxMessageBytes)
	}
	if c.Limits.MaxHeaderBytes < 1024 {
		bad("limits.max_header_bytes", "expected at least 1024, got %d", c.Limits.MaxHeaderBytes)
	}
	if c.Limits.MaxDepth < 1 || c.Limits.MaxDepth > 100 {
		bad("limits.max_depth", "expected 1 to 100, got %d", c.Limits.MaxDepth)
	}
	if c.Limits.MaxParts < 1 {
		bad("limits.max_parts", "expected at least 1, got %d", c.Limits.MaxParts)
	}
	if c.Limits.ScanTimeout.Duration <= 0 {
		bad("limits.scan_timeout", "expected a positive duration, got %s", c.Limits.ScanTimeout)
	}
	if c.Content.Images != ImagesUninspectable && c.Content.Images != ImagesIgnore {
		bad("content.images", "expected %q or %q, got %q", ImagesUninspectable, ImagesIgnore, c.Content.Images)
	}
	if c.Content.Encrypted != EncryptedGrant && c.Content.Encrypted != EncryptedRefuse {
		bad("content.encrypted", "expected %q or %q, got %q", EncryptedGrant, EncryptedRefuse, c.Content.Encrypted)
	}
	ps = append(ps, sendmailProblems(c.Sendmail)...)
	if c.Metrics.Listen != "" {
		if err := checkLoopback(c.Metrics.Listen); err != nil {
			bad("metrics.listen", "%v", err)
		}
	}
	if _, port, err := net.SplitHostPort(c.Notice.SMTP); err != nil || port == "" {
		bad("notice.smtp", "expected HOST:PORT of the local MTA such as \"127.0.0.1:25\", got %q", c.Notice.SMTP)
	}
	if c.Notice.From == "" || strings.ContainsAny(c.Notice.From, " \t\r\n<>,\"") {
		bad("notice.from", "expected a plain address such as \"postmaster\" or \"postmaster@example.dk\", got %q", c.Notice.From)
	}
	for _, p := range termProblems(c) {
		ps = append(ps, p)
	}
	return ps
}

// termProblems checks the term tables: categories must exist for add and
// remove, and every pattern must be usable.
func termProblems(c *Config) []problem {
	var ps []problem
	check := func(table string, m map[string][]string, mustExist bool) {
		cats := make([]string, 0, len(m))
		for cat := range m {
			cats = append(cats, cat)
		}
		sort.Strings(cats)
		for _, cat := range cats {
			key := "terms." + table + "." + cat
			if !isToken(cat) {
				ps = append(ps, problem{key, "expected a category name of letters, digits and '-'"})
				continue
			}
			if mustExist && !knownCategory(c, cat) {
				ps = append(ps, problem{key, fmt.Sprintf("unknown category %q (known: %s; a new category is declared with terms.lists)", cat, strings.Join(TermCategories(), ", "))})
			}
			for _, p := range m[cat] {
				if err := checkPattern(p); err != nil {
					ps = append(ps, problem{key, fmt.Sprintf("pattern %q: %v", p, err)})
				}
			}
		}
	}
	check("lists", c.Terms.Lists, false)
	check("add", c.Terms.Add, true)
	check("remove", c.Terms.Remove, true)
	for _, p := range c.CPR.Keywords {
		if err := checkPattern(p); err != nil {
			ps = append(ps, problem{"cpr.keywords", fmt.Sprintf("pattern %q: %v", p, err)})
		}
	}
	return ps
}

// knownCategory: built in, the CPR keywords' "cpr", or declared in
// terms.lists.
func knownCategory(c *Config, cat string) bool {
	if _, ok := c.Terms.Lists[cat]; ok || cat == "cpr" {
		return true
	}
	for _, k := range TermCategories() {
		if k == cat {
			return true
		}
	}
	return false
}

func checkPattern(p string) error {
	// A leading '~' marks a weak term, '!' an exception (TermsConfig).
	if len(p) > 0 && (p[0] == '~' || p[0] == '!') {
		p = p[1:]
	}
	core := strings.Trim(p, "*")
	if strings.TrimSpace(core) == "" {
		return errors.New("expected some text besides '*'")
	}
	if strings.Contains(core, "*") {
		return errors.New("'*' is allowed only at the start or end")
	}
	if len([]rune(core)) < 3 && strings.HasPrefix(p, "*") {
		return errors.New("an inner match needs at least 3 letters")
	}
	return nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// SplitListen splits a Postfix-style socket address into a Go network and
// address: "inet:127.0.0.1:8898" → ("tcp", "127.0.0.1:8898"),
// "unix:/run/tlsgate/tlsgate.sock" → ("unix", "/run/...").
func SplitListen(s string) (network, addr string, err error) {
	kind, rest, ok := strings.Cut(s, ":")
	switch {
	case ok && kind == "inet":
		i := strings.LastIndex(rest, ":")
		if i <= 0 {
			break
		}
		host, port := strings.Trim(rest[:i], "[]"), rest[i+1:]
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			break
		}
		return "tcp", net.JoinHostPort(host, port), nil
	case ok && (kind == "unix" || kind == "local") && strings.HasPrefix(rest, "/"):
		return "unix", rest, nil
	}
	return "", "", fmt.Errorf("expected inet:HOST:PORT or unix:/path, got %q", s)
}

// checkLoopback accepts HOST:PORT where HOST is a loopback address or
// "localhost".
func checkLoopback(hostport string) error {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("expected HOST:PORT such as \"127.0.0.1:9898\", got %q", hostport)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("expected a port number 0-65535, got %q", port)
	}
	if host == "localhost" {
		return nil
	}
	if a, err := netip.ParseAddr(host); err != nil || !a.IsLoopback() {
		return fmt.Errorf("expected a loopback address (127.0.0.1, [::1] or localhost), got %q", host)
	}
	return nil
}

func parseNetwork(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
