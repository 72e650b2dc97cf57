package postfixcheck

import (
	"fmt"
	"net"
	"path"
	"strings"
)

// milterEntry is one entry of a milter list: "inet:host:port" or
// "{ inet:host:port, default_action=accept, ... }".
type milterEntry struct {
	Addr string
	Opts map[string]string
}

// parseMilters reads a smtpd_milters / non_smtpd_milters value.
func parseMilters(v string) []milterEntry {
	var out []milterEntry
	for _, f := range splitList(v) {
		m := milterEntry{Addr: f, Opts: map[string]string{}}
		if strings.HasPrefix(f, "{") {
			parts := strings.Fields(strings.TrimSpace(strings.Trim(f, "{}")))
			if len(parts) == 0 {
				continue
			}
			m.Addr = parts[0]
			for _, p := range parts[1:] {
				k, val, _ := strings.Cut(p, "=")
				m.Opts[strings.TrimSpace(k)] = strings.TrimSpace(val)
			}
		}
		out = append(out, m)
	}
	return out
}

// endpoint is a socket as the host (not a chroot) sees it: network "tcp"
// with HOST:PORT, or "unix" with an absolute path.
type endpoint struct{ network, addr string }

func (e endpoint) String() string {
	if e.network == "unix" {
		return "unix:" + e.addr
	}
	return "inet:" + e.addr
}

// hostEndpoint resolves a milter address the way a Postfix daemon does: a
// unix socket path of a chrooted daemon (and any relative path) lies under
// the queue directory.
func hostEndpoint(addr string, chroot bool, queueDir string) (endpoint, bool) {
	kind, rest, ok := strings.Cut(addr, ":")
	if !ok {
		return endpoint{}, false
	}
	switch strings.ToLower(kind) {
	case "unix", "local":
		if chroot || !strings.HasPrefix(rest, "/") {
			return endpoint{"unix", path.Join(queueDir, rest)}, true
		}
		return endpoint{"unix", path.Clean(rest)}, true
	case "inet":
		host, port := "127.0.0.1", rest
		if i := strings.LastIndex(rest, ":"); i >= 0 {
			host, port = strings.Trim(rest[:i], "[]"), rest[i+1:]
		}
		if strings.EqualFold(host, "localhost") || host == "" {
			host = "127.0.0.1"
		}
		return endpoint{"tcp", net.JoinHostPort(host, port)}, true
	}
	return endpoint{}, false
}

// listenEndpoint is where tlsgate listens; a wildcard host is kept as "".
func listenEndpoint(listen string) (endpoint, bool) {
	e, ok := hostEndpoint(listen, false, "/")
	if !ok || e.network != "tcp" {
		return e, ok
	}
	host, port, _ := net.SplitHostPort(e.addr)
	if host == "0.0.0.0" || host == "::" || host == "*" {
		host = ""
	}
	return endpoint{"tcp", net.JoinHostPort(host, port)}, true
}

// reaches reports whether a client connecting to e reaches a server
// listening at l.
func reaches(e, l endpoint) bool {
	if e.network != l.network {
		return false
	}
	if e.network == "unix" {
		return e.addr == l.addr
	}
	eh, ep, _ := net.SplitHostPort(e.addr)
	lh, lp, _ := net.SplitHostPort(l.addr)
	return ep == lp && (lh == "" || lh == eh)
}

// knownMilters names milters by their usual ports, to say what the one
// before tlsgate probably is.
var knownMilters = map[string]string{
	"8891":  "OpenDKIM",
	"8892":  "OpenDKIM",
	"8893":  "OpenDMARC",
	"11332": "rspamd",
	"8890":  "OpenARC",
	"12301": "OpenDKIM",
}

func describeMilter(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		if name, ok := knownMilters[addr[i+1:]]; ok {
			return addr + " (" + name + ")"
		}
	}
	return addr
}

// chrooted reports whether a master.cf service runs chrooted. "-" means no
// since Postfix 3.0.
func (c *checker) chrooted(s *Service) bool {
	if s == nil {
		return false
	}
	switch s.Chroot {
	case "y":
		return true
	case "-":
		return c.in.Version.Known() && !c.in.Version.AtLeast(3, 0)
	}
	return false
}

func (c *checker) queueDir() string { return c.value("queue_directory") }

// tlsgateIndex finds tlsgate in a milter list as the daemon (chrooted or
// not) resolves each address; -1 when absent. chrootMiss reports an entry
// that names tlsgate's socket path the chroot hides.
func (c *checker) tlsgateIndex(ms []milterEntry, chroot bool) (i int, at endpoint, chrootMiss string) {
	l, ok := listenEndpoint(c.in.Listen)
	if !ok {
		return -1, endpoint{}, ""
	}
	for i, m := range ms {
		e, ok := hostEndpoint(m.Addr, chroot, c.queueDir())
		if ok && reaches(e, l) {
			return i, e, ""
		}
		if raw, ok := hostEndpoint(m.Addr, false, c.queueDir()); ok && chroot && reaches(raw, l) {
			chrootMiss = m.Addr
		}
	}
	return -1, endpoint{}, chrootMiss
}

// postfixName is tlsgate's address as a (chrooted) daemon must name it;
// "" when a chrooted daemon cannot reach it.
func (c *checker) postfixName(chroot bool) string {
	l, ok := listenEndpoint(c.in.Listen)
	if !ok {
		return c.in.Listen
	}
	if l.network == "tcp" {
		host, port, _ := net.SplitHostPort(l.addr)
		if host == "" {
			host = "127.0.0.1"
		}
		return "inet:" + net.JoinHostPort(host, port)
	}
	if !chroot {
		return "unix:" + l.addr
	}
	q := strings.TrimSuffix(c.queueDir(), "/") + "/"
	if !strings.HasPrefix(l.addr, q) {
		return ""
	}
	return "unix:/" + strings.TrimPrefix(l.addr, q)
}

// withTlsgateFirst returns the list with tlsgate first and every other
// milter kept in its order.
func withTlsgateFirst(ms []milterEntry, idx int, name string) string {
	out := []string{name}
	for i, m := range ms {
		if i != idx {
			out = append(out, formatMilter(m))
		}
	}
	return strings.Join(out, ", ")
}

// withoutTlsgate returns the list without tlsgate.
func withoutTlsgate(ms []milterEntry, idx int) string {
	var out []string
	for i, m := range ms {
		if i != idx {
			out = append(out, formatMilter(m))
		}
	}
	return strings.Join(out, ", ")
}

func formatMilter(m milterEntry) string {
	if len(m.Opts) == 0 {
		return m.Addr
	}
	parts := []string{m.Addr}
	for _, k := range sortedKeys(m.Opts) {
		parts = append(parts, k+"="+m.Opts[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// setFix is the postconf command that sets where (a main.cf parameter or a
// master.cf -o override) to value.
func setFix(where, value string) string {
	where = strings.TrimSuffix(where, " (default)")
	if rest, ok := strings.CutPrefix(where, "master.cf "); ok {
		svc, param, _ := strings.Cut(rest, " -o ")
		return fmt.Sprintf("postconf -P '%s/%s=%s'", svc, param, value)
	}
	return fmt.Sprintf("postconf -e '%s = %s'", strings.TrimPrefix(where, "main.cf "), value)
}

// MilterAddress turns tlsgate's listen setting into the address a chrooted
// Postfix daemon must name in smtpd_milters: a unix socket inside the queue
// directory is named relative to it; one outside is returned unchanged
// (and postfix-check reports it unreachable).
func MilterAddress(listen, queueDir string) string {
	if queueDir == "" {
		queueDir = "/var/spool/postfix"
	}
	c := &checker{in: Input{Listen: listen, Main: map[string]string{"queue_directory": queueDir}}}
	if name := c.postfixName(true); name != "" {
		return name
	}
	return listen
}
