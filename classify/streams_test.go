package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// quarterTerms joins the test lists with the context lists (weak terms,
// exceptions, person cues), so that matches of every kind fall near the
// quarters' edges.
func quarterTerms(t testing.TB) *matcher {
	t.Helper()
	lists := map[string][]string{}
	for _, src := range []map[string][]string{testTerms, contextTerms} {
		for c, pats := range src {
			lists[c] = append(lists[c], pats...)
		}
	}
	m, err := newMatcher(lists)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fastWords stay on scanLetters' way: letters, Latin-1 letters, spaces,
// punctuation, short numbers, and the terms and near-terms of quarterTerms.
var fastWords = []string{
	"og", "i", "at", "det", "hej", "mødet", "går", "Æble", "øl", "år", "sø", "the", "of", "meeting", "x",
	"helbred", "helbredet", "sygdom", "sygdommen", "hiv", "sick leave", "fagforening", "cpr", "cpr-nr",
	"personnummer", "løn", "årsløn", "lønsomt", "lønseddel", "race", "race condition", "sygehus", "sygehusvej",
	"sygemeldt", "han", "hun", "he", "medarbejderen", "mette", "mettes", "12", "2024", "kr.", "nr.",
	" ", "  ", ", ", ". ", "; ", "\r\n", "\t", "-", "(", ")", "é", "ü", "×",
}

func fastText(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(fastWords[r.IntN(len(fastWords))])
		if r.IntN(3) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TestQuartersMatchGeneral compares the four-stream scan with the general
// path on texts long enough for the quarters, whole and cut at random.
func TestQuartersMatchGeneral(t *testing.T) {
	m := quarterTerms(t)
	r := rand.New(rand.NewPCG(15, 16))
	for range 300 {
		s := fastText(r, 300+r.IntN(3*fastBlock))
		compareFastPath(t, m, []string{s})
		var chunks []string
		for rest := s; len(rest) > 0; {
			n := min(1+r.IntN(3000), len(rest))
			chunks = append(chunks, rest[:n])
			rest = rest[n:]
		}
		compareFastPath(t, m, chunks)
	}
}

// FuzzQuarters is FuzzFastPath on the input repeated to a few kilobytes,
// so that the quarters run and their edges fall anywhere in it.
func FuzzQuarters(f *testing.F) {
	f.Add("Hej Mette, din løn er klar. ", uint16(1000))
	f.Add("race condition he sygehusvej ", uint16(4095))
	f.Add("×HELBRED ø æ\x01b hiv ", uint16(3))
	m := quarterTerms(f)
	f.Fuzz(func(t *testing.T, s string, cut uint16) {
		if s == "" {
			return
		}
		long := strings.Repeat(s, 1+3000/len(s))
		n := int(cut) % (len(long) + 1)
		compareFastPath(t, m, []string{long[:n], long[n:]})
	})
}
