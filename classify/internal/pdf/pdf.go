// Package pdf extracts the text of a PDF document for the classifier. It
// is a leaf: it knows nothing of reasons or policy and returns plain
// errors (ErrEncrypted, ErrFont, ErrNoText, ErrLimit, ErrMalformed) that
// the caller maps to its own reason codes.
package pdf

// A small, defensive PDF text extractor. It does not walk the page tree:
// it finds every stream in the file, decodes it, and runs the text
// operators of anything that looks like a content stream. That is enough
// for a filter (we need the words, not their layout) and it survives the
// broken cross-reference tables that real mail attachments often have.
// ISO 32000-1 is cited as "PDF §x".

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf16"
)

var (
	ErrEncrypted = errors.New("pdf: document is encrypted")
	ErrNoText    = errors.New("pdf: no text found")
	ErrLimit     = errors.New("pdf: size limit exceeded")
	ErrMalformed = errors.New("pdf: malformed document")
	// ErrFont: some shown text uses glyph codes (e.g. an Identity-H
	// font without a usable /ToUnicode map) that cannot be turned into
	// characters. Reading them as Latin-1 would yield noise in which a
	// CPR number is invisible, so the file is uninspectable.
	ErrFont = errors.New("pdf: text in a font without a character map")
)

const (
	pdfMaxInput     = 64 << 20 // raw file bytes we are willing to read
	pdfMaxTotal     = 64 << 20 // decompressed bytes over all streams
	pdfMaxStream    = 16 << 20 // decompressed bytes of one stream
	pdfMaxOperands  = 1024     // operand stack depth in a content stream
	pdfMaxFilters   = 8        // filters in one /Filter array
	pdfMaxObjectNum = 1 << 24
)

var (
	pdfObjRe     = regexp.MustCompile(`(\d+)\s+(\d+)\s+obj\b`)
	pdfLengthRe  = regexp.MustCompile(`/Length\s+(\d+)(?:\s+(\d+)\s+R)?`)
	pdfEncryptRe = regexp.MustCompile(`/Encrypt\s*(?:\d+\s+\d+\s+R|<<)`)
	pdfFilterRe  = regexp.MustCompile(`/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)`)
	pdfNameRe    = regexp.MustCompile(`/([A-Za-z0-9]+)`)
	pdfSkipRe    = regexp.MustCompile(`/Subtype\s*/Image|/Type\s*/(?:XRef|ObjStm|XObject|Metadata)|/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType|XML)`)
)

// Text writes the text of the PDF in r (size bytes) to w.
func Text(r io.ReaderAt, size int64, w io.Writer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: internal error: %v", ErrMalformed, p)
		}
	}()
	if size < 0 || size > pdfMaxInput {
		return ErrLimit
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return fmt.Errorf("pdf: read: %w", err)
	}
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return fmt.Errorf("%w: no %%PDF header", ErrMalformed)
	}
	// PDF §7.6.1: an /Encrypt entry in the trailer (or cross-reference
	// stream dictionary) means strings and streams are encrypted.
	if pdfEncryptRe.Match(data) {
		return ErrEncrypted
	}
	bw := bufio.NewWriter(w)
	x := &pdfExtractor{data: data, w: bw, budget: pdfMaxTotal}
	if err := x.run(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if !x.sawText {
		return ErrNoText
	}
	if x.unmapped {
		return ErrFont
	}
	return nil
}

type pdfExtractor struct {
	data    []byte
	w       *bufio.Writer
	budget  int64 // decompressed bytes left
	sawText bool
	objs    map[int]int // object number → offset just after "obj"
	// uni maps 2-byte character codes to text, merged from every
	// /ToUnicode CMap in the file (PDF §9.10.3). Merging across fonts is
	// a simplification: we do not track which font a string uses.
	uni      map[uint16][]byte
	cmapWork int  // CMap entries processed, bounded by pdfMaxCMap
	unmapped bool // a shown string held glyph codes no map explains
}

var (
	pdfBfcharRe  = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	pdfBfrangeRe = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	pdfHexTokRe  = regexp.MustCompile(`<([0-9A-Fa-f]*)>`)
)

const pdfMaxCMap = 1 << 20 // CMap entries over the whole file

// cmap merges the 2-byte bfchar and bfrange entries of a ToUnicode CMap.
func (x *pdfExtractor) cmap(b []byte) {
	if x.uni == nil {
		x.uni = map[uint16][]byte{}
	}
	for _, sec := range pdfBfcharRe.FindAllSubmatch(b, -1) {
		h := pdfHexTokRe.FindAllSubmatch(sec[1], -1)
		for i := 0; i+1 < len(h) && x.cmapWork < pdfMaxCMap; i += 2 {
			x.cmapWork++
			src := pdfHexDecode(h[i][1])
			if len(src) == 2 {
				x.uni[uint16(src[0])<<8|uint16(src[1])] = pdfUTF16(pdfHexDecode(h[i+1][1]))
			}
		}
	}
	for _, sec := range pdfBfrangeRe.FindAllSubmatch(b, -1) {
		// Only the <lo> <hi> <dst> form; the array form is skipped.
		h := pdfHexTokRe.FindAllSubmatch(sec[1], -1)
		for i := 0; i+2 < len(h); i += 3 {
			lo, hi, dst := pdfHexDecode(h[i][1]), pdfHexDecode(h[i+1][1]), pdfHexDecode(h[i+2][1])
			if len(lo) != 2 || len(hi) != 2 || len(dst) != 2 {
				continue
			}
			a, z := uint16(lo[0])<<8|uint16(lo[1]), uint16(hi[0])<<8|uint16(hi[1])
			d := uint16(dst[0])<<8 | uint16(dst[1])
			for c := uint32(a); c <= uint32(z) && x.cmapWork < pdfMaxCMap; c++ {
				x.cmapWork++
				x.uni[uint16(c)] = []byte(string(rune(d + uint16(c-uint32(a)))))
			}
		}
	}
}

func pdfUTF16(b []byte) []byte {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return []byte(string(utf16.Decode(u)))
}

// mapCIDs decodes s through the merged ToUnicode map if every 2-byte
// code in it is known; otherwise it reports false.
func (x *pdfExtractor) mapCIDs(dst, s []byte) ([]byte, bool) {
	if len(x.uni) == 0 || len(s) == 0 || len(s)%2 != 0 {
		return dst, false
	}
	n := len(dst)
	for i := 0; i+1 < len(s); i += 2 {
		t, ok := x.uni[uint16(s[i])<<8|uint16(s[i+1])]
		if !ok {
			return dst[:n], false
		}
		dst = append(dst, t...)
	}
	return dst, true
}

// str appends one shown string: hex strings go through the ToUnicode
// map when possible (2-byte CIDs, e.g. Identity-H fonts).
func (x *pdfExtractor) str(dst []byte, o pdfOperand) []byte {
	if o.hex {
		if out, ok := x.mapCIDs(dst, o.str); ok {
			return out
		}
	}
	// Text never holds C0 control bytes; 2-byte glyph codes (0x00NN) do.
	// UTF-16BE text (BOM FE FF) is decoded properly and exempt.
	for _, c := range o.str {
		if bytes.HasPrefix(o.str, []byte{0xfe, 0xff}) {
			break
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			x.unmapped = true
			break
		}
	}
	return pdfDecodeString(dst, o.str)
}

func (x *pdfExtractor) run() error {
	x.indexObjects()
	streams := 0
	var decoded [][]byte // bounded by the decompression budget
	for pos := 0; pos < len(x.data); {
		i := bytes.Index(x.data[pos:], []byte("stream"))
		if i < 0 {
			break
		}
		kw := pos + i
		from := pos // a dictionary never spans an earlier keyword; keeps the scan linear
		pos = kw + len("stream")
		if kw >= 3 && string(x.data[kw-3:kw]) == "end" {
			continue
		}
		dict := x.dictBefore(from, kw)
		if dict == nil {
			continue
		}
		body, next := x.streamBody(dict, pos)
		if next > pos {
			pos = next
		}
		if pdfSkipRe.Match(dict) {
			continue
		}
		dec, err := x.decode(dict, body)
		if errors.Is(err, ErrLimit) {
			return err
		}
		if err != nil {
			continue // an undecodable stream is skipped, not fatal
		}
		streams++
		if bytes.Contains(dec, []byte("begincmap")) {
			x.cmap(dec)
			continue
		}
		decoded = append(decoded, dec)
	}
	// Content runs after every CMap is known: producers such as
	// LibreOffice write fonts after the pages that use them.
	for _, dec := range decoded {
		if err := x.content(dec); err != nil {
			return err
		}
	}
	if streams == 0 && !x.sawText {
		return fmt.Errorf("%w: no readable streams", ErrNoText)
	}
	return nil
}

// indexObjects records where each "N G obj" starts, for indirect /Length.
func (x *pdfExtractor) indexObjects() {
	x.objs = map[int]int{}
	for _, m := range pdfObjRe.FindAllSubmatchIndex(x.data, -1) {
		n, err := strconv.Atoi(string(x.data[m[2]:m[3]]))
		if err == nil && n < pdfMaxObjectNum {
			x.objs[n] = m[1]
		}
	}
}

// dictBefore returns the text between the last "obj" before kw and kw:
// the stream's dictionary.
func (x *pdfExtractor) dictBefore(from, kw int) []byte {
	start := max(from, kw-4096)
	i := bytes.LastIndex(x.data[start:kw], []byte("obj"))
	if i < 0 {
		return nil
	}
	return x.data[start+i+3 : kw]
}

// streamBody returns the raw bytes of a stream whose keyword ends at pos,
// and the offset after it. PDF §7.3.8.1: "stream" is followed by CRLF or LF.
func (x *pdfExtractor) streamBody(dict []byte, pos int) ([]byte, int) {
	d := x.data
	if pos < len(d) && d[pos] == '\r' {
		pos++
	}
	if pos < len(d) && d[pos] == '\n' {
		pos++
	}
	if n := x.length(dict); n >= 0 && pos+n <= len(d) {
		end := pos + n
		rest := bytes.TrimLeft(d[end:min(len(d), end+32)], " \r\n\t\f\x00")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return d[pos:end], end
		}
	}
	// /Length missing or wrong: fall back to the endstream marker.
	i := bytes.Index(d[pos:], []byte("endstream"))
	if i < 0 {
		return d[pos:], len(d)
	}
	end := pos + i
	body := d[pos:end]
	body = bytes.TrimSuffix(body, []byte("\n"))
	body = bytes.TrimSuffix(body, []byte("\r"))
	return body, end
}

// length resolves /Length, direct or an indirect reference; -1 if unknown.
func (x *pdfExtractor) length(dict []byte) int {
	m := pdfLengthRe.FindSubmatch(dict)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return -1
	}
	if m[2] == nil {
		return n
	}
	off, ok := x.objs[n]
	if !ok {
		return -1
	}
	rest := bytes.TrimLeft(x.data[off:min(len(x.data), off+64)], " \r\n\t\f\x00")
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	v, err := strconv.Atoi(string(rest[:j]))
	if err != nil {
		return -1
	}
	return v
}

// decode applies the stream's filters (PDF §7.4) within the budgets.
func (x *pdfExtractor) decode(dict, body []byte) ([]byte, error) {
	var names [][]byte
	if m := pdfFilterRe.FindSubmatch(dict); m != nil {
		for _, n := range pdfNameRe.FindAllSubmatch(m[1], -1) {
			names = append(names, n[1])
		}
	}
	if len(names) > pdfMaxFilters {
		return nil, fmt.Errorf("%w: too many filters", ErrMalformed)
	}
	out := body
	for _, n := range names {
		var err error
		switch string(n) {
		case "FlateDecode", "Fl":
			out, err = x.inflate(out)
		case "ASCIIHexDecode", "AHx":
			out, err = pdfHexDecode(out), nil
		case "ASCII85Decode", "A85":
			out, err = x.ascii85(out)
		default:
			return nil, fmt.Errorf("%w: unsupported filter %s", ErrMalformed, n)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inflate decompresses zlib, falling back to raw deflate, which some
// producers write without the zlib header.
func (x *pdfExtractor) inflate(b []byte) ([]byte, error) {
	out, err := x.readCapped(func() (io.Reader, error) { return zlib.NewReader(bytes.NewReader(b)) })
	if err == nil || errors.Is(err, ErrLimit) {
		return out, err
	}
	if len(out) > 0 {
		return out, nil // truncated stream: keep what we got
	}
	return x.readCapped(func() (io.Reader, error) { return flate.NewReader(bytes.NewReader(b)), nil })
}

func (x *pdfExtractor) ascii85(b []byte) ([]byte, error) {
	if i := bytes.Index(b, []byte("~>")); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimPrefix(bytes.TrimSpace(b), []byte("<~"))
	return x.readCapped(func() (io.Reader, error) { return ascii85.NewDecoder(bytes.NewReader(b)), nil })
}

// readCapped reads a decoder to the end, charging the global budget and
// stopping at the per-stream cap, so a deflate bomb costs at most the cap.
func (x *pdfExtractor) readCapped(open func() (io.Reader, error)) ([]byte, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	limit := min(int64(pdfMaxStream), x.budget)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if n > limit {
		return nil, ErrLimit
	}
	x.budget -= n
	if err != nil && err != io.ErrUnexpectedEOF {
		return buf.Bytes(), err
	}
	return buf.Bytes(), nil
}

func pdfHexDecode(b []byte) []byte {
	out := make([]byte, 0, len(b)/2)
	var hi byte
	odd := false
	for _, c := range b {
		if c == '>' {
			break
		}
		v, ok := pdfHexVal(c)
		if !ok {
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	if odd { // PDF §7.3.4.3: a missing final digit is 0
		out = append(out, hi<<4)
	}
	return out
}

func pdfHexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pdfDecodeString turns a PDF string into UTF-8: UTF-16BE with a BOM,
// otherwise PDFDocEncoding, read as Latin-1 (PDF §7.9.2.2).
func pdfDecodeString(dst, s []byte) []byte {
	if len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return append(dst, string(utf16.Decode(u))...)
	}
	for _, c := range s {
		if c < 0x80 {
			dst = append(dst, c)
		} else {
			dst = append(dst, string(rune(c))...)
		}
	}
	return dst
}

// pdfOperand is one content-stream operand: a string, a number, or an
// array of them (for TJ). Other operand kinds are kept as placeholders.
type pdfOperand struct {
	str   []byte
	isStr bool
	hex   bool
	num   float64
	arr   []pdfOperand
}

// content runs the text operators of one content stream (PDF §9.4).
func (x *pdfExtractor) content(b []byte) error {
	lx := pdfLexer{b: b}
	var stack []pdfOperand
	inText := false
	var line []byte
	for {
		tok, op, ok := lx.next()
		if !ok {
			break
		}
		if op == "" {
			if len(stack) < pdfMaxOperands {
				stack = append(stack, tok)
			}
			continue
		}
		switch op {
		case "BT":
			inText = true
		case "ET", "Td", "TD", "T*", "Tm":
			if inText || op == "ET" {
				line = append(line, '\n')
			}
			if op == "ET" {
				inText = false
			}
		case "Tj", "'", `"`:
			x.sawText = true
			if op != "Tj" {
				line = append(line, '\n')
			}
			if n := len(stack); n > 0 && stack[n-1].isStr {
				line = x.str(line, stack[n-1])
			}
		case "TJ":
			x.sawText = true
			if n := len(stack); n > 0 {
				line = x.tj(line, stack[n-1].arr)
			}
		}
		stack = stack[:0]
		if len(line) > 4096 {
			if _, err := x.w.Write(line); err != nil {
				return err
			}
			line = line[:0]
		}
	}
	_, err := x.w.Write(line)
	return err
}

// tj appends a TJ array. A kerning adjustment is in thousandths of
// an em; only a large negative one (text moved right) is a word gap, so
// "[(0102) -50 (85-1234)]" stays one number.
func (x *pdfExtractor) tj(dst []byte, arr []pdfOperand) []byte {
	for _, e := range arr {
		switch {
		case e.isStr:
			dst = x.str(dst, e)
		case e.num < -200:
			dst = append(dst, ' ')
		}
	}
	return dst
}

type pdfLexer struct {
	b []byte
	i int
}

func pdfIsSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func pdfIsDelim(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

// next returns an operand, or op != "" for an operator; ok is false at
// the end of input.
func (l *pdfLexer) next() (tok pdfOperand, op string, ok bool) {
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case pdfIsSpace(c):
			l.i++
		case c == '%':
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
		case c == '(':
			l.i++
			return pdfOperand{str: l.literal(), isStr: true}, "", true
		case c == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
			l.i += 2
			l.skipDict()
			return pdfOperand{}, "", true
		case c == '<':
			end := bytes.IndexByte(l.b[l.i:], '>')
			if end < 0 {
				end = len(l.b) - l.i
			}
			s := pdfHexDecode(l.b[l.i+1 : l.i+end])
			l.i = min(len(l.b), l.i+end+1)
			return pdfOperand{str: s, isStr: true, hex: true}, "", true
		case c == '[':
			l.i++
			return pdfOperand{arr: l.array()}, "", true
		case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
			l.i++
		case c == '/':
			l.i++
			l.word()
			return pdfOperand{}, "", true
		default:
			w := l.word()
			if len(w) == 0 {
				l.i++
				continue
			}
			if f, err := strconv.ParseFloat(string(w), 64); err == nil {
				return pdfOperand{num: f}, "", true
			}
			return pdfOperand{}, string(w), true
		}
	}
	return pdfOperand{}, "", false
}

func (l *pdfLexer) word() []byte {
	s := l.i
	for l.i < len(l.b) && !pdfIsSpace(l.b[l.i]) && !pdfIsDelim(l.b[l.i]) {
		l.i++
	}
	return l.b[s:l.i]
}

// array reads a TJ-style array up to "]"; nested arrays are flattened
// away and operators inside are ignored.
func (l *pdfLexer) array() []pdfOperand {
	var out []pdfOperand
	for l.i < len(l.b) {
		for l.i < len(l.b) && pdfIsSpace(l.b[l.i]) {
			l.i++
		}
		if l.i < len(l.b) && l.b[l.i] == ']' {
			l.i++
			return out
		}
		if l.i < len(l.b) && l.b[l.i] == '[' {
			l.skipArray()
			continue
		}
		tok, op, ok := l.next()
		if !ok {
			break
		}
		if op == "" && len(out) < 1<<16 {
			out = append(out, tok)
		}
	}
	return out
}

// skipArray skips a nested array without recursion, so "[[[[…" cannot
// exhaust the stack.
func (l *pdfLexer) skipArray() {
	depth := 0
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case '[':
			depth++
		case ']':
			depth--
		case '(':
			l.i++
			l.literal()
			continue
		}
		l.i++
		if depth == 0 {
			return
		}
	}
}

// skipDict skips an inline dictionary, nesting included.
func (l *pdfLexer) skipDict() {
	depth := 1
	for l.i < len(l.b) && depth > 0 {
		switch {
		case bytes.HasPrefix(l.b[l.i:], []byte("<<")):
			depth++
			l.i += 2
		case bytes.HasPrefix(l.b[l.i:], []byte(">>")):
			depth--
			l.i += 2
		case l.b[l.i] == '(':
			l.i++
			l.literal()
		default:
			l.i++
		}
	}
}

// literal reads a literal string after "(" (PDF §7.3.4.2): balanced
// parentheses, backslash escapes, octal \ddd, and line continuations.
func (l *pdfLexer) literal() []byte {
	var out []byte
	depth := 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out
			}
		case '\\':
			if l.i >= len(l.b) {
				return out
			}
			c = l.b[l.i]
			l.i++
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.i < len(l.b) && l.b[l.i] == '\n' {
					l.i++
				}
				continue
			case '\n':
				continue
			default:
				if c >= '0' && c <= '7' {
					v := int(c - '0')
					for k := 0; k < 2 && l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '7'; k++ {
						v = v*8 + int(l.b[l.i]-'0')
						l.i++
					}
					c = byte(v)
				}
			}
		}
		out = append(out, c)
	}
	return out
}
