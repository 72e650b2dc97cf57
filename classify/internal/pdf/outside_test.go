package pdf

import (
	"errors"
	"strings"
	"testing"
)

// TestOutsideText: text kept outside page content is read: form fields
// (name, tooltip, value, choice options, appearance), annotations
// (contents, author, rich text, appearance), bookmarks (a cycle in the
// links included), the information dictionary and XMP metadata.
func TestOutsideText(t *testing.T) {
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description pdf:Keywords="n&#248;gleord 1"` +
		`><dc:title><rdf:Alt><rdf:li xml:lang="x-default">XMP-titel &#230;2</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 7 0 R] >> /Outlines 9 0 R /Metadata 12 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [8 0 R 6 0 R] >>"},
		{dict: "", stream: []byte("BT /F1 12 Tf (side) Tj ET")},
		{dict: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
		{dict: "<< /FT /Tx /T (felt1) /TU (V\\346rktip 3) /V <FEFF0030003100300031003900300020002D00200031003200330034> /Subtype /Widget /AP << /N 13 0 R >> >>"},
		{dict: "<< /T (valg) /Kids [<< /FT /Ch /T (barn) /Opt [[(e) (Eksport 4)] (Option 5)] /V (Option 5) >>] >>"},
		{dict: "<< /Type /Annot /Subtype /Text /Contents (Kommentar 6) /T (Forfatter 7) /RC (<body><p>Rig &amp; tekst 8</p></body>) /Popup 14 0 R >>"},
		{dict: "<< /First 10 0 R /Count 2 >>"},
		{dict: "<< /Title (Kapitel 9) /Next 11 0 R /First 11 0 R >>"},
		{dict: "<< /Title <FEFF00C5007200730020003100300020> /Next 10 0 R >>"},
		{dict: "/Type /Metadata /Subtype /XML", stream: []byte(xmp)},
		{dict: "/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /Helv 5 0 R >> >>", stream: []byte("/Tx BMC BT /Helv 10 Tf (Udseende 11) Tj ET EMC")},
		{dict: "<< /Type /Annot /Subtype /Popup /Parent 8 0 R >>"},
		{dict: "<< /Title (Info-titel 12) /Author (Forfatter \\370) /Custom (Egen 13) >>"},
	}, "/Info 15 0 R")
	got, err := extract(pdf)
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{
		"side", "felt1", "Værktip 3", "010190 - 1234", "Eksport 4", "Option 5", "Kommentar 6", "Forfatter 7",
		"Rig & tekst 8", "Kapitel 9", "Års 10", "Udseende 11", "Info-titel 12", "Forfatter ø", "Egen 13",
		"nøgleord 1", "XMP-titel æ2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text does not contain %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "Kapitel 9"); n != 1 {
		t.Errorf("bookmark read %d times", n)
	}
}

// TestFormXObjects: a form is run with its own resources, once, however
// often and however circularly it is used.
func TestFormXObjects(t *testing.T) {
	pdf := buildPDF([]pdfObj{
		{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
		{dict: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
		{dict: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Fm1 5 0 R >> >> >>"},
		{dict: "", stream: []byte("/Fm1 Do /Fm1 Do q /Fm1 Do Q")},
		{dict: "/Type /XObject /Subtype /Form /Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 5 0 R >> >>", stream: []byte("BT /F1 9 Tf (i formen \\346) Tj ET /Fm1 Do")},
		{dict: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
	}, "")
	got, err := extract(pdf)
	if err != nil || strings.Count(got, "i formen æ") != 1 {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestInlineImage: the binary data of an inline image is not read as
// operators.
func TestInlineImage(t *testing.T) {
	content := "BT (før) Tj ET BI /W 4 /H 1 /BPC 8 /CS /G ID \x00(010190-1234) Tj\xffEIx EI Q BT (efter) Tj ET"
	got, err := extract(pagePDF("", []byte(content)))
	if err != nil || strings.Contains(got, "010190") || !strings.Contains(got, "efter") {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestActualText: marked content's /ActualText is read.
func TestActualText(t *testing.T) {
	content := "/Span << /ActualText <FEFF0043005000520020003000310030003100390030002D0031003200330034> >> BDC BT (x) Tj ET EMC"
	got, err := extract(pagePDF("", []byte(content)))
	if err != nil || !strings.Contains(got, "CPR 010190-1234") {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestScannedPage: a page that shows an image and no text looks like a
// scanned page; among typed pages it still makes the document
// uninspectable. A logo on a typed page does not.
func TestScannedPage(t *testing.T) {
	doc := func(page2 string) []byte {
		return buildPDF([]pdfObj{
			{dict: "<< /Type /Catalog /Pages 2 0 R >>"},
			{dict: "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /XObject << /Im1 7 0 R >> /Font << /F1 8 0 R >> >> >>"},
			{dict: "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>"},
			{dict: "<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>"},
			{dict: "", stream: []byte("q 10 0 0 10 0 0 cm /Im1 Do Q BT /F1 12 Tf (typed) Tj ET")},
			{dict: "", stream: []byte(page2)},
			{dict: "/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray", stream: []byte{0}},
			{dict: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"},
		}, "")
	}
	if _, err := extract(doc("q 612 0 0 792 0 0 cm /Im1 Do Q")); !errors.Is(err, ErrNoText) {
		t.Errorf("scanned second page: err = %v, want ErrNoText", err)
	}
	if _, err := extract(doc("BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI")); !errors.Is(err, ErrNoText) {
		t.Errorf("inline image page: err = %v, want ErrNoText", err)
	}
	if _, err := extract(doc("q /Im1 Do Q BT /F1 9 Tf (OCR layer) Tj ET")); err != nil {
		t.Errorf("page with image and text: err = %v", err)
	}
}
