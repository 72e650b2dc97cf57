package pdf

// Simple-font encodings (PDF §9.6.5, Annex D) and the glyph names a
// /Differences array uses (Adobe Glyph List, the Latin part, PDF §9.10.2).

import (
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// encoding maps one-byte codes to runes; 0 means no character.
type encoding [256]rune

var (
	stdEncoding      = standardEncoding()
	winAnsiEncoding  = fromCharmap(charmap.Windows1252)
	macRomanEncoding = fromCharmap(charmap.Macintosh)
	pdfDocEncoding   = pdfDoc()
)

// fromCharmap builds an encoding from one of x/text's single-byte tables;
// codes below space are left undefined.
func fromCharmap(cm *charmap.Charmap) *encoding {
	var e encoding
	for c := 0x20; c < 256; c++ {
		r := cm.DecodeByte(byte(c))
		if r >= 0x20 && (r < 0x7f || r > 0x9f) {
			e[c] = r
		}
	}
	return &e
}

// standardEncoding is Adobe StandardEncoding (PDF Annex D.2): ASCII with
// curly quotes at 0x27 and 0x60, and its own upper half.
func standardEncoding() *encoding {
	var e encoding
	for c := 0x20; c < 0x7f; c++ {
		e[c] = rune(c)
	}
	e[0x27], e[0x60] = '’', '‘'
	high := map[byte]rune{
		0xa1: '¡', 0xa2: '¢', 0xa3: '£', 0xa4: '⁄', 0xa5: '¥', 0xa6: 'ƒ', 0xa7: '§', 0xa8: '¤',
		0xa9: '\'', 0xaa: '“', 0xab: '«', 0xac: '‹', 0xad: '›', 0xae: 'ﬁ', 0xaf: 'ﬂ', 0xb1: '–',
		0xb2: '†', 0xb3: '‡', 0xb4: '·', 0xb6: '¶', 0xb7: '•', 0xb8: '‚', 0xb9: '„', 0xba: '”',
		0xbb: '»', 0xbc: '…', 0xbd: '‰', 0xbf: '¿', 0xc1: '`', 0xc2: '´', 0xc3: 'ˆ', 0xc4: '˜',
		0xc5: '¯', 0xc6: '˘', 0xc7: '˙', 0xc8: '¨', 0xca: '˚', 0xcb: '¸', 0xcd: '˝', 0xce: '˛',
		0xcf: 'ˇ', 0xd0: '—', 0xe1: 'Æ', 0xe3: 'ª', 0xe8: 'Ł', 0xe9: 'Ø', 0xea: 'Œ', 0xeb: 'º',
		0xf1: 'æ', 0xf5: 'ı', 0xf8: 'ł', 0xf9: 'ø', 0xfa: 'œ', 0xfb: 'ß',
	}
	for c, r := range high {
		e[c] = r
	}
	return &e
}

// pdfDoc is PDFDocEncoding (PDF Annex D.3), the encoding of text strings
// without a byte order mark: Latin-1 with its own 0x18–0x1f and 0x80–0xa0.
func pdfDoc() *encoding {
	var e encoding
	for c := 0; c < 256; c++ {
		e[c] = rune(c)
	}
	for i, r := range []rune("˘ˇˆ˙˝˛˚˜") {
		e[0x18+i] = r
	}
	for i, r := range []rune("•†‡…—–ƒ⁄‹›−‰„“”‘’‚™ﬁﬂŁŒŠŸŽıłœšž") {
		e[0x80+i] = r
	}
	e[0x9f], e[0xa0] = 0, '€'
	return &e
}

// glyphNames is the Latin subset of the Adobe Glyph List: every name in
// the standard Latin encodings, Latin-1, Latin Extended-A and common
// punctuation and symbols.
var glyphNames = func() map[string]rune {
	m := map[string]rune{}
	ascii := "space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright " +
		"asterisk plus comma hyphen period slash zero one two three four five six seven eight nine colon " +
		"semicolon less equal greater question at"
	for i, n := range strings.Fields(ascii) {
		m[n] = rune(0x20 + i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		m[string(c)] = c
		m[string(c+32)] = c + 32
	}
	for i, n := range strings.Fields("bracketleft backslash bracketright asciicircum underscore grave") {
		m[n] = rune(0x5b + i)
	}
	for i, n := range strings.Fields("braceleft bar braceright asciitilde") {
		m[n] = rune(0x7b + i)
	}
	latin1 := "nbspace exclamdown cent sterling currency yen brokenbar section dieresis copyright " +
		"ordfeminine guillemotleft logicalnot sfthyphen registered macron degree plusminus twosuperior " +
		"threesuperior acute mu paragraph periodcentered cedilla onesuperior ordmasculine guillemotright " +
		"onequarter onehalf threequarters questiondown Agrave Aacute Acircumflex Atilde Adieresis Aring AE " +
		"Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde Ograve " +
		"Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute " +
		"Thorn germandbls agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute " +
		"ecircumflex edieresis igrave iacute icircumflex idieresis eth ntilde ograve oacute ocircumflex " +
		"otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis"
	for i, n := range strings.Fields(latin1) {
		m[n] = rune(0xa0 + i)
	}
	extA := "Amacron amacron Abreve abreve Aogonek aogonek Cacute cacute Ccircumflex ccircumflex " +
		"Cdotaccent cdotaccent Ccaron ccaron Dcaron dcaron Dcroat dcroat Emacron emacron Ebreve ebreve " +
		"Edotaccent edotaccent Eogonek eogonek Ecaron ecaron Gcircumflex gcircumflex Gbreve gbreve " +
		"Gdotaccent gdotaccent Gcommaaccent gcommaaccent Hcircumflex hcircumflex Hbar hbar Itilde itilde " +
		"Imacron imacron Ibreve ibreve Iogonek iogonek Idotaccent dotlessi IJ ij Jcircumflex jcircumflex " +
		"Kcommaaccent kcommaaccent kgreenlandic Lacute lacute Lcommaaccent lcommaaccent Lcaron lcaron " +
		"Ldot ldot Lslash lslash Nacute nacute Ncommaaccent ncommaaccent Ncaron ncaron napostrophe Eng eng " +
		"Omacron omacron Obreve obreve Ohungarumlaut ohungarumlaut OE oe Racute racute Rcommaaccent " +
		"rcommaaccent Rcaron rcaron Sacute sacute Scircumflex scircumflex Scedilla scedilla Scaron scaron " +
		"Tcommaaccent tcommaaccent Tcaron tcaron Tbar tbar Utilde utilde Umacron umacron Ubreve ubreve " +
		"Uring uring Uhungarumlaut uhungarumlaut Uogonek uogonek Wcircumflex wcircumflex Ycircumflex " +
		"ycircumflex Ydieresis Zacute zacute Zdotaccent zdotaccent Zcaron zcaron longs"
	for i, n := range strings.Fields(extA) {
		m[n] = rune(0x100 + i)
	}
	for n, r := range map[string]rune{
		"quoteleft": '‘', "quoteright": '’', "quotesinglbase": '‚', "quotedblleft": '“',
		"quotedblright": '”', "quotedblbase": '„', "endash": '–', "emdash": '—', "bullet": '•',
		"ellipsis": '…', "dagger": '†', "daggerdbl": '‡', "perthousand": '‰', "guilsinglleft": '‹',
		"guilsinglright": '›', "fraction": '⁄', "florin": 'ƒ', "Euro": '€', "trademark": '™',
		"minus": '−', "circumflex": 'ˆ', "tilde": '˜', "breve": '˘', "dotaccent": '˙', "ring": '˚',
		"hungarumlaut": '˝', "ogonek": '˛', "caron": 'ˇ', "middot": '·', "micro": 'µ', "Delta": '∆',
		"Omega": 'Ω', "pi": 'π', "mu1": 'µ', "lozenge": '◊', "notequal": '≠', "infinity": '∞',
		"lessequal": '≤', "greaterequal": '≥', "partialdiff": '∂', "summation": '∑', "product": '∏',
		"integral": '∫', "radical": '√', "approxequal": '≈', "commaaccent": 0x326, "nonbreakingspace": 0xa0,
		"uni00A0": 0xa0, "softhyphen": 0xad, "figuredash": '‒', "quotereversed": '‛', "afii00208": '―',
		"periodcentered.0": '·', "onedotenleader": '․', "twodotenleader": '‥', "minute": '′', "second": '″',
		"Ohm": 'Ω', "estimated": '℮', "numero": '№', "arrowright": '→', "arrowleft": '←',
	} {
		m[n] = r
	}
	return m
}()

// ligatures are glyph names that stand for more than one character.
var ligatures = map[string]string{"fi": "fi", "fl": "fl", "ff": "ff", "ffi": "ffi", "ffl": "ffl", "IJ": "IJ", "ij": "ij"}

// glyphText returns the text of a glyph name, or false when the name says
// nothing reliable (e.g. "g123", "glyph5": a subset's private names).
// PDF §9.10.2 and the AGL specification: a suffix after "." is a variant,
// "_" joins components, "uniXXXX" and "uXXXX[XX]" name code points.
func glyphText(n string) (string, bool) {
	if i := strings.IndexByte(n, '.'); i > 0 {
		n = n[:i]
	}
	if n == "" {
		return "", false
	}
	if strings.Contains(n, "_") {
		var b strings.Builder
		for _, part := range strings.Split(n, "_") {
			t, ok := glyphText(part)
			if !ok {
				return "", false
			}
			b.WriteString(t)
		}
		return b.String(), true
	}
	if s, ok := ligatures[n]; ok {
		return s, true
	}
	if r, ok := glyphNames[n]; ok {
		return string(r), true
	}
	return uniName(n)
}

// uniName decodes "uni" followed by groups of four hex digits, or "u"
// followed by four to six.
func uniName(n string) (string, bool) {
	switch {
	case strings.HasPrefix(n, "uni") && len(n) >= 7 && (len(n)-3)%4 == 0:
		var b strings.Builder
		for i := 3; i < len(n); i += 4 {
			v, err := strconv.ParseUint(n[i:i+4], 16, 32)
			if err != nil || (v >= 0xd800 && v <= 0xdfff) {
				return "", false
			}
			b.WriteRune(rune(v))
		}
		return b.String(), true
	case strings.HasPrefix(n, "u") && len(n) >= 5 && len(n) <= 7:
		v, err := strconv.ParseUint(n[1:], 16, 32)
		if err != nil || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) {
			return "", false
		}
		return string(rune(v)), true
	}
	return "", false
}
