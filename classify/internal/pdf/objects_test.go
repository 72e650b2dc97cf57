package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestObjectStreams: a PDF 1.5 file whose catalog, pages and font live in
// a compressed object stream, indexed by a cross-reference stream with a
// PNG predictor, as LibreOffice and Ghostscript write when asked.
func TestObjectStreams(t *testing.T) {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // 4: the content stream, outside
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /First 7 0 R >>",
		"<< /Title (Bogm\\346rke 010190-1234) >>",
	}
	var hdr, body bytes.Buffer
	nums := []int{1, 2, 3, 5, 6, 7}
	for _, n := range nums {
		fmt.Fprintf(&hdr, "%d %d ", n, body.Len())
		body.WriteString(objs[n-1] + "\n")
	}
	stm := append(hdr.Bytes(), body.Bytes()...)
	content := deflate(t, []byte("BT /F1 12 Tf (Indhold p\\345 siden) Tj ET"))
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", len(content), content)
	z := deflate(t, stm)
	fmt.Fprintf(&b, "8 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", len(nums), hdr.Len(), len(z), z)
	// A cross-reference stream whose rows are filtered with PNG "Up".
	xref := deflate(t, []byte{2, 1, 0, 9, 0, 2, 0, 0, 0, 0})
	fmt.Fprintf(&b, "9 0 obj\n<< /Type /XRef /Size 10 /Root 1 0 R /W [1 2 1] /Length %d /Filter /FlateDecode "+
		"/DecodeParms << /Predictor 12 /Columns 4 >> >>\nstream\n%s\nendstream\nendobj\nstartxref\n0\n%%%%EOF\n", len(xref), xref)
	got, err := extract(b.Bytes())
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"Indhold på siden", "Bogmærke 010190-1234"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
}

// TestIncrementalUpdate: an update appended to the file replaces an
// object; the new version is read, and so is text the old one left in
// the file (a recipient can read it too).
func TestIncrementalUpdate(t *testing.T) {
	base := fontPDF("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", "(gammel tekst) Tj")
	upd := fmt.Sprintf("4 0 obj\n<< /Length 30 >>\nstream\nBT /F1 12 Tf (ny tekst) Tj ET\nendstream\nendobj\n"+
		"6 0 obj\n<< /Title (Sag 010190-1234) >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		bytes.LastIndex(base, []byte("xref")), len(base))
	got, err := extract(append(base, upd...))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"ny tekst", "gammel tekst", "Sag 010190-1234"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
}

// TestNestedPDFObjects: objects inside a stream (an uncompressed PDF
// carried as an embedded file) do not replace the file's own.
func TestNestedPDFObjects(t *testing.T) {
	inner := "%PDF-1.4\n3 0 obj\n<< /Type /Page /Contents 9 0 R >>\nendobj\n"
	var got []string
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.pdf) 6 0 R] >> >> >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"},
		{dict: "", stream: []byte("BT (ydre tekst) Tj ET")},
		{dict: "/Type /EmbeddedFile", stream: []byte(inner)},
		{dict: "<< /Type /Filespec /F (a.pdf) /UF <FEFF00E6002E007000640066> /EF << /F 5 0 R >> >>"},
	}, "")
	var out bytes.Buffer
	err := Text(bytes.NewReader(pdf), int64(len(pdf)), &out, func(name string, b []byte) { got = append(got, name+":"+string(b)) })
	if err != nil || !strings.Contains(out.String(), "ydre tekst") {
		t.Fatalf("got %q, %v", out.String(), err)
	}
	if len(got) != 1 || got[0] != "æ.pdf:"+inner {
		t.Errorf("embedded files %q", got)
	}
	// Without a FileFunc the document says it holds files it could not hand over.
	if _, err := extract(pdf); !errors.Is(err, ErrEmbedded) {
		t.Errorf("err = %v, want ErrEmbedded", err)
	}
}

// TestDirectStream: pypdf 3 writes an embedded file's stream as a direct
// value inside the file specification; it is still found.
func TestDirectStream(t *testing.T) {
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(n.txt) << /EF << /F << /Length 15 /Type /EmbeddedFile >>\nstream\nCPR 010190-1234\nendstream >> /F (n.txt) >>] >> >> >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"},
		{dict: "", stream: []byte("BT (tekst) Tj ET")},
	}, "")
	var files []string
	var out bytes.Buffer
	if err := Text(bytes.NewReader(pdf), int64(len(pdf)), &out, func(n string, b []byte) { files = append(files, n+":"+string(b)) }); err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0] != "n.txt:CPR 010190-1234" {
		t.Errorf("files %q", files)
	}
}

// FuzzObjects: any bytes as the objects of a document (catalog, form,
// outline, annotation, name tree, info) are read without a panic. The
// extractor runs without Text's recover, so a panic fails the target.
func FuzzObjects(f *testing.F) {
	f.Add([]byte("<< /Fields [7 0 R] /DR << /Font << /Helv 8 0 R >> >> >>"), []byte("<< /T (a) /V <FEFF00E6> /Kids [7 0 R] /AP << /N << /On 9 0 R >> >> >>"))
	f.Add([]byte("<< /First 7 0 R >>"), []byte("<< /Title (x) /Next 7 0 R /First 7 0 R >>"))
	f.Add([]byte("<< /Names [(a) 7 0 R] /Kids [6 0 R] >>"), []byte("<< /EF << /F 9 0 R >> /UF (a.txt) >>"))
	f.Add([]byte("<< /Subtype /Text /Contents (c) /RC (<p a='1'>x&amp;y</p>) /FS 7 0 R >>"), []byte("[[[[[[<<"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R /Outlines 6 0 R /Names << /EmbeddedFiles 6 0 R >> >>\nendobj\n")
		buf.WriteString("2 0 obj\n<< /Type /Pages /Kids [3 0 R 2 0 R] >>\nendobj\n")
		buf.WriteString("3 0 obj\n<< /Type /Page /Contents 4 0 R /Annots [6 0 R 7 0 R] /Resources << /Font << /F1 8 0 R >> /XObject << /X 9 0 R >> >> >>\nendobj\n")
		buf.WriteString("4 0 obj\n<< /Length 25 >>\nstream\nBT /F1 1 Tf (t) Tj /X Do ET\nendstream\nendobj\n")
		fmt.Fprintf(&buf, "6 0 obj\n%s\nendobj\n7 0 obj\n%s\nendobj\n", a, b)
		buf.WriteString("8 0 obj\n<< /Subtype /Type1 /ToUnicode 7 0 R >>\nendobj\n")
		buf.WriteString("9 0 obj\n<< /Subtype /Form /Length 9 >>\nstream\n/X Do (u)'\nendstream\nendobj\n")
		fmt.Fprintf(&buf, "trailer\n<< /Root 1 0 R /Info 6 0 R >>\n")
		var out bytes.Buffer
		x := newExtractor(buf.Bytes(), bufioWriter(&out), func(string, []byte) {})
		x.run()
	})
}
