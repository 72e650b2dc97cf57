package pdf

// Fonts: how the bytes of a shown string become text (PDF §9.10.2). A
// /ToUnicode CMap wins; a simple font (Type1, TrueType, Type3, MMType1)
// falls back to its encoding (a standard one plus /Differences glyph
// names); a composite font (Type0) to a Unicode CMap. A code none of these
// explains is counted as unmapped: the text it stands for is unknown.

import (
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
}

// unknownFont is used when a string is shown with no usable font: bytes
// are read as PDFDocEncoding text, and C0 control bytes, which no text
// holds but glyph indices do, count as unmapped.
var unknownFont = &font{raw: true}

// fontOf loads the font dictionary v, cached by object.
func (x *extractor) fontOf(v any) *font {
	r, isRef := v.(ref)
	if isRef {
		if f, ok := x.fonts[r.num]; ok {
			return f
		}
	}
	f := x.loadFont(x.dictOf(v))
	if isRef {
		x.fonts[r.num] = f
	}
	return f
}

func (x *extractor) loadFont(d dict) *font {
	if d == nil {
		return unknownFont
	}
	f := &font{}
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
	f.raw = f.enc == nil && d["Subtype"] != name("Type3")
	return f
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
	flags, _ := x.resolve(fd["Flags"]).(float64)
	symbolic := fd != nil && int(flags)&4 != 0 && int(flags)&32 == 0
	if symbolic || d["Subtype"] == name("Type3") {
		return nil
	}
	return stdEncoding
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
			if t, ok := glyphText(string(v)); ok {
				if f.diff == nil {
					f.diff = map[byte]string{}
				}
				f.diff[byte(code)] = t
			} else if v != ".notdef" {
				if f.badDiff == nil {
					f.badDiff = map[byte]bool{}
				}
				f.badDiff[byte(code)] = true
			}
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
