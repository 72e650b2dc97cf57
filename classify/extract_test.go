package classify

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// part is one leaf of a test message.
type part struct {
	header string // extra header lines, "\r\n"-terminated
	ctype  string
	name   string
	body   []byte
}

// mixed builds a multipart/mixed message of parts, each base64 encoded.
func mixed(parts ...part) string {
	var b strings.Builder
	b.WriteString("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n")
	for _, p := range parts {
		b.WriteString("--BB\r\nContent-Type: " + p.ctype)
		if p.name != "" {
			b.WriteString("; name=\"" + p.name + "\"")
		}
		b.WriteString("\r\nContent-Transfer-Encoding: base64\r\n" + p.header + "\r\n")
		enc := base64.StdEncoding.EncodeToString(p.body)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--BB--\r\n")
	return b.String()
}

// entry is one member of a test zip archive.
type entry struct {
	name      string
	data      []byte
	encrypted bool
}

func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.encrypted {
			h.Flags |= 0x1
		}
		f, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docx builds a Word document; each paragraph is a list of runs.
func docx(t testing.TB, paras ...[]string) []byte {
	var x strings.Builder
	x.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + "\n")
	for _, p := range paras {
		x.WriteString("  <w:p>\n")
		for _, r := range p {
			x.WriteString("    <w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">" + r + "</w:t></w:r>\n")
		}
		x.WriteString("  </w:p>\n")
	}
	x.WriteString("</w:body></w:document>")
	return zipOf(t,
		entry{name: "[Content_Types].xml", data: []byte(`<Types/>`)},
		entry{name: "word/document.xml", data: []byte(x.String())},
		entry{name: "word/media/image1.png", data: []byte("\x89PNG\r\n\x1a\n")},
	)
}

func xlsx(t testing.TB, shared, inline string) []byte {
	return zipOf(t,
		entry{name: "xl/workbook.xml", data: []byte(`<workbook/>`)},
		entry{name: "xl/sharedStrings.xml", data: []byte(`<sst><si><t>` + shared + `</t></si><si><r><t>a</t></r></si></sst>`)},
		entry{name: "xl/worksheets/sheet1.xml", data: []byte(`<worksheet><sheetData><row r="1">` +
			`<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>` + inline + `</t></is></c><c r="C1"><v>42</v></c>` +
			`</row></sheetData></worksheet>`)},
	)
}

func pptx(t testing.TB, text string) []byte {
	return zipOf(t,
		entry{name: "ppt/presentation.xml", data: []byte(`<p:presentation/>`)},
		entry{name: "ppt/slides/slide1.xml", data: []byte(`<p:sld><p:txBody><a:p><a:r><a:t>` + text + `</a:t></a:r></a:p></p:txBody></p:sld>`)},
	)
}

func odt(t testing.TB, content string) []byte {
	return zipOf(t,
		entry{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text")},
		entry{name: "content.xml", data: []byte(`<office:document-content><office:body><office:text>` + content + `</office:text></office:body></office:document-content>`)},
	)
}

func uuencode(name string, data []byte) string {
	var b strings.Builder
	b.WriteString("begin 644 " + name + "\n")
	enc := func(c byte) byte {
		if c == 0 {
			return '`'
		}
		return c + ' '
	}
	for len(data) > 0 {
		n := min(len(data), 45)
		line := data[:n]
		data = data[n:]
		b.WriteByte(enc(byte(n)))
		for i := 0; i < n; i += 3 {
			var g [3]byte
			copy(g[:], line[i:min(i+3, n)])
			b.WriteByte(enc(g[0] >> 2))
			b.WriteByte(enc((g[0]<<4 | g[1]>>4) & 0x3f))
			b.WriteByte(enc((g[1]<<2 | g[2]>>6) & 0x3f))
			b.WriteByte(enc(g[2] & 0x3f))
		}
		b.WriteByte('\n')
	}
	b.WriteString("`\nend\n")
	return b.String()
}

// simplePDF is a one-object PDF whose content stream is content.
func simplePDF(content, trailer string) []byte {
	return []byte(fmt.Sprintf("%%PDF-1.4\n1 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\ntrailer\n<< /Root 1 0 R %s>>\n%%%%EOF\n",
		len(content), content, trailer))
}

func TestExtract(t *testing.T) {
	cpr := []byte("Kunde 010285-1234\n")
	nested := zipOf(t, entry{name: "a.txt", data: cpr})
	for i := 0; i < 6; i++ {
		nested = zipOf(t, entry{name: fmt.Sprintf("level%d.zip", i), data: nested})
	}
	tests := []struct {
		name string
		msg  string
		want []string
	}{
		{"zip with text", mixed(part{ctype: "application/zip", name: "a.zip", body: zipOf(t, entry{name: "b.txt", data: cpr})}), []string{"cpr:1"}},
		{"zip named txt", mixed(part{ctype: "application/octet-stream", name: "notes.txt", body: zipOf(t, entry{name: "b.csv", data: cpr})}), []string{"cpr:1"}},
		{"zip clean", mixed(part{ctype: "application/zip", name: "a.zip", body: zipOf(t, entry{name: "b.txt", data: []byte("hej")}, entry{name: "dir/"})}), nil},
		{"zip entry name", mixed(part{ctype: "application/zip", body: zipOf(t, entry{name: "sygdom.txt", data: []byte("hej")})}), []string{"term:health"}},
		{"zip unknown entry", mixed(part{ctype: "application/zip", body: zipOf(t, entry{name: "b.bin", data: []byte{0, 1, 2}})}), []string{"uninspectable:attachment"}},
		{"encrypted zip", mixed(part{ctype: "application/zip", name: "a.zip", body: zipOf(t, entry{name: "b.txt", data: []byte("xx"), encrypted: true})}), []string{"uninspectable:encrypted-zip"}},
		{"corrupt zip", mixed(part{ctype: "application/zip", name: "a.zip", body: []byte("PK\x03\x04 not really")}), []string{"uninspectable:zip"}},
		{"zip too deep", mixed(part{ctype: "application/zip", name: "a.zip", body: nested}), []string{"limit:depth"}},
		{"docx runs joined", mixed(part{ctype: "application/octet-stream", name: "brev.docx", body: docx(t, []string{"Nr. ", "0102", "85-1234"}, []string{"Hilsen"})}), []string{"cpr:1"}},
		{"docx without name", mixed(part{ctype: "application/octet-stream", body: docx(t, []string{"01", "02", "85", "-", "1234"})}), []string{"cpr:1"}},
		{"docx clean", mixed(part{ctype: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name: "a.docx", body: docx(t, []string{"Faktura 4711"}, []string{"Tak"})}), nil},
		{"docx paragraphs separate", mixed(part{ctype: "application/octet-stream", name: "a.docx", body: docx(t, []string{"syg"}, []string{"dom"})}), nil},
		{"docx hidden member", mixed(part{ctype: "application/octet-stream", name: "a.docx", body: zipOf(t,
			entry{name: "word/document.xml", data: []byte(`<w:document><w:body><w:p><w:r><w:t>Hej</w:t></w:r></w:p></w:body></w:document>`)},
			entry{name: "customXml/item1.xml", data: []byte(`<x><y>010285-1234</y></x>`)},
			entry{name: "word/secret.txt", data: []byte("sygdom")},
			entry{name: "word/vbaProject.bin", data: []byte{0, 1}},
			entry{name: "xl/printerSettings/printerSettings1.bin", data: []byte{0, 1}},
		)}), []string{"cpr:1", "term:health", "uninspectable:attachment"}},
		{"docx markup separates elements", mixed(part{ctype: "application/octet-stream", name: "a.docx", body: zipOf(t,
			entry{name: "word/document.xml", data: []byte(`<w:document/>`)},
			entry{name: "docProps/custom.xml", data: []byte(`<p><a>syg</a><b>dom</b></p>`)},
		)}), nil},
		{"eml in zip", mixed(part{ctype: "application/zip", body: zipOf(t, entry{name: "fwd.eml", data: []byte("Subject: hej\r\n\r\nCPR 010285-1234\r\n")})}), []string{"cpr:1", "term:cpr"}},
		{"xlsx shared string", mixed(part{ctype: "application/octet-stream", name: "a.xlsx", body: xlsx(t, "010285-1234", "x")}), []string{"cpr:1"}},
		{"xlsx inline string", mixed(part{ctype: "application/octet-stream", name: "a.xlsx", body: xlsx(t, "x", "sygemeldt")}), []string{"term:health"}},
		{"xlsx short number untouched", mixed(part{ctype: "application/octet-stream", name: "a.xlsx", body: xlsx(t, "x", "CPR")}), []string{"term:cpr"}},
		{"xlsx numeric cpr", mixed(part{ctype: "application/octet-stream", name: "a.xlsx", body: zipOf(t,
			entry{name: "xl/workbook.xml", data: []byte(`<workbook/>`)},
			entry{name: "xl/worksheets/sheet1.xml", data: []byte(`<worksheet><sheetData><row r="1">` +
				`<c r="A1" t="inlineStr"><is><t>CPR</t></is></c><c r="B1"><v>102851234</v></c></row></sheetData></worksheet>`)},
		)}), []string{"cpr:1", "term:cpr"}},
		{"pptx", mixed(part{ctype: "application/octet-stream", name: "a.pptx", body: pptx(t, "CPR 010285-1234")}), []string{"cpr:1", "term:cpr"}},
		{"odt spans joined", mixed(part{ctype: "application/vnd.oasis.opendocument.text", name: "a.odt", body: odt(t, `<text:p>01<text:span>0285</text:span>-1234</text:p>`)}), []string{"cpr:1"}},
		{"odt clean", mixed(part{ctype: "application/vnd.oasis.opendocument.text", name: "a.odt", body: odt(t, `<text:p>Hej</text:p>`)}), nil},
		{"rtf", mixed(part{ctype: "application/rtf", name: "a.rtf", body: []byte(`{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 01{\b 02}85\-1234\par}`)}), []string{"cpr:1"}},
		{"rtf hex and unicode", mixed(part{ctype: "application/octet-stream", name: "a.rtf", body: []byte(`{\rtf1\ansi\uc1 Hj\'e6rte\u115?ygdom\par}`)}), []string{"term:health"}},
		{"rtf skipped groups", mixed(part{ctype: "text/rtf", body: []byte(`{\rtf1{\*\generator 010285-1234;}{\colortbl;\red0;}{\pict 0102851234}Hej}`)}), nil},
		{"zip labelled text/html", mixed(part{ctype: "text/html", body: zipOf(t, entry{name: "b.txt", data: cpr})}), []string{"cpr:1"}},
		{"html attachment", mixed(part{ctype: "application/octet-stream", name: "a.html", body: []byte("<p>01<b>02</b>85-1234</p>")}), []string{"cpr:1"}},
		{"text/csv", mixed(part{ctype: "text/csv", name: "a.csv", body: cpr}), []string{"cpr:1"}},
		{"json", mixed(part{ctype: "application/json", body: []byte(`{"cpr":"010285-1234"}`)}), []string{"cpr:1", "term:cpr"}},
		{"vcard by name", mixed(part{ctype: "application/octet-stream", name: "a.vcf", body: cpr}), []string{"cpr:1"}},
		{"calendar folded", mixed(part{ctype: "text/calendar; method=REQUEST", body: []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Om hans syge\r\n melding\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")}), []string{"term:health"}},
		{"calendar by content", mixed(part{ctype: "application/octet-stream", name: "invite", body: []byte("BEGIN:VCALENDAR\r\nDESCRIPTION:Sag 0101\r\n 90-1234\\, tak\r\nEND:VCALENDAR\r\n")}), []string{"cpr:1"}},
		{"calendar inline attachment", mixed(part{ctype: "text/calendar", name: "a.ics", body: []byte("BEGIN:VCALENDAR\r\nATTACH;ENCODING=BASE64;VALUE=BINARY:JVBERi0x\r\nEND:VCALENDAR\r\n")}), []string{"uninspectable:attachment"}},
		{"docx malformed part", mixed(part{ctype: "application/octet-stream", name: "a.docx", body: zipOf(t,
			entry{name: "word/document.xml", data: []byte(`<w:document><w:body><w:p><w:r><w:t>Hej`)},
		)}), []string{"uninspectable:office"}},
		{"docx encrypted member", mixed(part{ctype: "application/octet-stream", name: "a.docx", body: zipOf(t,
			entry{name: "word/document.xml", data: []byte(`<w:document/>`)},
			entry{name: "word/footer1.xml", data: []byte(`<w:ftr/>`), encrypted: true},
		)}), []string{"uninspectable:encrypted-zip"}},
		{"odt as LibreOffice writes it", mixed(part{ctype: "application/vnd.oasis.opendocument.text", name: "a.odt", body: zipOf(t,
			entry{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text")},
			entry{name: "Configurations2/toolbar/"}, entry{name: "manifest.rdf", data: []byte(`<rdf:RDF/>`)},
			entry{name: "meta.xml", data: []byte(`<office:document-meta/>`)}, entry{name: "settings.xml", data: []byte(`<x>0101901234</x>`)},
			entry{name: "content.xml", data: []byte(`<office:document-content><office:body><office:text><text:p>Hej</text:p></office:text></office:body></office:document-content>`)},
			entry{name: "Thumbnails/thumbnail.png", data: []byte("\x89PNG\r\n\x1a\n")}, entry{name: "META-INF/manifest.xml", data: []byte(`<manifest/>`)},
		)}), nil},
		{"odt with a file the format does not explain", mixed(part{ctype: "application/vnd.oasis.opendocument.text", name: "a.odt", body: zipOf(t,
			entry{name: "content.xml", data: []byte(`<office:document-content/>`)}, entry{name: "payload.bin", data: []byte{0, 1, 2}},
		)}), []string{"uninspectable:attachment"}},
		{"pdf text", mixed(part{ctype: "application/pdf", name: "a.pdf", body: simplePDF("BT (010285-1234) Tj ET", "")}), []string{"cpr:1"}},
		{"pdf encrypted", mixed(part{ctype: "application/octet-stream", name: "a.pdf", body: simplePDF("BT (x) Tj ET", "/Encrypt 2 0 R ")}), []string{"uninspectable:encrypted-pdf"}},
		{"pdf no text", mixed(part{ctype: "application/pdf", body: simplePDF("0 0 m 1 1 l S", "")}), []string{"uninspectable:pdf-no-text"}},
		{"tnef", mixed(part{ctype: "application/ms-tnef", name: "winmail.dat", body: []byte("\x78\x9f\x3e\x22\x00")}), []string{"uninspectable:tnef"}},
		{"winmail.dat by name", mixed(part{ctype: "application/octet-stream", name: "winmail.dat", body: []byte("zz")}), []string{"uninspectable:tnef"}},
		{"ole", mixed(part{ctype: "application/octet-stream", name: "a.doc", body: []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")}), []string{"uninspectable:ole"}},
		{"unknown binary", mixed(part{ctype: "application/octet-stream", name: "a.bin", body: []byte{0, 1, 2, 3}}), []string{"uninspectable:attachment"}},
		{"image attached", mixed(part{ctype: "image/png", name: "scan.png", body: []byte("\x89PNG\r\n\x1a\n")}), []string{"uninspectable:image"}},
		{"image as octet-stream", mixed(part{ctype: "application/octet-stream", name: "scan", body: []byte("\xff\xd8\xff\xe0")}), []string{"uninspectable:image"}},
		{"inline image with cid", mixed(part{ctype: "image/png", header: "Content-Disposition: inline\r\nContent-ID: <logo@x>\r\n", body: []byte("\x89PNG\r\n\x1a\n")}), nil},
		{"related image", "Subject: x\r\nContent-Type: multipart/related; boundary=R\r\n\r\n--R\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:a\">\r\n--R\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n--R--\r\n", nil},
		{"uuencoded text", "Subject: x\r\n\r\nSe vedhaeftet:\r\n" + strings.ReplaceAll(uuencode("kunder.txt", cpr), "\n", "\r\n") + "Hilsen\r\n", []string{"cpr:1"}},
		{"uuencoded zip", "Subject: x\r\n\r\n" + uuencode("a.zip", zipOf(t, entry{name: "b.txt", data: cpr})) + "bye\n", []string{"cpr:1"}},
		{"uuencoded binary", "Subject: x\r\n\r\n" + uuencode("a.exe", []byte{0, 1, 2}) + "bye\n", []string{"uninspectable:attachment"}},
		{"uuencode without end", "Subject: x\r\n\r\nbegin 644 a.txt\r\n#86)C\r\n", []string{"uninspectable:uuencode"}},
		{"smime enveloped", "Subject: x\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n", nil},
		{"smime signed only is an attachment", "Subject: x\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n", []string{"uninspectable:attachment"}},
		{"pgp/mime with a body that is not", "Subject: x\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=E\r\n\r\n--E\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--E\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--E--\r\n", []string{"uninspectable:encrypted-label"}},
		{"nested encrypted part", mixed(part{ctype: "application/pkcs7-mime; smime-type=enveloped-data", body: []byte{0x30, 0x80}}), []string{"uninspectable:encrypted-mime"}},
	}
	c := newTest(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.Scan(context.Background(), strings.NewReader(tc.msg))
			if diff := cmp.Diff(tc.want, res.Reasons()); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

// encryptedFixture reads a real encrypted message from testdata/encrypted
// (made with openssl cms -encrypt and gpg --armor --encrypt; the text
// inside holds a CPR number and a health term).
func encryptedFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "encrypted", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestContentEncrypted(t *testing.T) {
	c := newTest(t)
	for _, name := range []string{"smime.eml", "pgp-mime.eml"} {
		res := c.Scan(context.Background(), strings.NewReader(encryptedFixture(t, name)))
		if !res.ContentEncrypted || !res.Clean() {
			t.Errorf("%s: ContentEncrypted %v, reasons %v; want true, none", name, res.ContentEncrypted, res.Reasons())
		}
	}
	res := c.Scan(context.Background(), strings.NewReader(mixed(part{ctype: "application/zip", body: zipOf(t, entry{name: "a.txt", data: []byte("x")})})))
	if res.ContentEncrypted {
		t.Error("plain message: ContentEncrypted set")
	}
}

// TestEncryptedLabel checks that a label saying "encrypted" is not enough:
// each case changes one thing in a real encrypted message.
func TestEncryptedLabel(t *testing.T) {
	smime := encryptedFixture(t, "smime.eml")
	pgp := encryptedFixture(t, "pgp-mime.eml")
	head, _, _ := strings.Cut(smime, "\r\n\r\n")
	smimeHead := strings.Replace(head, "Content-Transfer-Encoding: base64\r\n", "", 1)
	literal := base64.StdEncoding.EncodeToString([]byte("\xcb\x0cb\x00\x00\x00\x00\x00Sygemeldt"))
	armored := regexp.MustCompile(`(?s)-----BEGIN PGP MESSAGE-----.*-----END PGP MESSAGE-----`)
	with := func(armor string) string {
		return armored.ReplaceAllLiteralString(pgp, armor)
	}
	for _, tc := range []struct{ name, msg string }{
		{"smime label on text", smimeHead + "\r\n\r\nPatienten er sygemeldt.\r\n"},
		{"smime label on base64 text", head + "\r\n\r\n" + base64Lines([]byte("Patienten er sygemeldt.")) + "\r\n"},
		{"smime with text after the base64", smime + "Patienten er sygemeldt.\r\n"},
		{"pgp control part with text", strings.Replace(pgp, "Version: 1\r\n", "Version: 1\r\nPatienten er sygemeldt.\r\n", 1)},
		{"pgp armor around text", with("-----BEGIN PGP MESSAGE-----\r\n\r\nPatienten er sygemeldt.\r\n-----END PGP MESSAGE-----")},
		{"pgp armor around a literal packet", with("-----BEGIN PGP MESSAGE-----\r\n\r\n" + literal + "\r\n-----END PGP MESSAGE-----")},
		{"pgp armor without its end", strings.Replace(pgp, "-----END PGP MESSAGE-----", "", 1)},
		{"pgp text after the armor", strings.Replace(pgp, "-----END PGP MESSAGE-----\r\n", "-----END PGP MESSAGE-----\r\nPatienten er sygemeldt.\r\n", 1)},
		{"pgp third part", strings.Replace(pgp, "\r\n--=-pgp-1--", "\r\n--=-pgp-1\r\nContent-Type: text/plain\r\n\r\nPatienten er sygemeldt.\r\n--=-pgp-1--", 1)},
	} {
		res := newTest(t).Scan(context.Background(), strings.NewReader(tc.msg))
		if res.ContentEncrypted || res.Uninspectable[UninspectableEncryptedLabel] == 0 {
			t.Errorf("%s: ContentEncrypted %v, reasons %v; want uninspectable:encrypted-label", tc.name, res.ContentEncrypted, res.Reasons())
		}
	}
	// A reader may see an armor header: it is scanned as text.
	res := newTest(t).Scan(context.Background(), strings.NewReader(
		strings.Replace(pgp, "-----BEGIN PGP MESSAGE-----\r\n", "-----BEGIN PGP MESSAGE-----\r\nComment: patienten er sygemeldt\r\n", 1)))
	if !res.ContentEncrypted || res.Terms["health"] == 0 {
		t.Errorf("armor comment: ContentEncrypted %v, reasons %v; want true and term:health", res.ContentEncrypted, res.Reasons())
	}
}

func TestIgnoreImages(t *testing.T) {
	c, err := New(Options{Terms: testTerms, IgnoreImages: true})
	if err != nil {
		t.Fatal(err)
	}
	msg := mixed(part{ctype: "image/jpeg", name: "scan.jpg", body: []byte("\xff\xd8\xff\xe0")})
	if got := c.Scan(context.Background(), strings.NewReader(msg)).Reasons(); got != nil {
		t.Errorf("IgnoreImages: reasons %v, want none", got)
	}
}

// bombEntry is a zip member of n zero bytes, compressed here without
// holding them in memory. With lie, the header claims a small size.
func bombZip(t testing.TB, n int64, lie bool) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	zero := make([]byte, 1<<20)
	for left := n; left > 0; left -= int64(len(zero)) {
		fw.Write(zero[:min(left, int64(len(zero)))])
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "zeros.txt", Method: zip.Deflate,
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(n)}
	if lie {
		h.UncompressedSize64 = 1000
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestZipBomb(t *testing.T) {
	big := bombZip(t, 300<<20, false)
	ratio := bombZip(t, 50<<20, false)
	lying := bombZip(t, 100<<20, true)
	// Entries each under the ratio floor, together over the size limit.
	many := make([]entry, 0, 200)
	for i := 0; i < 200; i++ {
		many = append(many, entry{name: fmt.Sprintf("f%d.txt", i), data: bytes.Repeat([]byte{'a'}, 1<<20)})
	}
	tests := []struct {
		name string
		body []byte
		want []string
	}{
		{"declared 300 MiB", big, []string{"limit:zip-size"}},
		{"declared ratio", ratio, []string{"limit:zip-ratio"}},
		{"size header lies", lying, []string{"uninspectable:zip"}},
		{"many MiB entries", zipOf(t, many...), []string{"limit:zip-size"}},
	}
	c := newTest(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := mixed(part{ctype: "application/zip", name: "bomb.zip", body: tc.body})
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res := c.Scan(context.Background(), strings.NewReader(msg))
			runtime.ReadMemStats(&after)
			if diff := cmp.Diff(tc.want, res.Reasons()); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<20 {
				t.Errorf("heap grew %d MiB", grew>>20)
			}
			if total := after.TotalAlloc - before.TotalAlloc; total > 256<<20 {
				t.Errorf("allocated %d MiB in all", total>>20)
			}
		})
	}
}

func TestSpool(t *testing.T) {
	// Past memSpool the part goes to a temporary file and is still read.
	// Pseudo-random letters: they compress too little to trip the ratio.
	pad := make([]byte, memSpool+1<<20)
	x := uint32(1)
	for i := range pad {
		x = x*1664525 + 1013904223
		pad[i] = 'a' + byte(x>>24)%26
	}
	body := zipOf(t, entry{name: "a.txt", data: pad}, entry{name: "b.txt", data: []byte("010285-1234")})
	stored := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range []entry{{name: "pad.bin.txt", data: pad}, {name: "b.txt", data: []byte("010285-1234")}} {
			f, _ := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
			f.Write(e.data)
		}
		zw.Close()
		return buf.Bytes()
	}()
	if len(stored) <= memSpool {
		t.Fatalf("stored zip is %d bytes, want more than %d", len(stored), memSpool)
	}
	c := newTest(t)
	for name, b := range map[string][]byte{"deflated": body, "stored": stored} {
		res := c.Scan(context.Background(), strings.NewReader(mixed(part{ctype: "application/zip", body: b})))
		if diff := cmp.Diff([]string{"cpr:1"}, res.Reasons()); diff != "" {
			t.Errorf("%s: reasons (-want +got):\n%s", name, diff)
		}
	}
	if testing.Short() {
		return
	}
	huge := io.MultiReader(strings.NewReader("PK\x03\x04"), io.LimitReader(zeroReader{}, maxSpool))
	w := &walker{c: c, ctx: context.Background(), res: &Result{}}
	w.text = newTextScanner(c.m, w.res)
	w.inspect(huge, "a.zip", "", 1, false)
	if diff := cmp.Diff([]string{"limit:attachment-size"}, w.res.Reasons()); diff != "" {
		t.Errorf("part over maxSpool: reasons (-want +got):\n%s", diff)
	}
}

func TestZipTimeout(t *testing.T) {
	c, err := New(Options{Terms: testTerms, Timeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	msg := mixed(part{ctype: "application/zip", body: zipOf(t, entry{name: "a.txt", data: bytes.Repeat([]byte("ab "), 1<<20)})})
	if got := c.Scan(context.Background(), strings.NewReader(msg)).Reasons(); !contains(got, "limit:timeout") {
		t.Errorf("reasons %v, want limit:timeout", got)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// FuzzInspect feeds arbitrary bytes to the extraction layer under each kind
// of name: it must never panic (error:internal) nor hang.
func FuzzInspect(f *testing.F) {
	f.Add([]byte(`{\rtf1{\*\x 1}\'e6\u8212?x\bin3 abc}`), ".rtf")
	f.Add(zipOf(f, entry{name: "a.txt", data: []byte("x")}), ".zip")
	f.Add(docx(f, []string{"a", "b"}), ".docx")
	f.Add([]byte(uuencode("a.txt", []byte("hello"))), ".txt")
	f.Add([]byte("<a><t>x</t></a>"), ".xml")
	f.Add(zipOf(f, entry{name: "xl/workbook.xml", data: []byte(`<workbook><workbookPr date1904="1"/><sheets><sheet name="s"/></sheets></workbook>`)},
		entry{name: "xl/styles.xml", data: []byte(`<styleSheet><numFmts><numFmt numFmtId="164" formatCode="000000\-0000"/></numFmts><cellXfs><xf numFmtId="164"/></cellXfs></styleSheet>`)},
		entry{name: "xl/worksheets/sheet1.xml", data: []byte(`<worksheet><sheetData><row><c s="0"><v>101901234</v></c></row></sheetData></worksheet>`)}), ".xlsx")
	f.Add(odt(f, `<text:p>01<text:s text:c="2"/>02<text:soft-page-break/>90</text:p>`), ".odt")
	f.Add([]byte("BEGIN:VCALENDAR\r\nDESCRIPTION:0101\r\n 90-1234\\, x\r\nEND:VCALENDAR\r\n"), ".ics")
	c, err := New(Options{Terms: testTerms, MaxDepth: 5})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, ext string) {
		w := &walker{c: c, ctx: context.Background(), res: &Result{}}
		w.text = newTextScanner(c.m, w.res)
		w.inspect(bytes.NewReader(data), "f"+ext, "", 1, false)
		if w.res.Uninspectable[ErrorInternal] > 0 {
			t.Errorf("panic in extraction of %q", data)
		}
	})
}
