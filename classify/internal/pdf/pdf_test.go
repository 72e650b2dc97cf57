package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// pdfObj is one indirect object for the test PDF generator: a dictionary
// and, if stream is non-nil, a stream body written with its /Length.
type pdfObj struct {
	dict   string
	stream []byte
}

// buildPDF writes a minimal PDF: header, numbered objects, an xref table
// and a trailer (plus extra trailer entries such as /Encrypt).
func buildPDF(objs []pdfObj, trailerExtra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		if o.stream == nil {
			b.WriteString(o.dict + "\nendobj\n")
			continue
		}
		fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", o.dict, len(o.stream))
		b.Write(o.stream)
		b.WriteString("\nendstream\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

// pagePDF is a one-page document whose content stream has the given
// filter (possibly empty) and already-encoded body.
func pagePDF(filter string, content []byte) []byte {
	if filter != "" {
		filter = "/Filter " + filter
	}
	return buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"},
		{dict: filter, stream: content},
		{dict: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
	}, "")
}

func deflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zlib.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func extract(pdf []byte) (string, error) {
	var out strings.Builder
	err := Text(bytes.NewReader(pdf), int64(len(pdf)), &out, nil)
	return out.String(), err
}

func TestPDFText(t *testing.T) {
	bt := func(ops string) []byte { return []byte("BT /F1 12 Tf 72 712 Td " + ops + " ET") }
	tests := []struct {
		name string
		pdf  []byte
		want string // substring of the output
	}{
		{"Tj", pagePDF("", bt("(CPR 010285-1234) Tj")), "CPR 010285-1234"},
		{"TJ split number", pagePDF("", bt("[(0102) -50 (85-1234)] TJ")), "010285-1234"},
		{"TJ word gap", pagePDF("", bt("[(CPR) -250 (nummer)] TJ")), "CPR nummer"},
		{"hex string", pagePDF("", bt("<303130323835> Tj")), "010285"},
		{"octal escapes", pagePDF("", bt(`(S\370ren \(x\) \\ \101) Tj`)), "Søren (x) \\ A"},
		{"quote ops", pagePDF("", bt(`(one) Tj (two) ' 1 2 (three) "`)), "one\ntwo\nthree"},
		{"Td line break", pagePDF("", bt("(a) Tj 0 -14 Td (b) Tj")), "a\nb"},
		{"FlateDecode", pagePDF("/FlateDecode", deflate(t, bt("(flate 010285-1234) Tj"))), "flate 010285-1234"},
		{"ASCIIHex", pagePDF("/ASCIIHexDecode", []byte(hex.EncodeToString(bt("(hexed) Tj"))+">")), "hexed"},
		{"filter array", pagePDF("[/ASCIIHexDecode /FlateDecode]", []byte(hex.EncodeToString(deflate(t, bt("(chain) Tj")))+">")), "chain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := extract(tc.pdf)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestPDFASCII85(t *testing.T) {
	src := []byte("BT (base85 text) Tj ET")
	enc := make([]byte, ascii85.MaxEncodedLen(len(src)))
	content := append(append([]byte("<~"), enc[:ascii85.Encode(enc, src)]...), "~>"...)
	got, err := extract(pagePDF("/ASCII85Decode", content))
	if err != nil || !strings.Contains(got, "base85 text") {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestPDFIndirectLength(t *testing.T) {
	content := "BT (indirect length) Tj ET"
	pdf := fmt.Sprintf("%%PDF-1.4\n1 0 obj\n<< /Length 2 0 R >>\nstream\n%s\nendstream\nendobj\n2 0 obj\n%d\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n", content, len(content))
	got, err := extract([]byte(pdf))
	if err != nil || !strings.Contains(got, "indirect length") {
		t.Fatalf("got %q, %v", got, err)
	}
	// A wrong /Length falls back to the endstream marker.
	pdf = strings.Replace(pdf, "/Length 2 0 R", "/Length 5", 1)
	got, err = extract([]byte(pdf))
	if err != nil || !strings.Contains(got, "indirect length") {
		t.Fatalf("wrong length: got %q, %v", got, err)
	}
}

func TestPDFToUnicode(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2 beginbfchar <0003> <0020> <0004> <00E6> endbfchar\n" +
		"1 beginbfrange <0010> <0019> <0030> endbfrange\nendcmap end end"
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"},
		{dict: "/Filter /FlateDecode", stream: deflate(t, []byte("BT /F1 12 Tf <00040003001000110012> Tj [<0013> -10 <0014>] TJ ET"))},
		{dict: "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 6 0 R >>"},
		{dict: "/Filter /FlateDecode", stream: deflate(t, []byte(cmap))},
	}, "")
	got, err := extract(pdf)
	if err != nil || !strings.Contains(got, "æ 01234") {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestPDFEncrypted(t *testing.T) {
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog >>"},
		{dict: "", stream: []byte("BT (secret) Tj ET")},
		{dict: "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>"},
	}, "/Encrypt 3 0 R")
	if _, err := extract(pdf); !errors.Is(err, ErrEncrypted) {
		t.Fatalf("err = %v, want ErrEncrypted", err)
	}
}

func TestPDFImageOnly(t *testing.T) {
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog >>"},
		{dict: "/Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8 /ColorSpace /DeviceGray", stream: []byte{1, 2, 3, 4}},
		{dict: "", stream: []byte("q 612 0 0 792 0 0 cm /Im1 Do Q")},
	}, "")
	if _, err := extract(pdf); !errors.Is(err, ErrNoText) {
		t.Fatalf("err = %v, want ErrNoText", err)
	}
}

func TestPDFMalformed(t *testing.T) {
	good := pagePDF("/FlateDecode", deflate(t, []byte("BT (text) Tj ET")))
	for _, in := range [][]byte{
		nil,
		[]byte("garbage, not a pdf"),
		[]byte("%PDF-1.4\n"),
		good[:len(good)/2],
		[]byte("%PDF-1.4\n1 0 obj\n<< /Length 99999 >>\nstream\nBT [[[[[[(x"),
		[]byte("%PDF-1.4\n1 0 obj\n<<>>\nstream\nBT (unterminated \\"),
		append([]byte("%PDF-1.4\n1 0 obj\n<<>>\nstream\nBT "), bytes.Repeat([]byte("["), 1<<20)...),
	} {
		_, err := extract(in) // must not panic; any outcome but a crash is fine
		_ = err
	}
	if _, err := extract([]byte("garbage")); err == nil {
		t.Error("garbage: no error")
	}
	if _, err := extract(good[:len(good)/3]); err == nil {
		t.Error("truncated: no error")
	}
}

func TestPDFFlateBomb(t *testing.T) {
	bomb := deflate(t, make([]byte, 40<<20)) // 40 MB of zeros, ~40 KB
	start := time.Now()
	_, err := extract(pagePDF("/FlateDecode", bomb))
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("err = %v, want ErrLimit", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// textPDF is a FlateDecode document of about n bytes of text.
func textPDF(t testing.TB, n int) []byte {
	var c bytes.Buffer
	c.WriteString("BT /F1 10 Tf 72 720 Td\n")
	for i := 0; c.Len() < n; i++ {
		fmt.Fprintf(&c, "[(Linje %d med tekst og CPR 0102) -40 (85-%04d) -300 (slut)] TJ 0 -12 Td\n", i, i%10000)
	}
	c.WriteString("ET")
	return pagePDF("/FlateDecode", deflate(t, c.Bytes()))
}

func BenchmarkPDFText(b *testing.B) {
	pdf := textPDF(b, 1<<20)
	var out bytes.Buffer
	b.SetBytes(1 << 20) // throughput counted on decompressed content
	for b.Loop() {
		out.Reset()
		if err := Text(bytes.NewReader(pdf), int64(len(pdf)), &out, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzPDFText(f *testing.F) {
	f.Add(pagePDF("", []byte("BT (seed 010285-1234) Tj ET")))
	f.Add(pagePDF("/FlateDecode", deflate(f, []byte("BT [(a) -300 <4142>] TJ ET"))))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Length 2 0 R >>\nstream\nBT (x) ' ET\nendstream\nendobj\n2 0 obj\n11\nendobj\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		textOf(in, io.Discard, func(string, []byte) {})
	})
}

// TestPDFUnmappedGlyphs: an Identity-H font without a ToUnicode map shows
// glyph codes, not characters. Read as Latin-1 they hide any number, so the
// file must be uninspectable rather than clean.
func TestPDFUnmappedGlyphs(t *testing.T) {
	for _, content := range []string{"<00130014001500160017> Tj", `(\000\023\000\024) Tj`} {
		pdf := pagePDF("", []byte("BT /F1 12 Tf 72 712 Td "+content+" ET"))
		if _, err := extract(pdf); !errors.Is(err, ErrFont) {
			t.Errorf("%s: err = %v, want ErrFont", content, err)
		}
	}
}

func bufioWriter(w io.Writer) *bufio.Writer { return bufio.NewWriter(w) }

// TestRepeatedFontSelection: selecting a font written directly in the
// resources a hundred thousand times loads it once (its CMap is parsed
// once), so the document is read quickly. No timing is asserted: a
// quadratic reader would make this test time out.
func TestRepeatedFontSelection(t *testing.T) {
	cmap := "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange <0000> <00FF> <0000> endbfrange\n" +
		strings.Repeat("1 beginbfchar <0101> <0041> endbfchar\n", 20000)
	content := strings.Repeat("/F1 9 Tf <0041> Tj ", 100000)
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 << /Subtype /Type0 /Encoding /Identity-H /ToUnicode 5 0 R >> >> >> >>"},
		{dict: "/Filter /FlateDecode", stream: deflate(t, []byte("BT "+content+" ET"))},
		{dict: "/Filter /FlateDecode", stream: deflate(t, []byte(cmap))},
	}, "")
	got, err := extract(pdf)
	if err != nil || strings.Count(got, "A") != 100000 {
		t.Fatalf("%d letters, %v", strings.Count(got, "A"), err)
	}
}
