package classify

// Context: weak terms, person cues and exceptions.
//
// A weak term ("løn", "race", "fingerprint") is sensitive when it is about
// a person; a strong term ("sygemeldt", "straffeattest") always is. A weak
// term counts only when a person cue (CategoryPerson: a pronoun, a role, a
// title, a common first name) ends at most contextWindow bytes before its
// start or starts at most contextWindow bytes after its end, within the same
// unit of text (a header value, a part's body). An exception ("race
// condition", "hospitalsgade") vetoes the matches of its own category that
// lie inside it.
//
// None of this touches the byte loop: the automaton reports matches as
// before, and the decision for a match that needs context is taken later,
// when the next match arrives or the text ends (see settle). A held match
// waits until the scanner is matcher.delay bytes past its end; by then any
// exception containing it and any cue that helps it has been reported.
// Memory is bounded: at most maxHeld matches are held, and when that many
// wait, the oldest counts at once without waiting for its context (fail
// closed).
//
// At the end of the text a weak term that met no cue does not count: the
// text ends the window. This is the one way context can let a word
// through, and it is the point of weak terms. Adding text never removes a
// finding, except where the added words complete an exception phrase
// around a term at the very end of the text ("race" + " condition"): an
// exception is a statement about the words around a term.

// contextState is a textScanner's memory of held matches, the last cue
// and the last exceptions.
type contextState struct {
	held    []heldMatch
	lastCue int64 // end of the last cue
	// name is the extent of the last name (or run of names, "Anna
	// Jensen") that may become a cue when a verb follows it.
	name span
	// before is the extent of the last word that makes the name right
	// after it a cue.
	before span
	// greet is the extent of the last greeting or sign-off ("hej",
	// "hilsen"); greeted says the current name stands right after one.
	greet   span
	greeted bool
	exc     [4]span
	nexc    int
	// bareEnd is the end of the last bare ten-digit number with a real
	// date that nothing else made a CPR number yet (see bareNumber).
	bareEnd int64
}

// heldMatch is a match that waits for its context.
type heldMatch struct {
	cat          int
	start, end   int64 // normalised bytes (start, end]
	weak         bool
	cued, vetoed bool
}

// span is an exception seen: its category and extent.
type span struct {
	cat        int
	start, end int64
}

func (c *contextState) reset() {
	c.held = c.held[:0]
	c.lastCue = -1 << 40
	c.name = span{start: -1 << 40, end: -1 << 40}
	c.before = c.name
	c.greet, c.greeted = c.name, false
	c.nexc = 0
	c.bareEnd = -1 << 40
}

// holdMatch holds a match of p that ends at t.pos.
func (t *textScanner) holdMatch(p *pattern) {
	c := &t.ctx
	h := heldMatch{cat: p.cat, start: t.pos - int64(len(p.text)), end: t.pos, weak: p.role == kindWeak}
	h.cued = !h.weak || c.lastCue >= h.start-contextWindow
	for _, e := range c.exc[:c.nexc] {
		if e.cat == h.cat && e.start <= h.start && h.end <= e.end {
			h.vetoed = true
		}
	}
	if len(c.held) == maxHeld {
		t.count(c.held[0].cat, c.held[0].end)
		c.held = append(c.held[:0], c.held[1:]...)
	}
	c.held = append(c.held, h)
}

// cue marks the held weak matches whose window reaches the cue of p that
// ends at t.pos. A name only remembers where it stands (a second name
// right after it extends it: "Anna Jensen"); a verb right after a name,
// or a linking word right before it, makes the two one cue.
func (t *textScanner) cue(p *pattern) {
	c := &t.ctx
	start := t.pos - int64(len(p.text))
	switch p.link {
	case linkName:
		if start-c.bareEnd <= bareNameAfter {
			t.res.CPR++ // "0101901234 Peter Lund": see bareNumber
			c.bareEnd = -1 << 40
		}
		if start != c.name.end+1 {
			// Greeted: right after a greeting, or after a greeted
			// name and "og", "and", "&" or a comma ("Hej Jens og
			// Birgitte").
			c.greeted = start == c.greet.end+1 || c.greeted && start-c.name.end <= 5
			c.name.start = start
		}
		c.name.end = t.pos
		if start != c.before.end+1 {
			return
		}
		start = c.before.start
	case linkBefore:
		c.before = span{start: start, end: t.pos}
		return
	case linkGreet:
		c.greet = span{start: start, end: t.pos}
		return
	case linkVerb:
		if start != c.name.end+1 && (c.greeted || !t.oneWordBetween(c.name.end, start)) {
			return
		}
		start = c.name.start
	}
	c.lastCue = t.pos
	for i := range c.held {
		if h := &c.held[i]; start <= h.end+contextWindow {
			h.cued = true
		}
	}
}

// exception vetoes the held matches of its category inside the exception
// of p that ends at t.pos, and remembers it for matches reported later at
// the same position.
func (t *textScanner) exception(p *pattern) {
	c := &t.ctx
	e := span{cat: p.cat, start: t.pos - int64(len(p.text)), end: t.pos}
	for i := range c.held {
		if h := &c.held[i]; h.cat == e.cat && e.start <= h.start && h.end <= e.end {
			h.vetoed = true
		}
	}
	if c.nexc < len(c.exc) {
		c.nexc++
	} else {
		copy(c.exc[:], c.exc[1:])
	}
	c.exc[c.nexc-1] = e
}

// settle decides the held matches the scanner is far enough past, or all
// of them at the end of the text.
func (t *textScanner) settle(all bool) {
	c := &t.ctx
	k := 0
	for ; k < len(c.held); k++ {
		h := &c.held[k]
		if !all && t.pos <= h.end+t.m.delay {
			break
		}
		if h.cued && !h.vetoed {
			t.count(h.cat, h.end)
		}
	}
	c.held = append(c.held[:0], c.held[k:]...)
}

// A ten-digit number with a real date but none of the usual shape,
// modulus 11 or a CPR keyword (numbers issued since 2007 need not pass
// modulus 11) is a CPR number when a person's first name stands right
// beside it: "Niels Birk Sørensen (1106580990)", "2512733160 Peter Lund
// Kragh, Vestergade 12". Order and account numbers in that shape rarely sit
// right next to a name. The reaches are in normalised bytes from the end of
// the name to the end of the number (two more names and "(" fit), and from
// the end of the number to the start of the name.
const (
	bareNameBefore = 10 + 26
	bareNameAfter  = 3
)

// bareNumber takes the tracker's bare candidate, if it reported one, that
// ended at t.pos: counted at once when a name ended just before it, else
// remembered for a name that may start right after it (cue). The wire
// pass (no matcher, no names) ignores it.
func (t *textScanner) bareNumber() {
	if !t.cpr.bare {
		return
	}
	t.cpr.bare = false
	if t.m == nil {
		return
	}
	if t.pos-t.ctx.name.end <= bareNameBefore {
		t.res.CPR++
		return
	}
	t.ctx.bareEnd = t.pos
}

// maxSurname bounds the one word oneWordBetween lets stand between a name
// and its verb.
const maxSurname = 16

// oneWordBetween reports whether the normalised text after the name that
// ends at a, up to and including position b (just before a verb), is one
// short word between single word breaks: a surname that is not in the list
// ("Claire Dawson earns", "Morten Falk har modtaget"). "lars, kunden fik"
// (a greeting, then a sentence) has two breaks before the word and is no
// cue; "Hej Lars Kunden fik", where the line break became a space, is
// ruled out by the greeting (linkGreet). It reads the word ring, which
// still holds those positions.
func (t *textScanner) oneWordBetween(a, b int64) bool {
	if b-a < 3 || b-a > maxSurname+2 || t.pos-a >= ringSize {
		return false
	}
	if t.word[(a+1)&ringMask] || t.word[b&ringMask] {
		return false
	}
	for p := a + 2; p < b; p++ {
		if !t.word[p&ringMask] {
			return false
		}
	}
	return true
}
