package corpus

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMonotone checks that adding content to a message never turns a
// refusal into a grant: for every positive and many negatives, a new text
// part, extra body text or an attachment leaves a non-Clean result
// non-Clean. A negative with a positive attached must be refused too.
func TestMonotone(t *testing.T) {
	c := newClassifier(t)
	r := rand.New(rand.NewPCG(7, 11))
	var pos, neg []string
	for _, l := range readLabels(t) {
		if l.class == "negative" {
			neg = append(neg, l.file)
		} else {
			pos = append(pos, l.file)
		}
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	clean := func(msg string) (bool, []string) {
		res := c.Scan(context.Background(), strings.NewReader(msg))
		return res.Clean(), res.Reasons()
	}
	check := func(name, base string) {
		t.Helper()
		if ok, _ := clean(base); ok {
			return
		}
		for _, m := range mutations {
			for k := 0; k < 3; k++ {
				grown := m.apply(r, base)
				if ok, _ := clean(grown); ok {
					t.Errorf("%s: %s (try %d) turned a refusal into a grant", name, m.name, k)
				}
			}
		}
	}
	for _, p := range pos {
		check(p, read(p))
	}
	for k := 0; k < 60; k++ {
		n := neg[r.IntN(len(neg))]
		p := pos[r.IntN(len(pos))]
		mixed := insertPart(read(n), "Content-Type: message/rfc822\r\nContent-Disposition: attachment", read(p))
		if ok, reasons := clean(read(p)); !ok {
			if ok2, _ := clean(mixed); ok2 {
				t.Errorf("%s with %s attached (%v) is Clean", n, p, reasons)
			}
		}
		check(n+"+"+p, mixed)
		// A clean negative stays a valid base: grow it and make sure the
		// growth alone does not crash the walk.
		check(n, mutations[r.IntN(len(mutations))].apply(r, read(n)))
	}
}

type mutation struct {
	name  string
	apply func(r *rand.Rand, msg string) string
}

var mutations = []mutation{
	{"new text part", func(r *rand.Rand, msg string) string {
		return insertPart(msg, "Content-Type: text/plain; charset=utf-8", randomText(r))
	}},
	{"extra body text", func(r *rand.Rand, msg string) string {
		return msg + "\r\n" + randomText(r)
	}},
	{"csv attachment", func(r *rand.Rand, msg string) string {
		return insertPart(msg, "Content-Type: text/csv; name=\"extra.csv\"\r\nContent-Disposition: attachment; filename=\"extra.csv\"",
			"a;b;c\r\n"+strings.ReplaceAll(randomText(r), " ", ";"))
	}},
	{"html part", func(r *rand.Rand, msg string) string {
		return insertPart(msg, "Content-Type: text/html; charset=utf-8", "<html><body><p>"+randomText(r)+"</p></body></html>")
	}},
}

var words = strings.Fields("hej tak faktura ordre levering mødet i morgen kl pris kr moms the invoice order meeting tomorrow " +
	"regards best venlig hilsen side bilag nr ref sag uge dato beløb total")

// randomText is business prose with numbers in it.
func randomText(r *rand.Rand) string {
	var b strings.Builder
	for i := 0; i < 10+r.IntN(40); i++ {
		if r.IntN(5) == 0 {
			fmt.Fprintf(&b, "%d ", r.IntN(1000000))
		} else {
			b.WriteString(words[r.IntN(len(words))] + " ")
		}
		if r.IntN(12) == 0 {
			b.WriteString("\r\n")
		}
	}
	return b.String() + "\r\n"
}

// insertPart adds a MIME part with header hdr and body to msg: before the
// closing delimiter of a multipart message, or by wrapping a single-part
// message in multipart/mixed with its content fields moved into the first
// part.
func insertPart(msg, hdr, body string) string {
	head, rest, ok := strings.Cut(msg, "\r\n\r\n")
	if !ok {
		head, rest = msg, ""
	}
	fields := splitFields(head)
	for _, f := range fields {
		name, val, _ := strings.Cut(f, ":")
		if !strings.EqualFold(strings.TrimSpace(name), "Content-Type") {
			continue
		}
		mt, params, err := mime.ParseMediaType(strings.ReplaceAll(val, "\r\n", ""))
		if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
			break
		}
		end := "\r\n--" + params["boundary"] + "--"
		if i := strings.LastIndex(rest, end); i >= 0 {
			return head + "\r\n\r\n" + rest[:i] + "\r\n--" + params["boundary"] + "\r\n" + hdr + "\r\n\r\n" + body + rest[i:]
		}
		break
	}
	var top, content bytes.Buffer
	for _, f := range fields {
		if strings.HasPrefix(strings.ToLower(f), "content-") {
			content.WriteString(f + "\r\n")
		} else {
			top.WriteString(f + "\r\n")
		}
	}
	const bd = "=_monotone_boundary"
	return top.String() + "Content-Type: multipart/mixed; boundary=\"" + bd + "\"\r\n\r\n--" + bd + "\r\n" +
		content.String() + "\r\n" + rest + "\r\n--" + bd + "\r\n" + hdr + "\r\n\r\n" + body + "\r\n--" + bd + "--\r\n"
}

// splitFields splits a header block into fields, folded lines kept with
// their field.
func splitFields(head string) []string {
	var out []string
	for _, l := range strings.Split(head, "\r\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(out) > 0 {
			out[len(out)-1] += "\r\n" + l
			continue
		}
		out = append(out, l)
	}
	return out
}
