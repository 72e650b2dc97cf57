package pdf

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fontPDF is a one-page document showing content in font F1 (fontDict),
// with further objects numbered from 6 (e.g. a ToUnicode stream).
func fontPDF(fontDict, content string, extra ...pdfObj) []byte {
	return buildPDF(append([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"},
		{dict: "", stream: []byte("BT /F1 12 Tf 72 712 Td " + content + " ET")},
		{dict: fontDict},
	}, extra...), "")
}

func cmapStream(body string) pdfObj {
	return pdfObj{dict: "", stream: []byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" + body + "\nendcmap end end")}
}

func TestSimpleFonts(t *testing.T) {
	oneByte := cmapStream("1 begincodespacerange <00> <FF> endcodespacerange\n" +
		"2 beginbfchar <01> <0048> <02> <00F8> endbfchar\n" +
		"2 beginbfrange <10> <19> <0030> <20> <21> [<00C6> <0066006C>] endbfrange")
	tests := []struct {
		name, font, content string
		extra               []pdfObj
		want                string
	}{
		{"WinAnsi", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			`(\346\370\345 \200 010190-1234) Tj`, nil, "æøå € 010190-1234"},
		{"MacRoman", "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /MacRomanEncoding >>",
			`(\276\277\214\256\257\201) Tj`, nil, "æøåÆØÅ"},
		{"Standard by default", "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
			`(\341\351\361\371 it\047s) Tj`, nil, "ÆØæø it’s"},
		{"Differences", "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding " +
			"/Differences [1 /aring /oslash /uni00E6 /u1F600 /f_i /A.sc /minus /uni00410042] >> >>",
			`(\001\002\003\004\005\006\007\010 ok) Tj`, nil, "åøæ😀fiA−AB ok"},
		{"one-byte ToUnicode", "<< /Type /Font /Subtype /TrueType /BaseFont /BAAAAA+DejaVuSans /ToUnicode 6 0 R >>",
			`[<01021011> -20 <1213> -300 <2021>] TJ`, []pdfObj{oneByte}, "Hø0123 Æfl"},
		{"ToUnicode before encoding", "<< /Type /Font /Subtype /TrueType /BaseFont /X /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
			`(\001AB) Tj`, []pdfObj{oneByte}, "HAB"},
		{"Type3", "<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> " +
			"/Encoding << /Differences [65 /C /P /R /hyphen /zero /one] >> >>",
			`(ABC EF) Tj`, nil, "CPR"},
		{"symbol font digits", "<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>",
			`(\267 12) Tj`, nil, "• 12"},
		{"Type1 built-in encoding", "<< /Type /Font /Subtype /Type1 /BaseFont /CMR10 /FontDescriptor 6 0 R >>",
			`(o\016cial \013A) Tj`, []pdfObj{
				{dict: "<< /Type /FontDescriptor /Flags 4 /FontFile 7 0 R >>"},
				{dict: "/Length2 0 /Length3 0", stream: []byte("/Encoding 256 array\ndup 14 /ffi put\ndup 11 /ff put\ndup 65 /A put\n" +
					"dup 111 /o put dup 99 /c put dup 105 /i put dup 97 /a put dup 108 /l put dup 32 /space put readonly def\ncurrentfile eexec\n\x00\x01")},
			}, "official ffA"},
		{"UCS-2 CMap", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /UniJIS-UCS2-H >>",
			`<00E600F8> Tj`, nil, "æø"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := extract(fontPDF(tc.font, tc.content, tc.extra...))
			if err != nil {
				t.Fatalf("err = %v (%q)", err, got)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// TestUnmappedFonts: glyph codes that no encoding or map explains make the
// document uninspectable; a stray one or two do not.
func TestUnmappedFonts(t *testing.T) {
	tests := []struct {
		name, font, content string
		wantErr             bool
	}{
		{"Identity-H without map", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H >>", "<0013001400150016> Tj", true},
		{"private glyph names", "<< /Type /Font /Subtype /Type3 /Encoding << /Differences [1 /g1 /g2 /g3 /g4] >> >>", `(\001\002\003\004) Tj`, true},
		{"Type3 without encoding names", "<< /Type /Font /Subtype /Type3 /Encoding << /Differences [] >> >>", `(abc) Tj`, true},
		{"glyph indices in a standard font", "<< /Type /Font /Subtype /TrueType /BaseFont /X /Encoding /WinAnsiEncoding >>", `(\000\023\000\024) Tj`, true},
		{"two stray codes", "<< /Type /Font /Subtype /Type3 /Encoding << /Differences [1 /g1 65 /A /B] >> >>", `(AB\001\001) Tj`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := extract(fontPDF(tc.font, tc.content))
			if got := errors.Is(err, ErrFont); got != tc.wantErr {
				t.Errorf("err = %v, want ErrFont: %v", err, tc.wantErr)
			}
		})
	}
}

func TestGlyphNames(t *testing.T) {
	for n, want := range map[string]string{
		"space": " ", "at": "@", "z": "z", "asciitilde": "~", "ydieresis": "ÿ", "Aring": "Å", "oslash": "ø",
		"ae": "æ", "AE": "Æ", "eacute": "é", "longs": "ſ", "Idotaccent": "İ", "dotlessi": "ı", "zcaron": "ž",
		"uni00C5": "Å", "uni00430050": "CP", "u1F600": "😀", "f_f_i": "ffi", "a.sc": "a", "Euro": "€",
	} {
		if got, ok := glyphText(n); !ok || got != want {
			t.Errorf("%s: got %q, %v, want %q", n, got, ok, want)
		}
	}
	for _, n := range []string{"g12", "glyph5", "uniD800", "uni12", "u110000", "", ".notdef", "a_g7"} {
		if got, ok := glyphText(n); ok {
			t.Errorf("%s: got %q, want no text", n, got)
		}
	}
}

func TestEncodingTables(t *testing.T) {
	for _, tc := range []struct {
		enc  *encoding
		code byte
		want rune
	}{
		{stdEncoding, 0x27, '’'}, {stdEncoding, 0xe1, 'Æ'}, {stdEncoding, 0xfb, 'ß'}, {stdEncoding, 0xe6, 0},
		{winAnsiEncoding, 0x80, '€'}, {winAnsiEncoding, 0xf8, 'ø'}, {winAnsiEncoding, 0x96, '–'},
		{macRomanEncoding, 0x8c, 'å'}, {macRomanEncoding, 0xbf, 'ø'},
		{pdfDocEncoding, 0x18, '˘'}, {pdfDocEncoding, 0x80, '•'}, {pdfDocEncoding, 0x9e, 'ž'}, {pdfDocEncoding, 0xa0, '€'}, {pdfDocEncoding, 0xe6, 'æ'},
	} {
		if got := tc.enc[tc.code]; got != tc.want {
			t.Errorf("code %#x: got %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestTextString(t *testing.T) {
	for in, want := range map[string]string{
		"\xfe\xff\x00\xc6\x00l\x00b\x00k": "Ælbk",
		"\xef\xbb\xbfSø":                  "Sø",
		"S\xf8ren \x80 \xa0":              "Søren • €",
		"\xfe\xff\xd8\x3d\xde\x00":        "😀",
	} {
		if got := string(textString(nil, []byte(in))); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// FuzzFont: any font dictionary, ToUnicode CMap and shown string decode
// to valid UTF-8 without a panic.
func FuzzFont(f *testing.F) {
	f.Add("<< /Subtype /TrueType /ToUnicode 6 0 R >>", []byte("1 beginbfchar <01> <0048> endbfchar 1 beginbfrange <10> <19> <0030> endbfrange"), []byte("\x01\x10\x11"))
	f.Add("<< /Subtype /Type0 /Encoding /Identity-H /ToUnicode 6 0 R >>", []byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> endbfrange"), []byte("\x00\x41\xd8\x00"))
	f.Add("<< /Subtype /Type1 /Encoding << /BaseEncoding /MacRomanEncoding /Differences [1 /aring /uni00E6 /f_i /g5] >> >>", []byte(""), []byte("\x01\x02\x03\x04\xff"))
	f.Add("<< /Subtype /Type0 /Encoding /UniGB-UTF16-H >>", []byte("1 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange 1 beginbfrange <8140> <8142> [<0041> <D83D>] endbfrange"), []byte("\x81\x40\x81\x41\x20"))
	f.Fuzz(func(t *testing.T, fontDict string, cmapBody, shown []byte) {
		x := newExtractor(nil, nil, nil)
		x.objs = map[int]located{6: {0, &stream{dict: dict{}, raw: cmapBody}}}
		p := parser{b: []byte(fontDict)}
		v, _ := p.value(0)
		fd, _ := v.(dict)
		out, bad := x.loadFont(fd).decode(nil, shown)
		if !utf8.Valid(out) || bad < 0 || bad > len(shown) {
			t.Fatalf("decode(%q) = %q, %d", shown, out, bad)
		}
	})
}

// FuzzTextString: text strings always decode to valid UTF-8.
func FuzzTextString(f *testing.F) {
	f.Add([]byte("\xfe\xff\x00\xc6\xd8\x00"))
	f.Add([]byte("\xef\xbb\xbf\xff\xfe"))
	f.Add([]byte("S\xf8ren \x80\x9f\x18"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if out := textString(nil, in); !utf8.Valid(out) {
			t.Fatalf("textString(%q) = %q", in, out)
		}
	})
}

// TestLayout: strings placed one glyph or one word at a time are joined
// by what their positions say: nothing inside a word, a space between
// words, a line break between lines (Chrome and Google Docs place every
// glyph; OCR layers every word).
func TestLayout(t *testing.T) {
	font := "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 122 " +
		"/Widths [" + strings.Repeat("500 ", 91) + "] >>"
	content := "1 0 0 1 72 700 Tm (C) Tj 6 0 Td (P) Tj 6 0 Td (R) Tj 12 0 Td (0) Tj 6 0 Td (1) Tj 6 0 Td (0) Tj " +
		"/F1 12 Tf 6 0 Td (190-1234) Tj 1 0 0 1 72 680 Tm (diab) Tj 24 0 Td (etes) Tj 30 0 Td " +
		"[(dia) -50 (betes) -400 (ord)] TJ 0 -20 Td (linje) Tj"
	got, err := extract(fontPDF(font, "/F1 12 Tf "+content))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CPR 010190-1234\ndiabetes diabetes ord\nlinje"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
}
