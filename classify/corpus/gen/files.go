package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"time"
)

// zipEntry is one file of a generated archive.
type zipEntry struct {
	name string
	data []byte
}

// fixedTime keeps archives byte-for-byte reproducible.
var fixedTime = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

func makeZip(entries ...zipEntry) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		method := zip.Deflate
		if e.name == "mimetype" {
			method = zip.Store // ODF: first entry, stored (ODF 1.2 part 3 §3.3)
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: method, Modified: fixedTime})
		must(err)
		_, err = f.Write(e.data)
		must(err)
	}
	must(w.Close())
	return b.Bytes()
}

// makeEncryptedZip writes entries with traditional PKWARE encryption
// (APPNOTE 6.1): flag bit 0 set, a 12-byte encryption header, stored data.
func makeEncryptedZip(r *rand.Rand, password string, entries ...zipEntry) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		crc := crc32.ChecksumIEEE(e.data)
		k := newZipCrypto(password)
		hdr := make([]byte, 12)
		for i := range hdr {
			hdr[i] = byte(r.IntN(256))
		}
		hdr[11] = byte(crc >> 24)
		enc := k.encrypt(append(hdr, e.data...))
		fh := &zip.FileHeader{
			Name: e.name, Method: zip.Store, Modified: fixedTime, Flags: 0x1,
			CRC32: crc, CompressedSize64: uint64(len(enc)), UncompressedSize64: uint64(len(e.data)),
		}
		f, err := w.CreateRaw(fh)
		must(err)
		_, err = f.Write(enc)
		must(err)
	}
	must(w.Close())
	return b.Bytes()
}

type zipCrypto struct{ k0, k1, k2 uint32 }

func newZipCrypto(pw string) *zipCrypto {
	z := &zipCrypto{0x12345678, 0x23456789, 0x34567890}
	for i := 0; i < len(pw); i++ {
		z.update(pw[i])
	}
	return z
}

func (z *zipCrypto) update(c byte) {
	z.k0 = crc32.IEEETable[byte(z.k0)^c] ^ (z.k0 >> 8)
	z.k1 = (z.k1+(z.k0&0xff))*134775813 + 1
	z.k2 = crc32.IEEETable[byte(z.k2)^byte(z.k1>>24)] ^ (z.k2 >> 8)
}

func (z *zipCrypto) encrypt(p []byte) []byte {
	out := make([]byte, len(p))
	for i, c := range p {
		t := uint16(z.k2 | 2)
		out[i] = c ^ byte((t*(t^1))>>8)
		z.update(c)
	}
	return out
}

// makeZipBomb deflates n bytes of one repeated character: a ratio near
// 1000:1.
func makeZipBomb(n int) []byte {
	return makeZip(zipEntry{"data.txt", bytes.Repeat([]byte{' '}, n)})
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// makeDOCX writes a WordprocessingML document whose paragraph is split
// into the given runs, as Word does after an edit or a spelling check.
func makeDOCX(runs []string) []byte {
	var body strings.Builder
	for i, r := range runs {
		if i%2 == 1 {
			fmt.Fprintf(&body, `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, xmlEscape(r))
		} else {
			fmt.Fprintf(&body, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, xmlEscape(r))
		}
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>` +
		body.String() + `</w:p><w:p><w:r><w:t>Med venlig hilsen</w:t></w:r></w:p></w:body></w:document>`
	return makeZip(
		zipEntry{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		zipEntry{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		zipEntry{"word/document.xml", []byte(doc)},
	)
}

// makeXLSX writes a one-sheet workbook whose cells are shared strings.
func makeXLSX(cells []string) []byte {
	var ss, row strings.Builder
	for i, c := range cells {
		fmt.Fprintf(&ss, `<si><t xml:space="preserve">%s</t></si>`, xmlEscape(c))
		fmt.Fprintf(&row, `<c r="%c1" t="s"><v>%d</v></c>`, 'A'+i, i)
	}
	return makeZip(
		zipEntry{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)},
		zipEntry{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		zipEntry{"xl/workbook.xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		zipEntry{"xl/_rels/workbook.xml.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
		zipEntry{"xl/sharedStrings.xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + ss.String() + `</sst>`)},
		zipEntry{"xl/worksheets/sheet1.xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">` + row.String() + `</row></sheetData></worksheet>`)},
	)
}

// makeODT writes an OpenDocument text whose paragraph is split into spans.
func makeODT(spans []string) []byte {
	var p strings.Builder
	for i, s := range spans {
		if i%2 == 1 {
			fmt.Fprintf(&p, `<text:span text:style-name="T1">%s</text:span>`, xmlEscape(s))
		} else {
			p.WriteString(xmlEscape(s))
		}
	}
	return makeZip(
		zipEntry{"mimetype", []byte("application/vnd.oasis.opendocument.text")},
		zipEntry{"META-INF/manifest.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`)},
		zipEntry{"content.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>` + p.String() + `</text:p></office:text></office:body></office:document-content>`)},
	)
}

// pdfString escapes s for a PDF literal string.
func pdfString(s string) string {
	return "(" + strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s) + ")"
}

// makePDF writes a one-page PDF whose FlateDecode content stream shows
// text with Tj (one string per element of parts) or, when tj is set, one
// TJ array with kerning between the parts. encrypt adds an /Encrypt
// dictionary (RC4, standard security handler) and scrambles the stream.
func makePDF(parts []string, tj bool, encrypt bool, r *rand.Rand) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td ")
	if tj {
		content.WriteString("[")
		for i, p := range parts {
			if i > 0 {
				fmt.Fprintf(&content, " -%d ", 10+i)
			}
			content.WriteString(pdfString(p))
		}
		content.WriteString("] TJ")
	} else {
		for _, p := range parts {
			content.WriteString(pdfString(p) + " Tj ")
		}
	}
	content.WriteString(" ET\n")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(content.String()))
	must(zw.Close())
	stream := z.Bytes()
	if encrypt {
		for i := range stream {
			stream[i] ^= byte(r.IntN(256))
		}
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	if encrypt {
		objs = append(objs, "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1068 /O <"+
			strings.Repeat("5a", 32)+"> /U <"+strings.Repeat("c3", 32)+"> >>")
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	trailer := fmt.Sprintf("<< /Size %d /Root 1 0 R", len(objs)+1)
	if encrypt {
		trailer += fmt.Sprintf(" /Encrypt %d 0 R /ID [<%032x> <%032x>]", len(objs), r.Uint64(), r.Uint64())
	}
	fmt.Fprintf(&b, "trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xref)
	return b.Bytes()
}

// makePNG draws a small grey "scan".
func makePNG(r *rand.Rand) []byte {
	img := image.NewGray(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = byte(200 + r.IntN(56))
	}
	img.Set(3, 3, color.Gray{})
	var b bytes.Buffer
	must(png.Encode(&b, img))
	return b.Bytes()
}

// uuencode encodes data as uuencode(1) does, with a begin and end line.
func uuencode(name string, data []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "begin 644 %s\n", name)
	enc := func(v byte) byte {
		if v == 0 {
			return '`'
		}
		return v + 32
	}
	for len(data) > 0 {
		n := min(45, len(data))
		line := data[:n]
		data = data[n:]
		b.WriteByte(enc(byte(n)))
		for i := 0; i < n; i += 3 {
			var c [3]byte
			copy(c[:], line[i:min(i+3, n)])
			b.WriteByte(enc(c[0] >> 2))
			b.WriteByte(enc((c[0]<<4 | c[1]>>4) & 63))
			b.WriteByte(enc((c[1]<<2 | c[2]>>6) & 63))
			b.WriteByte(enc(c[2] & 63))
		}
		b.WriteByte('\n')
	}
	b.WriteString("`\nend\n")
	return b.String()
}

// b64 encodes data in 76-character lines (RFC 2045 §6.8).
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	b.WriteString(s + "\n")
	return b.String()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
