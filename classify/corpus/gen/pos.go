package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"mime"
	"strings"
	"unicode/utf16"
)

// variants per technique.
const variants = 5

// technique builds variant i of a positive; it returns the message and the
// reason prefix it must produce.
type technique struct {
	name  string
	build func(r *rand.Rand, i int, c cprNumber) (msg, expect string)
}

var intros = []string{"Hej,\n\nHer er oplysningerne til sagen:\n", "Hi,\n\nas requested, the details:\n",
	"Kære kollega\n\nVedr. medarbejderen:\n", "Hello team,\n\nfor the onboarding form:\n", "Hej igen\n\nSom aftalt:\n"}

const sig = "\n\nMed venlig hilsen\nMette\n"

// danishTerms and englishTerms are hits with their category.
var danishTerms = [][2]string{{"helbredsoplysninger", "health"}, {"sygemelding", "health"},
	{"fagforeningskontingent", "union"}, {"lønsedlen", "income"}, {"straffeattesten", "criminal"},
	{"gældsinddrivelse", "debt"}, {"kontanthjælpsmodtager", "social"}, {"personalesagen", "employment"}}
var englishTerms = [][2]string{{"sick leave", "health"}, {"trade union membership", "union"},
	{"criminal record", "criminal"}, {"payslip", "income"}, {"mental health", "health"},
	{"debt collection", "debt"}, {"disciplinary hearing", "employment"}, {"religious beliefs", "religion"}}

func cprText(r *rand.Rand, i int, num string) string {
	return intros[i%len(intros)] + "Navn: Jens Hansen\nCPR: " + num + "\nAdresse: Vestergade 12, 8000 Aarhus C" + sig
}

var techniques = []technique{
	{"plain", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return single(head(r, i, "Oplysninger"), textPart(cprText(r, i, c.format(i)))), "cpr"
	}},
	{"subject", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		subj := "Vedr. " + c.format(i)
		if i%2 == 1 {
			subj = mime.QEncoding.Encode("utf-8", "Ansøgning – "+c.format(i))
		}
		return single(head(r, i, subj), textPart("Se emnefeltet."+sig)), "cpr"
	}},
	{"header", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		names := []string{"X-Employee-ID", "Comments", "Keywords", "X-Reference", "Organization"}
		v := c.format(i)
		if i%2 == 0 {
			v = mime.BEncoding.Encode("utf-8", "medarbejder "+v)
		}
		return single(head(r, i, "Ny medarbejder", names[i]+": "+v), textPart("Se vedhæftede oplysninger i systemet."+sig)), "cpr"
	}},
	{"filename", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		name := "lønseddel_" + c.format(i%2) + ".txt"
		var ph string
		if i%2 == 0 {
			ph = "Content-Type: text/plain; name*=utf-8''" + strings.ReplaceAll(strings.ReplaceAll(name, " ", "%20"), "ø", "%C3%B8") +
				"\nContent-Disposition: attachment; filename*=utf-8''" + strings.ReplaceAll(strings.ReplaceAll(name, " ", "%20"), "ø", "%C3%B8")
		} else {
			enc := mime.BEncoding.Encode("utf-8", name)
			ph = "Content-Type: text/plain; name=\"" + enc + "\"\nContent-Disposition: attachment; filename=\"" + enc + "\""
		}
		// The file itself is harmless; the name is not. "lønseddel" is
		// not counted: the test looks for a CPR number.
		return multi(head(r, i, "Dokument"), "mixed", i, textPart("Vedhæftet."+sig), part{ph, "Intet indhold.\n"}), "cpr"
	}},
	{"base64", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return single(head(r, i, "Oplysninger"), part{"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64",
			b64([]byte(cprText(r, i, c.format(i))))}), "cpr"
	}},
	{"qp-softbreak", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.format(i)
		cut := 2 + i
		s = s[:cut] + "=\n" + s[cut:]
		return single(head(r, i, "Oplysninger"), part{"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable",
			"Hej,\n\nmedarbejderens nummer er " + s + " som aftalt.\n\nVenlig hilsen=0AMette\n"}), "cpr"
	}},
	{"iso-8859-1", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		t := "Kære Søren\n\nVedrørende " + []string{"sygemeldingen", "helbredsoplysningerne", "fagforeningskontingentet", "lønsedlen", "gælden"}[i] + " for medarbejderen på kontoret i Århus." + sig
		exp := []string{"term:health", "term:health", "term:union", "term:income", "term:debt"}[i]
		return single(head(r, i, "Sag"), part{"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit", latin1(t)}), exp
	}},
	{"windows-1252", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.String()
		// An en dash (0x96 in Windows-1252) as separator, “quotes” round it.
		t := "Hej\n\nNummeret er \u201c" + s[:6] + "\u2013" + s[6:] + "\u201d \u2013 pris 100 \u20ac." + sig
		return single(head(r, i, "Oplysninger"), part{"Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit", cp1252(t)}), "cpr"
	}},
	{"utf-16", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		cs := []string{"utf-16", "utf-16", "utf-16le", "utf-16be", "utf-16"}[i]
		data := utf16Bytes(cprText(r, i, c.format(i)), cs != "utf-16le" && i != 1, cs == "utf-16le" || i == 1, cs == "utf-16")
		return single(head(r, i, "Oplysninger"), part{"Content-Type: text/plain; charset=" + cs + "\nContent-Transfer-Encoding: base64", b64(data)}), "cpr"
	}},
	{"html-entities", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		var b strings.Builder
		for k, ch := range c.format(i % 2) {
			switch (k + i) % 3 {
			case 0:
				fmt.Fprintf(&b, "&#%d;", ch)
			case 1:
				fmt.Fprintf(&b, "&#x%X;", ch)
			default:
				b.WriteRune(ch)
			}
		}
		return single(head(r, i, "Oplysninger"), htmlPart("<p>Nummer: "+b.String()+"</p>")), "cpr"
	}},
	{"html-tags", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.String()
		tags := []string{"<b>%s</b>", "<span style=\"color:#000\">%s</span>", "<i></i>%s<!-- x -->", "<font size=2>%s</font>", "<u>%s</u><wbr>"}
		var b strings.Builder
		for k := 0; k < 10; k += 2 {
			fmt.Fprintf(&b, tags[(i+k)%len(tags)], s[k:k+2])
			if k == 4 {
				b.WriteString("-")
			}
		}
		return single(head(r, i, "Oplysninger"), htmlPart("<p>CPR "+b.String()+"</p>")), "cpr"
	}},
	{"fullwidth-digits", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		var b strings.Builder
		for _, ch := range c.format(i % 2) {
			switch {
			case ch >= '0' && ch <= '9' && (i == 4) && ch%2 == 0:
				b.WriteRune('\u0660' + ch - '0') // Arabic-Indic digits
			case ch >= '0' && ch <= '9':
				b.WriteRune('\uff10' + ch - '0')
			case ch == '-':
				b.WriteRune('\uff0d')
			default:
				b.WriteRune(ch)
			}
		}
		return single(head(r, i, "Oplysninger"), textPart(cprText(r, i, b.String()))), "cpr"
	}},
	{"zero-width", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		zw := []string{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
		var b strings.Builder
		for k, ch := range c.format(i % 2) {
			b.WriteRune(ch)
			if k%2 == i%2 {
				b.WriteString(zw[(k+i)%len(zw)])
			}
		}
		return single(head(r, i, "Oplysninger"), textPart(cprText(r, i, b.String()))), "cpr"
	}},
	{"dots", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.String()
		f := []string{s[:2] + "." + s[2:4] + "." + s[4:6] + "." + s[6:], s[:6] + "." + s[6:], s[:2] + "." + s[2:4] + "." + s[4:6] + "-" + s[6:],
			s[:2] + ". " + s[2:4] + ". " + s[4:6] + " - " + s[6:], s[:2] + "/" + s[2:4] + "/" + s[4:6] + "." + s[6:]}[i]
		return single(head(r, i, "Oplysninger"), textPart(cprText(r, i, f))), "cpr"
	}},
	{"linebreak", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.String()
		f := []string{s[:6] + "-\n" + s[6:], s[:6] + "\n" + s[6:], s[:2] + " " + s[2:4] + " " + s[4:6] + "  -  " + s[6:],
			s[:6] + "\t-\t" + s[6:], s[:4] + "\n  " + s[4:6] + "-" + s[6:]}[i]
		return single(head(r, i, "Oplysninger"), textPart(cprText(r, i, f))), "cpr"
	}},
	{"docx-split-runs", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.format(i % 2)
		runs := []string{"Medarbejder: Jens Hansen, CPR ", s[:2], s[2:5], s[5:8], s[8:], " (fortroligt)."}
		return withAttachment(r, i, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fmt.Sprintf("kontrakt-%d.docx", i), makeDOCX(runs)), "cpr"
	}},
	{"xlsx", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("liste-%d.xlsx", i),
			makeXLSX([]string{"Jens Hansen", c.format(i), "Vestergade 12"})), "cpr"
	}},
	{"odt", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.format(i % 2)
		return withAttachment(r, i, "application/vnd.oasis.opendocument.text", fmt.Sprintf("notat-%d.odt", i),
			makeODT([]string{"CPR ", s[:4], s[4:], " Jens Hansen"})), "cpr"
	}},
	{"rtf", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.format(i % 2)
		var body string
		if i%2 == 0 {
			body = `{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}\f0\fs22 Medarbejder {\b ` + s[:3] + `}` + s[3:7] + `{\i ` + s[7:] + `}\par}`
		} else {
			var hex strings.Builder
			for _, ch := range s {
				fmt.Fprintf(&hex, `\'%02x`, ch)
			}
			body = `{\rtf1\ansi\ansicpg1252 CPR: ` + hex.String() + `\par V\'e6rdier\par}`
		}
		return withAttachment(r, i, "application/rtf", fmt.Sprintf("brev-%d.rtf", i), []byte(body)), "cpr"
	}},
	{"pdf", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		s := c.format(i % 2)
		return withAttachment(r, i, "application/pdf", fmt.Sprintf("skema-%d.pdf", i),
			makePDF([]string{"CPR: ", s[:4], s[4:]}, i%2 == 1, false, r)), "cpr"
	}},
	{"zip", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "application/zip", fmt.Sprintf("bilag-%d.zip", i),
			makeZip(zipEntry{"readme.txt", []byte("Bilag")}, zipEntry{"data/person.txt", []byte(cprText(r, i, c.format(i)))})), "cpr"
	}},
	{"nested-zip", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		inner := makeZip(zipEntry{"person.txt", []byte(cprText(r, i, c.format(i)))})
		for k := 0; k < i%3; k++ {
			inner = makeZip(zipEntry{fmt.Sprintf("lag%d.zip", k), inner})
		}
		return withAttachment(r, i, "application/zip", fmt.Sprintf("arkiv-%d.zip", i), makeZip(zipEntry{"indre.zip", inner})), "cpr"
	}},
	{"rfc822", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		inner := single(head(r, i+100, "Oprindelig besked"), textPart(cprText(r, i, c.format(i))))
		for k := 0; k < i%3; k++ {
			inner = multi(head(r, i+200+k, "Fwd: besked"), "mixed", 300+k, textPart("Videresendt."), part{"Content-Type: message/rfc822", inner})
		}
		return multi(head(r, i, "Fwd: Oprindelig besked"), "mixed", i, textPart("Se vedhæftede."+sig), part{"Content-Type: message/rfc822\nContent-Disposition: attachment", inner}), "cpr"
	}},
	{"uuencode", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return single(head(r, i, "Fil"), textPart("Filen følger her:\n\n"+uuencode(fmt.Sprintf("person%d.txt", i), []byte(cprText(r, i, c.format(i)))))), "cpr"
	}},
	{"csv", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		data := "navn;cpr;afdeling\nJens Hansen;" + c.format(i%2) + ";Salg\n"
		return withAttachment(r, i, "text/csv", fmt.Sprintf("export-%d.csv", i), []byte(data)), "cpr"
	}},
	{"json", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		data := fmt.Sprintf("{\"name\": \"Jens Hansen\", \"cpr\": \"%s\", \"dept\": \"Sales\"}\n", c.format(i%2))
		return withAttachment(r, i, "application/json", fmt.Sprintf("person-%d.json", i), []byte(data)), "cpr"
	}},
	{"ics", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		data := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//corpus//DA\nBEGIN:VEVENT\nUID:" + fmt.Sprint(i) + "@corpus.example\nDTSTART:20261202T100000Z\nDTEND:20261202T110000Z\nSUMMARY:Samtale\nDESCRIPTION:Medarbejder " + c.format(i%2) + "\nEND:VEVENT\nEND:VCALENDAR\n"
		return withAttachment(r, i, "text/calendar", "invite.ics", []byte(data)), "cpr"
	}},
	{"term-danish", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		t := danishTerms[(i*3)%len(danishTerms)]
		return single(head(r, i, "Opfølgning"), textPart(intros[i]+"Jeg vedhæfter "+t[0]+" for Jens til gennemsyn."+sig)), "term:" + t[1]
	}},
	{"term-english", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		t := englishTerms[(i*3)%len(englishTerms)]
		return single(head(r, i, "Follow-up"), textPart("Hi,\n\nregarding John's "+t[0]+", please see the notes below.\n\nBest regards\nPeter\n")), "term:" + t[1]
	}},
	{"encrypted-zip", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "application/zip", fmt.Sprintf("fortroligt-%d.zip", i),
			makeEncryptedZip(r, "hemmelig", zipEntry{"person.txt", []byte(cprText(r, i, c.format(i)))})), "uninspectable:encrypted-zip"
	}},
	{"encrypted-pdf", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "application/pdf", fmt.Sprintf("kontrakt-%d.pdf", i),
			makePDF([]string{"CPR: ", c.format(i)}, i%2 == 1, true, r)), "uninspectable:encrypted-pdf"
	}},
	{"image", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "image/png", fmt.Sprintf("scan%04d.png", i), makePNG(r)), "uninspectable:image"
	}},
	{"binary", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		data := make([]byte, 512+r.IntN(512))
		for k := range data {
			data[k] = byte(r.IntN(256))
		}
		ct := []string{"application/octet-stream", "application/x-msdownload", "application/x-dosexec", "application/x-7z-compressed", "application/octet-stream"}[i]
		return withAttachment(r, i, ct, fmt.Sprintf("data-%d.bin", i), data), "uninspectable:attachment"
	}},
	{"tnef", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, uint32(0x223E9F78))
		binary.Write(&b, binary.LittleEndian, uint16(r.IntN(65536)))
		b.WriteString("\x01\x06\x90\x08\x00\x04\x00\x00\x00\x00\x00\x01\x00\x01\x00")
		b.WriteString(cprText(r, i, c.format(i)))
		ct := "application/ms-tnef"
		if i%2 == 1 {
			ct = "application/vnd.ms-tnef"
		}
		return withAttachment(r, i, ct, "winmail.dat", b.Bytes()), "uninspectable:tnef"
	}},
	{"zip-bomb", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		return withAttachment(r, i, "application/zip", fmt.Sprintf("bilag-%d.zip", i), makeZipBomb((16+4*i)<<20)), "limit:zip"
	}},
	{"deep-nesting", func(r *rand.Rand, i int, c cprNumber) (string, string) {
		inner := textPart("Dybt nede.")
		for k := 0; k < 40+20*i; k++ {
			if (k+i)%2 == 0 {
				inner = part{"Content-Type: message/rfc822", "Subject: lag\n" + inner.hdr + "\n\n" + inner.body}
			} else {
				b := body("mixed", 1000*i+k, inner)
				hdr, bd, _ := strings.Cut(b, "\n\n")
				inner = part{hdr, bd}
			}
		}
		return single(head(r, i, "Dyb"), inner), "limit:depth"
	}},
}

func htmlPart(inner string) part {
	return part{"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit",
		"<!DOCTYPE html>\n<html><head><style>p{margin:0}</style></head><body>\n<p>Hej,</p>\n" + inner + "\n<p>Med venlig hilsen<br>Mette</p></body></html>\n"}
}

func withAttachment(r *rand.Rand, i int, ctype, name string, data []byte) string {
	return multi(head(r, i, "Bilag: "+name), "mixed", i, textPart(intros[i%len(intros)]+"Se venligst vedhæftede fil."+sig), attach(ctype, name, data))
}

func latin1(s string) string {
	var b []byte
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

func cp1252(s string) string {
	special := map[rune]byte{'\u20ac': 0x80, '\u2013': 0x96, '\u2014': 0x97, '\u201c': 0x93, '\u201d': 0x94}
	var b []byte
	for _, r := range s {
		if c, ok := special[r]; ok {
			b = append(b, c)
		} else if r <= 0xff {
			b = append(b, byte(r))
		} else {
			b = append(b, '?')
		}
	}
	return string(b)
}

// utf16Bytes encodes s as UTF-16, big- or little-endian, with a byte
// order mark when bom is set.
func utf16Bytes(s string, be, le, bom bool) []byte {
	_ = le
	u := utf16.Encode([]rune(strings.ReplaceAll(s, "\n", "\r\n")))
	var b bytes.Buffer
	order := binary.ByteOrder(binary.LittleEndian)
	if be {
		order = binary.BigEndian
	}
	if bom {
		binary.Write(&b, order, uint16(0xfeff))
	}
	for _, c := range u {
		binary.Write(&b, order, c)
	}
	return b.Bytes()
}

func positives(r *rand.Rand) []sample {
	var out []sample
	n := 0
	for _, t := range techniques {
		for i := 0; i < variants; i++ {
			c := newCPR(r, n)
			n++
			msg, exp := t.build(r, i, c)
			out = append(out, sample{fmt.Sprintf("pos-%s-%02d", t.name, i+1), t.name, exp, msg})
		}
	}
	_ = base64.StdEncoding
	return out
}
