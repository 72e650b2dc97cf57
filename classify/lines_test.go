package classify

import (
	"context"
	"strings"
	"testing"
)

// TestPlainLinesUU checks that the text scan in 4 KiB pieces still stops
// at every uuencoded block: a term inside the block is found only when the
// block is decoded, and the prose around it (with "begin" as a word, and a
// line longer than the buffer) is scanned as text.
func TestPlainLinesUU(t *testing.T) {
	c := newTest(t)
	prose := strings.Repeat("Tak for mødet i går, vi begin igen på mandag med planen.\r\n", 200)
	long := strings.Repeat("x", 5000) + " sygemeldt\r\n"
	uu := strings.ReplaceAll(uuencode("noter.txt", []byte("Hun er sygemeldt i dag.")), "\n", "\r\n")
	for _, tc := range []struct {
		name, body string
		health     int
	}{
		{"block after text", prose + uu + prose, 1},
		{"block first", uu + prose, 1},
		{"long line", prose + long + prose, 1},
		{"no block", prose + prose, 0},
		// Encoded, the block holds neither term: only decoding finds one.
		{"block only", uu, 1},
	} {
		for _, rd := range cutReaders {
			msg := "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body
			res := c.Scan(context.Background(), rd.r(strings.NewReader(msg)))
			if got := res.Terms["health"]; got != tc.health || len(res.Uninspectable) > 0 {
				t.Errorf("%s, %s reads: health %d, want %d (reasons %v)", tc.name, rd.name, got, tc.health, res.Reasons())
			}
		}
	}
	if strings.Contains(uu, "sygemeld") || strings.Contains(uu, "helbred") {
		t.Fatal("the encoded block holds a term in clear; the test proves nothing")
	}
}
