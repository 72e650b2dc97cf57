package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Generated messages (-gen): large, clean and tagged [unsecure], so the
// classifier has to read every byte to grant the opt-out. They are the
// worst realistic cases for memory: long text the scanner must decode, and
// an archive it must buffer for random access.
var generators = map[string]func(w io.Writer, size int){
	// A 7bit text/plain body of prose.
	"plain": func(w io.Writer, size int) { newProse().fill(w, size) },
	// A short note and a base64 text/plain attachment of prose.
	"b64text": func(w io.Writer, size int) {
		attach(w, `text/plain; charset=us-ascii; name="rapport.txt"`, size, func(w io.Writer, n int) { newProse().fill(w, n) })
	},
	// A short note and a base64 zip of prose files, deflated.
	"zip": func(w io.Writer, size int) {
		attach(w, `application/zip; name="bilag.zip"`, size, writeZip)
	},
}

const genBoundary = "tlsgate-load-boundary"

// genMessage builds a message of about size bytes (headers included) of
// the given kind.
func genMessage(kind string, size int) (message, error) {
	gen, ok := generators[kind]
	if !ok {
		return message{}, fmt.Errorf("-gen: unknown kind %q (plain, b64text, zip)", kind)
	}
	m := message{fields: [][2]string{
		{"From", "alice@example.dk"}, {"To", "bob@example.com"},
		{"Subject", fmt.Sprintf("[unsecure] Materiale (%s, %d bytes)", kind, size)},
		{"MIME-Version", "1.0"},
	}}
	if kind == "plain" {
		m.fields = append(m.fields, [2]string{"Content-Type", "text/plain; charset=us-ascii"},
			[2]string{"Content-Transfer-Encoding", "7bit"})
	} else {
		m.fields = append(m.fields, [2]string{"Content-Type", "multipart/mixed; boundary=" + genBoundary})
	}
	hdr := 0
	for _, f := range m.fields {
		hdr += len(f[0]) + len(f[1]) + 4
	}
	var b bytes.Buffer
	b.Grow(size)
	gen(&b, max(size-hdr-2, 1024))
	m.body = b.Bytes()
	return m, nil
}

// attach writes a multipart body: a note, then one base64 attachment whose
// encoded form fills the rest of size; content writes the raw attachment
// of about n bytes.
func attach(w io.Writer, ctype string, size int, content func(w io.Writer, n int)) {
	fmt.Fprintf(w, "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHej Bob,\r\n\r\nHer er materialet.\r\n\r\nAlice\r\n", genBoundary)
	fmt.Fprintf(w, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n", genBoundary, ctype)
	// base64 makes 4 bytes of 3 and adds CRLF every 76: 78/76*4/3.
	raw := int(float64(size-300) * 0.75 * 76 / 78)
	lw := &lineWrapper{w: w, width: 76}
	enc := base64.NewEncoder(base64.StdEncoding, lw)
	content(enc, raw)
	enc.Close()
	lw.end()
	fmt.Fprintf(w, "--%s--\r\n", genBoundary)
}

// writeZip writes a zip archive of about n bytes: text files of prose,
// deflated, with reference codes that keep the compression ratio near
// what office text gets (about 3:1), under the classifier's inflation
// limits.
func writeZip(w io.Writer, n int) {
	cw := &countWriter{w: w}
	zw := zip.NewWriter(cw)
	p := newProse()
	p.codes = true
	for i := 1; cw.n < int64(n)-(1<<16); i++ {
		f, err := zw.Create(fmt.Sprintf("tekst-%03d.txt", i))
		if err != nil {
			panic(err) // writing to memory
		}
		// Files of 4 MB of text; stop when the archive is big enough.
		for j := 0; j < 64 && cw.n < int64(n)-(1<<16); j++ {
			p.fill(f, 1<<16)
		}
	}
	zw.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// lineWrapper breaks a stream into CRLF-terminated lines of width bytes.
type lineWrapper struct {
	w     io.Writer
	width int
	col   int
}

func (l *lineWrapper) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		k := min(len(p), l.width-l.col)
		if _, err := l.w.Write(p[:k]); err != nil {
			return 0, err
		}
		p, l.col = p[k:], l.col+k
		if l.col == l.width {
			io.WriteString(l.w, "\r\n")
			l.col = 0
		}
	}
	return total, nil
}

func (l *lineWrapper) end() {
	if l.col > 0 {
		io.WriteString(l.w, "\r\n")
	}
}

// prose writes ordinary business text: no CPR-shaped number, no sensitive
// term, no digits at all (so no run of them can look like a CPR number).
type prose struct {
	r     *rand.Rand
	codes bool // mix in random letter codes (less compressible)
}

func newProse() *prose { return &prose{r: rand.New(rand.NewPCG(1, 2))} }

var words = strings.Fields(`the and of to for with on at by from this that will
we our your please meeting invoice order delivery offer project office
report schedule budget team customer supplier contract agreement quote
lunch friday monday week month quarter plan draft review update notes
agenda minutes room building coffee printer paper catalogue price total
og i at det en til er som paa de med for af ikke der var mig sig men et
har om vi min havde ham hun nu over da fra du ud sin dem os op man hans
hvor eller hvad skal selv her alle vil blev kunne ind naar være dog noget
ville jo deres efter ned skulle denne end dette mit ogsaa under have dig
faktura ordre levering tilbud projekt kontor rapport moede frokost kaffe
budget kunde leverandoer kontrakt aftale pris katalog printer papir uge`)

const codeLetters = "BCDFGHJKLMNPQRSTVWXZ"

// fill writes about n bytes of prose lines (CRLF) to w.
func (p *prose) fill(w io.Writer, n int) {
	bw := bufio.NewWriterSize(w, 1<<16)
	line := make([]byte, 0, 100)
	for written := 0; written < n; {
		line = line[:0]
		for len(line) < 70 {
			if p.codes && p.r.IntN(4) == 0 {
				line = append(line, "ref "...)
				// Consonants only: random letters would, over 100 MB,
				// spell the start of a sensitive term now and then.
				for i := 0; i < 6; i++ {
					line = append(line, codeLetters[p.r.IntN(len(codeLetters))])
				}
			} else {
				line = append(line, words[p.r.IntN(len(words))]...)
			}
			line = append(line, ' ')
		}
		line = append(line[:len(line)-1], '.', '\r', '\n')
		bw.Write(line)
		written += len(line)
	}
	bw.Flush()
}

// parseSize reads 50M, 20MB, 512k, 1048576.
func parseSize(s string) (int, error) {
	t := strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B")
	mult := 1
	switch {
	case strings.HasSuffix(t, "K"):
		mult, t = 1<<10, t[:len(t)-1]
	case strings.HasSuffix(t, "M"):
		mult, t = 1<<20, t[:len(t)-1]
	case strings.HasSuffix(t, "G"):
		mult, t = 1<<30, t[:len(t)-1]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-size: expected a positive size such as 50M, got %q", s)
	}
	return n * mult, nil
}
