package pdf

// Fonts: how the bytes of a shown string become text (PDF §9.10.2). A
// /ToUnicode CMap wins; a simple font (Type1, TrueType, Type3, MMType1)
// falls back to its encoding (a standard one plus /Differences glyph
// names); a composite font (Type0) to a Unicode CMap. A code none of these
// explains is counted as unmapped: the text it stands for is unknown.

import (
	"bytes"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// font decodes shown strings.
type font struct {
	composite bool      // Type0: codes of one to four bytes
	ucs2      bool      // Type0 with a predefined UCS-2/UTF-16 CMap
	uni       *cmap     // /ToUnicode, or nil
	enc       *encoding // simple font: base encoding, or nil when unknown
	diff      map[byte]string
	badDiff   map[byte]bool // /Differences names that say nothing
	symbol    bool          // Symbol, ZapfDingbats, Wingdings…: pictures, not letters
	// raw: no encoding is known (a symbolic font's built-in one): bytes
	// are read as text unless they are control codes, which text never
	// holds and glyph indices do.
	raw bool
	// builtin: the embedded Type 1 program's own encoding was read into
	// diff; codes it does not name are unmapped.
	builtin bool
	// Glyph widths in thousandths of an em (PDF §9.2.4), for layout.
	widths map[uint32]float64
	dw     float64 // width of codes not in widths
	hasDW  bool    // dw is given (composite fonts: always, 1000 by default)
	wscale float64 // Type3: widths are in glyph space scaled by /FontMatrix
}

// unknownFont is used when a string is shown with no usable font: bytes
// are read as PDFDocEncoding text, and C0 control bytes, which no text
// holds but glyph indices do, count as unmapped.
var unknownFont = &font{raw: true, wscale: 1}

// fontOf loads the font dictionary v, once per dictionary: a content
// stream may select the same font a million times, and loading one can
// mean parsing a large CMap or width array.
func (x *extractor) fontOf(v any) *font {
	d := x.dictOf(v)
	if d == nil {
		return unknownFont
	}
	key := reflect.ValueOf(d).Pointer()
	if f, ok := x.fonts[key]; ok {
		return f
	}
	f := x.loadFont(d)
	x.fonts[key] = f
	return f
}

func (x *extractor) loadFont(d dict) *font {
	if d == nil {
		return unknownFont
	}
	f := &font{wscale: 1}
	x.loadWidths(d, f)
	if s := x.streamOf(d["ToUnicode"]); s != nil {
		if dec, err := x.decode(s); err == nil {
			f.uni = parseCMap(dec, &x.cmapWork)
		}
	}
	if d["Subtype"] == name("Type0") {
		f.composite = true
		if n, ok := x.resolve(d["Encoding"]).(name); ok {
			s := string(n)
			f.ucs2 = strings.HasPrefix(s, "Uni") && (strings.Contains(s, "UCS2") || strings.Contains(s, "UTF16"))
		}
		return f
	}
	base, _ := x.resolve(d["BaseFont"]).(name)
	f.symbol = isSymbolFont(string(base))
	f.enc = x.simpleEncoding(d, f)
	// PDF §9.6.6.3: a Type3 font's codes mean only what /Differences says.
	f.raw = f.enc == nil && !f.builtin && d["Subtype"] != name("Type3")
	return f
}

// loadWidths reads /FirstChar and /Widths of a simple font, or /DW and /W
// of a composite font's descendant (PDF §9.7.4.3).
func (x *extractor) loadWidths(d dict, f *font) {
	f.widths = map[uint32]float64{}
	if d["Subtype"] == name("Type0") {
		kids := x.arrayOf(d["DescendantFonts"])
		if len(kids) == 0 {
			return
		}
		cid := x.dictOf(kids[0])
		f.dw, f.hasDW = 1000, true
		if v, ok := x.resolve(cid["DW"]).(float64); ok {
			f.dw = v
		}
		x.cidWidths(x.arrayOf(cid["W"]), f)
		return
	}
	first, _ := x.resolve(d["FirstChar"]).(float64)
	for i, w := range x.arrayOf(d["Widths"]) {
		if v, ok := x.resolve(w).(float64); ok && i < 256 {
			f.widths[uint32(int(first)+i)] = v
		}
	}
	if v, ok := x.resolve(x.dictOf(d["FontDescriptor"])["MissingWidth"]).(float64); ok {
		f.dw, f.hasDW = v, true
	}
	if m := x.arrayOf(d["FontMatrix"]); d["Subtype"] == name("Type3") && len(m) > 0 {
		if v, ok := x.resolve(m[0]).(float64); ok {
			f.wscale = v * 1000
		}
	}
}

// cidWidths reads a /W array: "c [w1 w2 …]" and "first last w" entries.
func (x *extractor) cidWidths(w []any, f *font) {
	for i := 0; i < len(w) && len(f.widths) < 1<<16; {
		c, ok := x.resolve(w[i]).(float64)
		if !ok || i+1 >= len(w) {
			return
		}
		if arr, isArr := x.resolve(w[i+1]).([]any); isArr {
			for k, v := range arr {
				if fv, ok := x.resolve(v).(float64); ok && k < 1<<16 {
					f.widths[uint32(c)+uint32(k)] = fv
				}
			}
			i += 2
			continue
		}
		last, ok1 := x.resolve(w[i+1]).(float64)
		if i+2 >= len(w) || !ok1 {
			return
		}
		v, _ := x.resolve(w[i+2]).(float64)
		for c2 := c; c2 <= last && c2-c < 1<<16; c2++ {
			f.widths[uint32(c2)] = v
		}
		i += 3
	}
}

// measure returns the width of a shown string in ems, its number of codes
// and of single-byte spaces, and whether every width was known.
func (f *font) measure(s []byte) (em float64, n, spaces int, known bool) {
	known = true
	add := func(c uint32) {
		w, ok := f.widths[c]
		if !ok {
			w, ok = f.dw, f.hasDW
		}
		known = known && ok
		em += w * f.wscale / 1000
		n++
	}
	if !f.composite {
		for _, c := range s {
			add(uint32(c))
			if c == ' ' {
				spaces++
			}
		}
		return em, n, spaces, known && len(f.widths) > 0
	}
	for i := 0; i < len(s); {
		w := 2
		if f.uni != nil {
			w = f.uni.width(s[i:], 2)
		}
		w = min(w, len(s)-i)
		add(code(s[i : i+w]))
		if w == 1 && s[i] == ' ' {
			spaces++
		}
		i += w
	}
	return em, n, spaces, known
}

// isSymbolFont recognises fonts whose glyphs are pictures.
func isSymbolFont(base string) bool {
	if i := strings.IndexByte(base, '+'); i == 6 {
		base = base[i+1:]
	}
	for _, p := range []string{"Symbol", "ZapfDingbats", "Dingbats", "Wingdings", "Webdings", "OpenSymbol", "Marlett"} {
		if strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

// simpleEncoding applies /Encoding: a name, or a dictionary with
// /BaseEncoding and /Differences (PDF §9.6.5). Without one, a
// nonsymbolic font uses StandardEncoding (PDF §9.6.5.2); a symbolic font
// has its own built-in encoding, unknown here unless a map says more.
func (x *extractor) simpleEncoding(d dict, f *font) *encoding {
	var enc *encoding
	switch e := x.resolve(d["Encoding"]).(type) {
	case name:
		enc = namedEncoding(e)
	case dict:
		if b, ok := x.resolve(e["BaseEncoding"]).(name); ok {
			enc = namedEncoding(b)
		}
		x.differences(x.arrayOf(e["Differences"]), f)
	}
	if enc != nil {
		return enc
	}
	fd := x.dictOf(d["FontDescriptor"])
	if builtin, ok := x.type1Encoding(fd, f); ok {
		return builtin
	}
	flags, _ := x.resolve(fd["Flags"]).(float64)
	symbolic := fd != nil && int(flags)&4 != 0 && int(flags)&32 == 0
	if symbolic || d["Subtype"] == name("Type3") {
		return nil
	}
	return stdEncoding
}

var dupRe = regexp.MustCompile(`dup\s+(\d{1,3})\s*/([^\s/\[\]{}()<>]+)\s+put`)

// type1Encoding reads the built-in encoding of an embedded Type 1 font
// program (/FontFile): its clear-text part says "/Encoding
// StandardEncoding def" or lists "dup code /name put" (Adobe Type 1 Font
// Format §2.3). pdfTeX writes TeX's fonts so, without /Differences. It
// fills f.diff where /Differences left codes open.
func (x *extractor) type1Encoding(fd dict, f *font) (*encoding, bool) {
	s := x.streamOf(fd["FontFile"])
	if s == nil {
		return nil, false
	}
	dec, err := x.decode(s)
	if err != nil {
		return nil, false
	}
	clear := dec
	if n, ok := x.resolve(s.dict["Length1"]).(float64); ok && n > 0 && int(n) < len(dec) {
		clear = dec[:int(n)]
	} else if i := bytes.Index(dec, []byte("eexec")); i >= 0 {
		clear = dec[:i]
	}
	if bytes.Contains(clear, []byte("/Encoding StandardEncoding def")) {
		return stdEncoding, true
	}
	dups := dupRe.FindAllSubmatch(clear, 256)
	if len(dups) == 0 {
		return nil, false
	}
	f.builtin = true
	for _, m := range dups {
		c, err := strconv.Atoi(string(m[1]))
		if err != nil || c > 255 {
			continue
		}
		if _, ok := f.diff[byte(c)]; ok || f.badDiff[byte(c)] {
			continue
		}
		f.setGlyph(byte(c), string(m[2]))
	}
	return nil, false
}

// setGlyph records what glyph name n at code c stands for.
func (f *font) setGlyph(c byte, n string) {
	if t, ok := glyphText(n); ok {
		if f.diff == nil {
			f.diff = map[byte]string{}
		}
		f.diff[c] = t
	} else if n != ".notdef" {
		if f.badDiff == nil {
			f.badDiff = map[byte]bool{}
		}
		f.badDiff[c] = true
	}
}

func namedEncoding(n name) *encoding {
	switch n {
	case "WinAnsiEncoding":
		return winAnsiEncoding
	case "MacRomanEncoding", "MacExpertEncoding":
		return macRomanEncoding
	case "StandardEncoding":
		return stdEncoding
	case "PDFDocEncoding":
		return pdfDocEncoding
	}
	return nil
}

// differences reads "[code /name /name … code /name …]".
func (x *extractor) differences(arr []any, f *font) {
	code := -1
	for _, v := range arr {
		switch v := x.resolve(v).(type) {
		case float64:
			code = int(v)
		case name:
			if code < 0 || code > 255 {
				continue
			}
			f.setGlyph(byte(code), string(v))
			code++
		}
	}
}

// decode appends the text of the shown string s to dst and reports how
// many codes could not be turned into text (each leaves U+FFFD).
func (f *font) decode(dst, s []byte) ([]byte, int) {
	if f.composite {
		return f.decodeComposite(dst, s)
	}
	bad := 0
	for _, c := range s {
		var ok bool
		dst, ok = f.simpleCode(dst, c)
		if !ok {
			bad++
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
	}
	return dst, bad
}

// simpleCode appends the text of one code of a simple font.
func (f *font) simpleCode(dst []byte, c byte) ([]byte, bool) {
	if f.uni != nil {
		if t, ok := f.uni.lookup(uint32(c)); ok {
			return append(dst, t...), true
		}
	}
	if t, ok := f.diff[c]; ok {
		return append(dst, t...), true
	}
	switch {
	case f.badDiff[c]:
		return dst, false
	case f.symbol:
		if c >= 0x20 && c < 0x7f {
			return append(dst, c), true // digits and punctuation are where ASCII has them
		}
		return append(dst, "•"...), true
	case f.enc != nil:
		if r := f.enc[c]; r != 0 {
			return utf8.AppendRune(dst, r), true
		}
		// An undefined code, e.g. a control byte: a glyph index in a font
		// that claims a standard encoding.
		return dst, false
	case f.raw:
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return dst, false
		}
		return utf8.AppendRune(dst, pdfDocEncoding[c]), true
	}
	return dst, false
}

// decodeComposite splits s into codes by the CMap's codespace ranges
// (two bytes by default, as Identity-H) and maps each.
func (f *font) decodeComposite(dst, s []byte) ([]byte, int) {
	bad := 0
	for i := 0; i < len(s); {
		n := 2
		if f.uni != nil {
			n = f.uni.width(s[i:], 2)
		}
		n = min(n, len(s)-i)
		c := code(s[i : i+n])
		i += n
		if f.uni != nil {
			if t, ok := f.uni.lookup(c); ok {
				dst = append(dst, t...)
				continue
			}
		}
		if f.ucs2 && n == 2 && (c < 0xd800 || c > 0xdfff) {
			dst = utf8.AppendRune(dst, rune(c))
			continue
		}
		bad++
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst, bad
}
