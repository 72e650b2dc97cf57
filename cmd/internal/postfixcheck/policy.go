package postfixcheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// policyMaps checks smtp_tls_policy_maps on every transport that must
// enforce TLS: an entry overrides the transport's security level for its
// destination.
func (c *checker) policyMaps() {
	users := map[string][]string{}
	var specs []string
	svcs := c.fenceServices()
	if s := c.service(c.req, "unix"); s != nil {
		svcs = append(svcs, s)
	}
	for _, s := range svcs {
		spec, where := c.param("smtp_tls_policy_maps", s)
		if strings.TrimSpace(spec) == "" {
			continue
		}
		key := where + "\x00" + spec
		if users[key] == nil {
			specs = append(specs, key)
		}
		users[key] = append(users[key], s.Key())
	}
	for _, key := range specs {
		where, spec, _ := strings.Cut(key, "\x00")
		c.checkPolicyMap(where, spec, strings.Join(users[key], ", "))
	}
}

// policyEntry is one destination and its TLS policy.
type policyEntry struct{ dest, policy string }

func (c *checker) checkPolicyMap(where, spec, transports string) {
	bad := 0
	for _, m := range splitList(spec) {
		entries, err := c.mapEntries(where, m)
		if err != nil {
			c.warn(where, "cannot read %s (%v): an entry there could lower TLS for %s unseen; check it by hand", m, err, transports)
			bad++
			continue
		}
		for _, e := range entries {
			if why := lowersTLS(e.policy); why != "" {
				bad++
				c.problem(where, fmt.Sprintf("change the entry to encrypt (or delete it) in %s, then postmap it", sourceName(m)),
					"%s: the entry %q %s, overriding encrypt on %s", m, e.dest+" "+e.policy, why, transports)
			}
		}
	}
	if bad == 0 {
		c.ok(where, "no entry lowers TLS below encrypt on %s", transports)
	}
}

// lowersTLS says how a policy entry lowers TLS, or "".
func lowersTLS(policy string) string {
	f := strings.Fields(policy)
	if len(f) == 0 {
		return ""
	}
	if !tlsLevelEnforces(f[0]) {
		return "lets mail to it leave without TLS (" + f[0] + ")"
	}
	for _, attr := range f[1:] {
		if k, v, ok := strings.Cut(attr, "="); ok && strings.EqualFold(k, "protocols") {
			if weak := weakProtocols(v); len(weak) > 0 {
				return "allows " + strings.Join(weak, ", ")
			}
		}
	}
	return ""
}

// sourceName is the file an administrator edits for a table.
func sourceName(spec string) string {
	spec = strings.TrimPrefix(spec, "proxy:")
	_, path, _ := strings.Cut(spec, ":")
	return path
}

// indexSuffix names the file Postfix reads for an indexed table type; it
// is built from the source file by postmap(1).
var indexSuffix = map[string]string{"hash": ".db", "btree": ".db", "lmdb": ".lmdb", "cdb": ".cdb", "dbm": ".pag", "sdbm": ".pag"}

// mapEntries reads a table's entries like readMapEntries, and warns when
// Postfix reads an index that is missing or older than the source read
// here: then Postfix may act on entries this check did not see.
func (c *checker) mapEntries(where, spec string) ([]policyEntry, error) {
	entries, err := c.readMapEntries(spec)
	if err != nil {
		return nil, err
	}
	typ, path, _ := strings.Cut(strings.TrimPrefix(spec, "proxy:"), ":")
	suffix, ok := indexSuffix[typ]
	if !ok {
		return entries, nil
	}
	src, err := os.Stat(filepath.Join(c.in.Root, path))
	if err != nil {
		return nil, err
	}
	idx, err := os.Stat(filepath.Join(c.in.Root, path+suffix))
	switch {
	case err != nil:
		c.warn(where, "%s: Postfix reads %s%s, which is missing (%v): run postmap %s", spec, path, suffix, err, spec)
	case idx.ModTime().Before(src.ModTime()):
		c.warn(where, "%s: %s%s is older than %s, so Postfix may still use entries this check did not see: run postmap %s", spec, path, suffix, path, spec)
	}
	return entries, nil
}

// readMapEntries reads the entries of one table: the source file of an
// indexed table (the .db beside it is what Postfix reads, written by
// postmap from this file), a cidr, regexp or pcre table, inline: or
// static:.
func (c *checker) readMapEntries(spec string) ([]policyEntry, error) {
	spec = strings.TrimPrefix(spec, "proxy:")
	typ, arg, ok := strings.Cut(spec, ":")
	if !ok {
		return nil, fmt.Errorf("not a Postfix table")
	}
	switch typ {
	case "hash", "btree", "lmdb", "cdb", "dbm", "sdbm", "texthash", "cidr":
		return c.readIndexedSource(arg)
	case "regexp", "pcre":
		rules, err := c.readTable(spec)
		if err != nil {
			return nil, err
		}
		var out []policyEntry
		for _, r := range rules {
			out = append(out, policyEntry{r.Re.String(), r.Action})
		}
		return out, nil
	case "inline":
		var out []policyEntry
		for _, f := range splitList(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(arg), "{"), "}"))) {
			k, v, _ := strings.Cut(strings.Trim(f, "{} "), "=")
			out = append(out, policyEntry{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
		return out, nil
	case "static":
		return []policyEntry{{"every destination", strings.Trim(arg, "{} ")}}, nil
	}
	return nil, fmt.Errorf("postfix-check cannot read %s: tables", typ)
}

// readIndexedSource reads "key value" lines as postmap(1) does.
func (c *checker) readIndexedSource(path string) ([]policyEntry, error) {
	f, err := os.Open(filepath.Join(c.in.Root, path))
	if err != nil {
		return nil, fmt.Errorf("%w (the source of the .db file must lie beside it)", err)
	}
	defer f.Close()
	var out []policyEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].policy += " " + t
			continue
		}
		k, v, _ := strings.Cut(strings.Join(strings.Fields(t), " "), " ")
		out = append(out, policyEntry{k, v})
	}
	return out, sc.Err()
}

var protocols = []string{"sslv2", "sslv3", "tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"}

// weakProtocols returns the protocols below TLS 1.2 that a
// smtp_tls_mandatory_protocols value allows.
func weakProtocols(v string) []string {
	idx := func(p string) int {
		for i, q := range protocols {
			if q == strings.ToLower(p) {
				return i
			}
		}
		return -1
	}
	allowed := make([]bool, len(protocols))
	for i := range allowed {
		allowed[i] = true
	}
	var include []int
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ':' || r == '\t' }) {
		switch {
		case strings.HasPrefix(tok, ">="):
			for j := 0; j < idx(tok[2:]); j++ {
				allowed[j] = false
			}
		case strings.HasPrefix(tok, "<="):
			if i := idx(tok[2:]); i >= 0 {
				for j := i + 1; j < len(protocols); j++ {
					allowed[j] = false
				}
			}
		case strings.HasPrefix(tok, "!"):
			if i := idx(tok[1:]); i >= 0 {
				allowed[i] = false
			}
		default:
			if i := idx(tok); i >= 0 {
				include = append(include, i)
			}
		}
	}
	if len(include) > 0 {
		in := make([]bool, len(protocols))
		for _, i := range include {
			in[i] = true
		}
		for i := range allowed {
			allowed[i] = allowed[i] && in[i]
		}
	}
	var weak []string
	names := []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"}
	for i := 0; i < 4; i++ {
		if allowed[i] {
			weak = append(weak, names[i])
		}
	}
	return weak
}
