package classify

import (
	"fmt"
	"sort"
	"strings"
)

// matcher finds term patterns in normalised text with an Aho-Corasick
// automaton compiled to a full byte DFA, so each input byte costs one table
// lookup whatever the number of terms. Word boundaries are checked at match
// time: see pattern.
type matcher struct {
	// delta[s|b] is the state after byte b in state s. A state is the
	// offset of its row (its number times 256), so a step is one OR and
	// one load; the states with output are numbered last, from firstOut,
	// so checking for a match needs no second load. The states are
	// unsigned: an unsigned index needs no sign extension, and that
	// instruction is on the chain of dependent loads that bounds the scan.
	delta    []uint32
	firstOut uint32
	out      [][]int32 // state>>8 → patterns ending there
	pats     []pattern
	cats     []string
	// hold[pi] says whether a match of pattern pi must wait before it
	// counts: it is weak, or its category has exceptions.
	hold []bool
	// delay is how many bytes past its end a held match waits: by then
	// any exception that contains it and any cue that helps it has been
	// seen.
	delay int64
}

// pattern is one compiled term. "stem*" needs a word boundary before it,
// "word" on both sides, "*part*" none, "*end" only after. A leading "~"
// makes a weak term, "!" an exception; the patterns of CategoryPerson are
// cues (see patRole).
type pattern struct {
	text       string
	cat        int
	role       patRole
	link       cueLink
	startBound bool
	endBound   bool
}

// cueLink says how a person cue works: alone, or as a name that is a cue
// only when a verb follows it ("=lars" + "+er": "Lars er syg" but not "Hej
// Lars") or a linking word precedes it ("^mod" + "=kasper": "tiltale mod
// Kasper"). Names and verbs are listed once each, so a new name costs a few
// automaton states instead of one pattern per verb.
type cueLink uint8

const (
	// linkNone: the cue counts wherever it stands.
	linkNone cueLink = iota
	// linkName ("=lars"): a name; a cue only with a linkVerb after it.
	linkName
	// linkVerb ("+er"): makes the name just before it (one space between)
	// a cue.
	linkVerb
	// linkBefore ("^mod"): makes the name just after it a cue ("tiltale
	// mod Kasper", "opsige Bente").
	linkBefore
	// linkGreet ("<hej"): a greeting or sign-off; the name just after it
	// is the addressee or the sender, and a verb makes it a cue only right
	// after it, never across a word (see oneWordBetween).
	linkGreet
)

// patRole says what a match of a pattern does.
type patRole uint8

const (
	// kindTerm counts wherever it stands.
	kindTerm patRole = iota
	// kindWeak counts only with a person cue within contextWindow bytes
	// before or after it ("løn" in "hans løn", not in "lønbudgettet").
	kindWeak
	// kindException vetoes the matches of its category that it contains
	// ("race condition" contains "race").
	kindException
	// kindCue is a person cue: a pronoun, a role, a name. It is no
	// finding itself.
	kindCue
)

// CategoryPerson is the term category of person cues: pronouns (han, hun,
// his, her), roles (medarbejderen, borgeren, employee), titles and common
// first names. A weak term counts only near one of them.
const CategoryPerson = "person"

// contextWindow is how far, in normalised bytes, a person cue may stand
// before the start or after the end of a weak term: about a sentence.
const contextWindow = 60

// maxHeld bounds the matches a scanner holds while it waits for a cue or an
// exception. Past it the oldest counts at once (fail closed).
const maxHeld = 64

// maxPatternLen keeps patterns within the scanner's boundary history.
const maxPatternLen = 200

// newMatcher compiles the term lists, category → patterns.
func newMatcher(lists map[string][]string) (*matcher, error) {
	m := &matcher{}
	cats := make([]string, 0, len(lists))
	for c := range lists {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	seen := map[pattern]bool{}
	for ci, c := range cats {
		m.cats = append(m.cats, c)
		for _, raw := range lists[c] {
			p, err := compilePattern(raw, c)
			if err != nil {
				return nil, fmt.Errorf("category %s: %w", c, err)
			}
			p.cat = ci
			if !seen[p] {
				seen[p] = true
				m.pats = append(m.pats, p)
			}
		}
	}
	m.plan()
	m.build()
	return m, nil
}

// compilePattern parses one pattern of category cat (see pattern).
func compilePattern(raw, cat string) (pattern, error) {
	p := pattern{role: kindTerm}
	body := strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(body, "~"):
		p.role, body = kindWeak, body[1:]
	case strings.HasPrefix(body, "!"):
		p.role, body = kindException, body[1:]
	}
	if cat == CategoryPerson {
		if p.role != kindTerm {
			return p, fmt.Errorf("pattern %q: person cues cannot be weak or exceptions", raw)
		}
		p.role = kindCue
		switch {
		case strings.HasPrefix(body, "="):
			p.link, body = linkName, body[1:]
		case strings.HasPrefix(body, "+"):
			p.link, body = linkVerb, body[1:]
		case strings.HasPrefix(body, "^"):
			p.link, body = linkBefore, body[1:]
		case strings.HasPrefix(body, "<"):
			p.link, body = linkGreet, body[1:]
		}
	}
	p.startBound, p.endBound = !strings.HasPrefix(body, "*"), !strings.HasSuffix(body, "*")
	p.text = strings.TrimSpace(Normalize(strings.Trim(body, "*")))
	if p.text == "" {
		return p, fmt.Errorf("empty pattern %q", raw)
	}
	if len(p.text) > maxPatternLen {
		return p, fmt.Errorf("pattern %q longer than %d bytes", raw, maxPatternLen)
	}
	return p, nil
}

// plan decides which matches are held and for how long.
func (m *matcher) plan() {
	hasExc := make([]bool, len(m.cats))
	var excLen, cueLen, nameLen, verbLen int64
	for _, p := range m.pats {
		switch p.role {
		case kindException:
			hasExc[p.cat] = true
			excLen = max(excLen, int64(len(p.text)))
		case kindCue:
			switch p.link {
			case linkName:
				nameLen = max(nameLen, int64(len(p.text)))
			case linkVerb, linkBefore, linkGreet:
				verbLen = max(verbLen, int64(len(p.text)))
			default:
				cueLen = max(cueLen, int64(len(p.text)))
			}
		}
	}
	// A name and its verb are one cue; a run of names ("Anna Jensen")
	// counts as at most two names, and a surname not in the list may stand
	// between them (oneWordBetween).
	if verbLen > 0 {
		cueLen = max(cueLen, 2*nameLen+1+maxSurname+2+verbLen)
	}
	m.hold = make([]bool, len(m.pats))
	for i, p := range m.pats {
		m.hold[i] = p.role == kindWeak || p.role == kindTerm && hasExc[p.cat]
	}
	m.delay = max(excLen, contextWindow+cueLen) + 1
}

// build makes the trie, the failure links (breadth first) and the DFA.
func (m *matcher) build() {
	type node struct {
		next [256]int32
		fail int32
		out  []int32
	}
	nodes := []*node{{}}
	for i := range nodes[0].next {
		nodes[0].next[i] = -1
	}
	for pi, p := range m.pats {
		s := int32(0)
		for i := 0; i < len(p.text); i++ {
			b := p.text[i]
			if nodes[s].next[b] < 0 {
				n := &node{}
				for j := range n.next {
					n.next[j] = -1
				}
				nodes = append(nodes, n)
				nodes[s].next[b] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[b]
		}
		nodes[s].out = append(nodes[s].out, int32(pi))
	}
	queue := []int32{}
	for b := 0; b < 256; b++ {
		if t := nodes[0].next[b]; t < 0 {
			nodes[0].next[b] = 0
		} else {
			nodes[t].fail = 0
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		n := nodes[s]
		n.out = append(n.out, nodes[n.fail].out...)
		for b := 0; b < 256; b++ {
			t := n.next[b]
			if t < 0 {
				n.next[b] = nodes[n.fail].next[b]
				continue
			}
			nodes[t].fail = nodes[n.fail].next[b]
			queue = append(queue, t)
		}
	}
	// Number the states without output first (the root, which has none,
	// stays 0), then those with.
	num := make([]uint32, len(nodes))
	k := uint32(0)
	for _, withOut := range []bool{false, true} {
		if withOut {
			m.firstOut = k << 8
		}
		for s, n := range nodes {
			if (len(n.out) > 0) == withOut {
				num[s] = k
				k++
			}
		}
	}
	m.delta = make([]uint32, len(nodes)*256)
	m.out = make([][]int32, len(nodes))
	for s, n := range nodes {
		row := m.delta[num[s]<<8:][:256]
		for b, t := range n.next {
			row[b] = num[t] << 8
		}
		m.out[num[s]] = n.out
	}
}
