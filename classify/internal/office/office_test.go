package office

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoles(t *testing.T) {
	tests := []struct {
		f    Format
		name string
		want Role
	}{
		{DOCX, "word/document.xml", Text},
		{DOCX, "word/footer1.xml", Text},
		{DOCX, "word/comments.xml", Text},
		{DOCX, "word/settings.xml", Text}, // document variables
		{DOCX, "docProps/core.xml", Text},
		{DOCX, "docProps/custom.xml", Text},
		{DOCX, "customXml/item1.xml", Text},
		{DOCX, "word/_rels/document.xml.rels", Text}, // external link targets
		{DOCX, "docProps/thumbnail.jpeg", Skip},
		{DOCX, "word/media/image1.png", Skip},
		{DOCX, "word/fonts/font1.odttf", Skip},
		{DOCX, "word/theme/theme1.xml", Skip},
		{DOCX, "word/fontTable.xml", Skip},
		{DOCX, "word/webSettings.xml", Skip},
		{DOCX, "[Content_Types].xml", Skip},
		{DOCX, "word/embeddings/Microsoft_Excel_Worksheet.xlsx", File},
		{DOCX, "word/embeddings/oleObject1.bin", File},
		{DOCX, "word/vbaProject.bin", File},
		{DOCX, "word/secret.txt", File},
		{XLSX, "xl/drawings/vmlDrawing1.vml", Text},
		{XLSX, "xl/drawings/commentsDrawing1.vml", Text},
		{XLSX, "xl/printerSettings/printerSettings1.bin", Skip},
		{XLSX, "xl/calcChain.xml", Skip},
		{XLSX, "xl/customProperty1.bin", Text},
		{XLSX, "xl/vbaProject.bin", File},
		{XLSX, "[trash]/0000.dat", File},
		{DOCX, "word/_rels/vbaProject.bin.rels", Text},
		{DOCX, "media/image.jpg", Skip},
		{DOCX, "package/services/metadata/core-properties/1.psmdcp", Text},
		{XLSX, "xl/styles.xml", Skip},
		{XLSX, "xl/sharedStrings.xml", Text},
		{XLSX, "xl/worksheets/sheet2.xml", Text},
		{ODF, "content.xml", Text},
		{ODF, "styles.xml", Text},
		{ODF, "meta.xml", Text},
		{ODF, "settings.xml", Skip},
		{ODF, "mimetype", Skip},
		{ODF, "manifest.rdf", Skip},
		{ODF, "META-INF/manifest.xml", Skip},
		{ODF, "Thumbnails/thumbnail.png", Skip},
		{ODF, "Configurations2/accelerator/current.xml", Skip},
		{ODF, "layout-cache", Skip},
		{ODF, "Pictures/1000000000000.png", Skip},
		{ODF, "Object 1/content.xml", Text},
		{ODF, "Object 1/settings.xml", Skip},
		{ODF, "ObjectReplacements/Object 1", Skip},
		{ODF, "Basic/Standard/Module1.xml", Text},
		{ODF, "secret.bin", File},
		{ODF, "Object 1/secret.bin", File},
	}
	for _, tc := range tests {
		d := &Doc{Format: tc.f}
		if got := d.Role(tc.name); got != tc.want {
			t.Errorf("%v %s: role %d, want %d", tc.f, tc.name, got, tc.want)
		}
	}
}

// textOf reads one XML part named name of a document of format f.
func textOf(t *testing.T, f Format, name, xml string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write([]byte(xml))
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(zr, f, func(f *zip.File) (io.ReadCloser, error) { return f.Open() })
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Text(zr.File[0], &out); err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(out.String()), " ")
}

func TestCharacterElements(t *testing.T) {
	const w = `<w:document xmlns:w="w"><w:body>`
	tests := []struct {
		f         Format
		name, xml string
		want      string
	}{
		{DOCX, "word/document.xml", w + `<w:p><w:r><w:t>010190</w:t><w:noBreakHyphen/><w:t>1234</w:t></w:r></w:p></w:body></w:document>`, "010190-1234"},
		{DOCX, "word/document.xml", w + `<w:p><w:r><w:t>Syg</w:t><w:softHyphen/><w:t>dom</w:t></w:r></w:p></w:body></w:document>`, "Sygdom"},
		{DOCX, "word/document.xml", w + `<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t></w:r></w:p></w:body></w:document>`, "a b c d"},
		{DOCX, "word/document.xml", w + `<w:p><w:r><w:t>0101</w:t><w:sym w:font="Symbol" w:char="F039"/><w:t>0-1234</w:t></w:r></w:p></w:body></w:document>`, "010190-1234"},
		{DOCX, "word/document.xml", w + `<w:p><w:del><w:r><w:delText>010190-1234</w:delText></w:r></w:del></w:p></w:body></w:document>`, "010190-1234"},
		{DOCX, "word/document.xml", w + `<w:p><w:bookmarkStart w:id="0" w:name="Sygdom"/><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`, "; Sygdom ; x"},
		{DOCX, "word/document.xml", w + `<w:p><w:r><w:t>Fra</w:t></w:r></w:p><w:p><w:r><w:t>Til</w:t></w:r></w:p></w:body></w:document>`, "Fra Til"},
		{DOCX, "word/settings.xml", `<w:settings><w:docVars><w:docVar w:name="CPR" w:val="010190-1234"/></w:docVars></w:settings>`, "; CPR ; ; 010190-1234 ;"},
		{DOCX, "word/_rels/document.xml.rels", `<Relationships><Relationship Id="r1" Target="https://x.dk/?q=sygdom" TargetMode="External"/><Relationship Id="r2" Target="media/image1.png"/></Relationships>`, "; https://x.dk/?q=sygdom ;"},
		{ODF, "content.xml", `<office:document-content><office:body><office:text><text:p>010190<text:s/>1234</text:p><text:p>Syg<text:soft-page-break/>dom<text:tab/>x<text:line-break/>y</text:p></office:text></office:body></office:document-content>`, "010190 1234 Sygdom x y"},
		{ODF, "content.xml", `<office:document-content><office:body><office:text><text:p>Se note<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>010190-1234</text:p></text:note-body></text:note></text:p></office:text></office:body></office:document-content>`, "Se note 1 010190-1234"},
		{XLSX, "xl/worksheets/sheet1.xml", `<worksheet><headerFooter><oddHeader>&amp;L&amp;"Arial,Bold"&amp;12Sygemeldinger&amp;RSide &amp;P</oddHeader></headerFooter></worksheet>`, "Sygemeldinger Side"},
		{XLSX, "xl/worksheets/sheet1.xml", `<worksheet><sheetData><row><c r="A1" t="str"><f>A2&amp;"x"</f><v>ok</v></c><c r="B1"><v>101901234</v></c></row></sheetData></worksheet>`, "ok ; 101901234 ; ; 0101901234 ;"},
		{XLSX, "xl/workbook.xml", `<workbook><sheets><sheet name="Sygemeldinger" sheetId="1"/></sheets></workbook>`, "; Sygemeldinger ;"},
		{XLSX, "xl/drawings/vmlDrawing1.vml", `<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape alt="Sygdom"><v:textbox><div>010190<br>1234</div></v:textbox></v:shape><![if !vml]>x<![endif]></xml>`, "; Sygdom ; 010190 1234 x"},
		{XLSX, "xl/customProperty1.bin", "0\x001\x000\x001\x009\x000\x00-\x001\x002\x003\x004\x00", "010190-1234"},
		{XLSX, "xl/unknown/part.xml", `<x a="010190-1234"><y>z</y></x>`, "; ; 010190-1234 ; ; z ; ;"},
	}
	for _, tc := range tests {
		if got := textOf(t, tc.f, tc.name, tc.xml); got != tc.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tc.f, tc.xml, got, tc.want)
		}
	}
}

func TestMalformed(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document><w:body><w:p>"))
	zw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	d, _ := New(zr, DOCX, func(f *zip.File) (io.ReadCloser, error) { return f.Open() })
	if err := d.Text(zr.File[0], io.Discard); err == nil {
		t.Error("unclosed XML: no error")
	}
}

// TestFixtures checks that the text of each real-producer fixture holds
// what the producer shows: the CPR number as a reader sees it.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*cpr-*"))
	for _, f := range files {
		if filepath.Ext(f) == ".sh" || filepath.Ext(f) == ".py" {
			continue
		}
		txt, members := docText(t, f)
		txt = strings.ReplaceAll(txt, "\u2011", "-") // LibreOffice writes w:noBreakHyphen as U+2011
		txt = strings.Join(strings.Fields(txt), " ")
		if !strings.Contains(txt, "010190-1234") && !strings.Contains(txt, "010190 1234") {
			t.Errorf("%s: no 010190-1234 in %q", f, txt)
		}
		if len(members) > 0 {
			t.Errorf("%s: members the format does not explain: %v", f, members)
		}
	}
	if len(files) < 10 {
		t.Errorf("%d fixtures", len(files))
	}
}

// docText reads every Text member of the document in file.
func docText(t testing.TB, file string) (string, []string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	open := func(f *zip.File) (io.ReadCloser, error) { return f.Open() }
	d, err := New(zr, Detect(zr), open)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var files []string
	for _, f := range zr.File {
		switch d.Role(f.Name) {
		case Text:
			if err := d.Text(f, &out); err != nil {
				t.Errorf("%s: %v", file, err)
			}
			out.WriteString("\n")
		case File:
			files = append(files, f.Name)
		}
	}
	return out.String(), files
}

// FuzzPart reads arbitrary bytes as each kind of part: it must not panic,
// and a part's error is one of the package's or the reader's.
func FuzzPart(f *testing.F) {
	f.Add(`<w:p><w:r><w:t>0101</w:t><w:noBreakHyphen/><w:sym w:char="F030"/></w:r></w:p>`, "word/document.xml")
	f.Add(`<sheetData><row><c s="0" t="n"><v>101901234</v></c><c t="inlineStr"><is><t>x</t></is></c></row></sheetData>`, "xl/worksheets/sheet1.xml")
	f.Add(`<office:automatic-styles><number:number-style style:name="N"><number:number number:min-integer-digits="10"><number:embedded-text number:position="4">-</number:embedded-text></number:number></number:number-style><style:style style:name="c" style:data-style-name="N"/></office:automatic-styles><table:table-row><table:table-cell table:style-name="c" office:value-type="float" office:value="101901234"/></table:table-row>`, "content.xml")
	f.Add(`<xml><v:shape alt="a"><div>1<br>2</div></v:shape><![if x]></xml>`, "xl/drawings/vmlDrawing1.vml")
	f.Add("0\x001\x00", "xl/customProperty1.bin")
	f.Add(`<headerFooter><oddHeader>&amp;"A&amp;12x&amp;</oddHeader></headerFooter>`, "xl/worksheets/sheet2.xml")
	f.Fuzz(func(t *testing.T, part, name string) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create(name)
		if err != nil {
			return
		}
		w.Write([]byte(part))
		zw.Close()
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			return
		}
		for _, f := range []Format{DOCX, XLSX, PPTX, ODF} {
			d, err := New(zr, f, func(f *zip.File) (io.ReadCloser, error) { return f.Open() })
			if err != nil {
				continue
			}
			if d.Role(name) == Text {
				if err := d.Text(zr.File[0], io.Discard); err != nil && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrTooLarge) {
					t.Errorf("%s as %v: error %v is not ErrSyntax", name, f, err)
				}
			}
		}
	})
}
