package postfixcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Edit is one postconf(1) command postfix-config runs: "-e" (main.cf),
// "-M" (add a master.cf service), "-P" (a service's -o setting) or "-PX"
// (remove one).
type Edit struct {
	Flag, Arg string
	// Why says what the edit repairs.
	Why string
}

// String prints the edit as an administrator would type it.
func (e Edit) String() string { return fmt.Sprintf("postconf %s '%s'", e.Flag, e.Arg) }

// File is a lookup table postfix-config writes.
type File struct{ Path, Content string }

// Plan is what postfix-config changes: tables to write, postconf edits to
// run in order, and what it leaves to the administrator.
type Plan struct {
	Files  []File
	Edits  []Edit
	Manual []string
}

// Empty reports whether the configuration needs no change.
func (p Plan) Empty() bool { return len(p.Files) == 0 && len(p.Edits) == 0 }

// NewPlan works out the edits that make in keep tlsgate's guarantees while
// keeping the relay's other milters in their order after tlsgate. It edits
// a copy of in as it goes, so that a later step sees the earlier ones (a
// non_smtpd_milters of $smtpd_milters follows the new smtpd_milters).
func NewPlan(in Input) Plan {
	in.Main = copyMap(in.Main)
	in.Master = copyServices(in.Master)
	c := &checker{in: in}
	p := &planner{c: c}
	p.tables()
	p.milters()
	p.settings()
	p.transports()
	p.fences()
	p.filterHops()
	p.notices() // notice.go
	p.manual()
	return p.plan
}

type planner struct {
	c    *checker
	plan Plan
	// mainSet records main.cf values this plan already set, so a second
	// service that wants another value gets its own override instead.
	mainSet map[string]bool
}

// setMain plans "postconf -e" and applies it to the working copy.
func (p *planner) setMain(name, value, why string) {
	p.plan.Edits = append(p.plan.Edits, Edit{"-e", name + " = " + value, why})
	p.c.in.Main[name] = value
	if p.mainSet == nil {
		p.mainSet = map[string]bool{}
	}
	p.mainSet[name] = true
}

// setService plans "postconf -P" and applies it to the working copy.
// postconf -P takes no white space in a value (Postfix 3.7): the lists
// this plan writes separate their items with commas, so the blanks go.
func (p *planner) setService(s *Service, name, value, why string) {
	value = strings.Join(strings.Fields(value), "")
	p.plan.Edits = append(p.plan.Edits, Edit{"-P", s.Key() + "/" + name + "=" + value, why})
	s.Options[name] = value
}

// set changes the value where a checker finding said it comes from.
func (p *planner) set(where string, s *Service, name, value, why string) {
	if strings.HasPrefix(where, "master.cf") {
		p.setService(s, name, value, why)
		return
	}
	p.setMain(name, value, why)
}

// tables writes tlsgate's two lookup tables beside main.cf and routes on
// them, unless milter_header_checks already routes both header values.
func (p *planner) tables() {
	c := p.c
	r := NewRecipe("", c.in.HeaderName, c.in.Require, c.in.Opportunistic)
	dir := c.configDir()
	for _, f := range []File{{dir + "/tlsgate_milter_header_checks", r.HeaderChecks}, {dir + "/tlsgate_strip", r.Strip}} {
		if b, err := os.ReadFile(filepath.Join(c.in.Root, f.Path)); err != nil || string(b) != f.Content {
			p.plan.Files = append(p.plan.Files, f)
		}
	}
	if p.routes() {
		return
	}
	ours := "regexp:" + dir + "/tlsgate_milter_header_checks"
	v := c.value("milter_header_checks")
	if hasWord(v, ours) {
		return // the table this plan writes is named already
	}
	if strings.TrimSpace(v) != "" {
		ours += ", " + v
	}
	p.setMain("milter_header_checks", ours, "route on tlsgate's header")
}

// routes reports whether milter_header_checks sends both header values on
// with FILTER; it sets the checker's transports.
func (p *planner) routes() bool {
	c := p.c
	v := c.value("milter_header_checks")
	c.req, c.opt = RequiredTransport, OptionalTransport
	req, opt := "", ""
	for _, w := range []struct {
		value string
		dst   *string
	}{{c.in.Require, &req}, {c.in.Opportunistic, &opt}} {
		action, err := c.lookupAll(v, c.headerLine(w.value))
		verb, arg, _ := strings.Cut(action, " ")
		if err != nil || strings.TrimSpace(v) == "" || !strings.EqualFold(verb, "FILTER") {
			return false
		}
		*w.dst, _, _ = strings.Cut(strings.TrimSpace(arg), ":")
	}
	c.req, c.opt = req, opt
	return true
}

// milters puts tlsgate first on every receiving service that delivers
// straight to the queue, and takes it off those that hand mail to a
// content filter (its FILTER would replace the filter).
func (p *planner) milters() {
	c := p.c
	for _, g := range c.ingresses() {
		cf, _ := c.param("content_filter", g.svc)
		filtered := strings.TrimSpace(cf) != ""
		if rro, where := c.param("receive_override_options", g.svc); !filtered && hasWord(rro, "no_milters") {
			p.set(where, g.svc, "receive_override_options", withoutWord(rro, "no_milters"), "let "+g.svc.Key()+" run milters")
		}
		list, where := c.param(g.param, g.from...)
		ms := parseMilters(list)
		idx, _, _ := c.tlsgateIndex(ms, g.chroot)
		var want string
		switch {
		case filtered && idx < 0, !filtered && idx == 0 && !badTlsgateAction(ms[0]):
			continue
		case filtered:
			want = withoutTlsgate(ms, idx)
		case idx >= 0:
			first := ms[idx]
			delete(first.Opts, "default_action")
			ms[idx] = first
			want = withTlsgateFirst(ms, idx, formatMilter(first))
		default:
			name := c.postfixName(g.chroot)
			if name == "" {
				continue // reported by manual: the socket is out of the chroot's sight
			}
			want = withTlsgateFirst(ms, -1, name)
		}
		svc := g.svc
		if g.param == "non_smtpd_milters" {
			svc = g.from[0]
		}
		if !strings.HasPrefix(where, "master.cf") && p.mainSet[g.param] && svc != nil {
			// main.cf was already set for another service; this one
			// needs its own value.
			p.setService(svc, g.param, want, "milters for "+g.svc.Key())
			continue
		}
		p.set(where, svc, g.param, want, "milters for "+g.svc.Key())
	}
}

func badTlsgateAction(m milterEntry) bool {
	v, ok := m.Opts["default_action"]
	return ok && badAction(v) != ""
}

// settings sets the fixed main.cf parameters, only those the installed
// Postfix knows, and per-service milter_default_action overrides.
func (p *planner) settings() {
	c := p.c
	for _, s := range mainSettings {
		if known, sure := c.knows(s); !known || !sure {
			continue
		}
		v := c.value(s.Name)
		if s.Name == "smtp_tls_security_level" {
			v = c.tlsLevel(nil)
		}
		if s.Bad(c, v) != "" {
			p.setMain(s.Name, c.want(s), "recipe")
		}
	}
	for _, g := range c.ingresses() {
		if act, where := c.param("milter_default_action", g.from...); strings.HasPrefix(where, "master.cf") && badAction(act) != "" {
			svc := g.from[0]
			p.setService(svc, "milter_default_action", "tempfail", "fail closed on "+svc.Key())
		}
	}
}

// transports adds or corrects the two delivery transports.
func (p *planner) transports() {
	for _, t := range []struct {
		name string
		rows []setting
	}{{p.c.req, requiredTransport}, {p.c.opt, optionalTransport}} {
		s := p.c.service(t.name, "unix")
		added := s == nil
		if added {
			p.plan.Edits = append(p.plan.Edits, Edit{"-M", t.name + "/unix=" + t.name + " unix - - n - - smtp", "add the transport"})
			p.c.in.Master = append(p.c.in.Master, Service{Name: t.name, Type: "unix", Private: "-", Unpriv: "-",
				Chroot: "n", Wakeup: "-", MaxProc: "-", Command: "smtp", Options: map[string]string{}})
			s = &p.c.in.Master[len(p.c.in.Master)-1]
		}
		for _, r := range t.rows {
			v, _ := p.c.param(r.Name, s)
			if r.Name == "smtp_tls_security_level" {
				v = p.c.tlsLevel(s)
			}
			if !added && r.Name == "smtp_header_checks" && p.stripPlanned(v) {
				continue
			}
			if added || r.Bad(p.c, v) != "" {
				p.setService(s, r.Name, p.c.want(r), "recipe")
			}
		}
	}
}

// stripPlanned reports whether v names the strip table this plan writes
// (Bad cannot read it yet).
func (p *planner) stripPlanned(v string) bool {
	return strings.TrimSpace(v) == "regexp:"+p.c.configDir()+"/tlsgate_strip"
}

// fences removes -o overrides that lower TLS on the default transports.
func (p *planner) fences() {
	for _, s := range p.c.fenceServices() {
		for _, name := range []string{"smtp_tls_security_level", "smtp_tls_mandatory_protocols"} {
			v, where := p.c.param(name, s)
			if !strings.HasPrefix(where, "master.cf") {
				continue
			}
			bad := badProtocols(p.c, v)
			if name == "smtp_tls_security_level" {
				bad = badFence(p.c, v)
			}
			if bad != "" {
				p.plan.Edits = append(p.plan.Edits, Edit{"-PX", s.Key() + "/" + name, "the default transport must not lower TLS"})
				delete(s.Options, name)
			}
		}
	}
}

// filterHops lets the loopback hop to a content filter go without TLS
// once the global level is encrypt (the filter rarely offers STARTTLS).
func (p *planner) filterHops() {
	c := &checker{in: p.c.in}
	c.ingress()
	for _, s := range c.lockedFilterHops() {
		p.setService(p.c.service(s.Name, s.Type), "smtp_tls_security_level", "none", "loopback hop to the content filter")
	}
}

// manual lists what the plan leaves to the administrator: the problems a
// check of the planned configuration still finds, other than those the
// planned files and a running tlsgate settle.
func (p *planner) manual() {
	in := p.c.in
	in.Probe = nil
	for _, f := range Check(in) {
		if f.Level != Problem || p.settledByFiles(f) {
			continue
		}
		p.plan.Manual = append(p.plan.Manual, f.String())
	}
}

// settledByFiles reports whether a finding is about a table the plan
// writes.
func (p *planner) settledByFiles(f Finding) bool {
	for _, file := range p.plan.Files {
		if strings.Contains(f.Text, file.Path) || strings.Contains(f.Setting, "milter_header_checks") || strings.Contains(f.Setting, "smtp_header_checks") {
			return true
		}
	}
	return false
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyServices(in []Service) []Service {
	out := make([]Service, len(in))
	for i, s := range in {
		s.Options = copyMap(s.Options)
		out[i] = s
	}
	return out
}
