package classify_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"sync"
	"testing"

	"github.com/tlsgate/tlsgate/classify"
	"github.com/tlsgate/tlsgate/rules"
)

// Realistic benchmark input: prose made of words in random order from a
// vocabulary of a few hundred Danish and English words (a fixed seed, so
// every run reads the same bytes), cut into lines of 70–76 characters, with
// punctuation, dates, amounts and phone numbers. Unlike benchText, whose
// one sentence repeated is learnt by the branch predictor, nothing here
// repeats. The shipped term lists are used, and every message is clean:
// the whole of it is read, as for most mail.

var danishWords = strings.Fields(`
og i at det er en til på som de med han af for ikke der var mig sig men et har om vi
min havde hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her
alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette
mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle
hos blive mange ad bliver hendes været thi jer sådan møde mødet går gået første sidste
måned måneder år året uge ugen dag dage dagen tirsdag onsdag torsdag fredag mandag aften
morgen kontor kontoret faktura fakturaen ordre ordren kunde kunden levering leveringen
pris prisen tilbud tilbuddet aftale aftalen projekt projektet rapport rapporten budget
regnskab regnskabet bestyrelse bestyrelsen leverandør leverandøren afdeling afdelingen
medarbejder medarbejderne kollega kollegaer ledelse ledelsen plan planen forslag forslaget
spørgsmål svar svaret besked beskeden oplysninger oplysningerne dokument dokumentet bilag
bilaget vedhæftet venlig venlige hilsen tak takker glæder ser frem til gerne snart senest
hurtigst muligt allerede stadig endnu måske nok især særligt desuden derfor således altså
både eller hverken samt herunder blandt andet omkring cirka næsten præcis ændring ændringer
ændret opdateret godkendt afvist modtaget sendt bestilt betalt udført færdig klar åben
lukket næste forrige nuværende tidligere senere større mindre bedre bedste vigtig vigtigt
nødvendig nødvendigt muligt umuligt svært let hurtig langsom ny nye gammel gamle stor små
lille høj lav lang kort først sidst igen aldrig altid ofte sjældent hver hele halv kvartal
lager lageret varer varen pakke pakken fragt forsendelse forsendelsen adresse adressen
vej gade by byen land landet københavn aarhus odense aalborg esbjerg randers kolding
vejle horsens roskilde næstved silkeborg fredericia herning hørsholm frederiksberg
møllevej søndergade nørregade østergade vestergade strandvejen skovvej kirkevej engvej
bøger kørsel børn sø øl æble ærme økonomi økonomien højere længere større færre særlig
`)

var englishWords = strings.Fields(`
the of and to in is you that it he was for on are as with his they at be this have from
or one had by word but not what all were we when your can said there use an each which
she do how their if will up other about out many then them these so some her would make
like him into time has look two more write go see number no way could people my than
first water been call who oil its now find long down day did get come made may part
meeting invoice order customer delivery price offer agreement project report budget
accounts board supplier department employee colleague management proposal question answer
message information document attachment kind regards thanks looking forward soon latest
already still perhaps especially therefore both either among around approximately almost
change changes changed updated approved rejected received sent ordered paid completed ready
open closed next previous current earlier later larger smaller better best important
necessary possible difficult easy quick slow new old large small high low short again
never always often rarely every whole half quarter warehouse goods package shipping
address street city country schedule review follow team office week month year today
tomorrow yesterday morning afternoon evening please confirm attached details summary
contract contracts payment payments balance account statement request requests meeting
`)

// prose returns about n bytes of text: sentences of random words, each
// line 70–76 characters, lines ended by "\r\n".
func prose(rng *rand.Rand, words []string, n int) string {
	var b, line strings.Builder
	startSentence, number := true, false
	for b.Len() < n {
		var w string
		// Two numbers never stand side by side: "nr. 12. 01.02.2024"
		// reads as a CPR number.
		r := rng.IntN(100)
		if number {
			r = 99
		}
		number = r < 6
		switch {
		case r < 2:
			w = fmt.Sprintf("%02d.%02d.%d", 1+rng.IntN(28), 1+rng.IntN(12), 2020+rng.IntN(6))
		case r < 4:
			w = fmt.Sprintf("kr. %d.%03d,%02d", 1+rng.IntN(99), rng.IntN(1000), rng.IntN(100))
		case r < 5:
			// +45 first: never a valid date, so never a CPR number.
			w = fmt.Sprintf("+45 %d %02d %02d %02d", 20+rng.IntN(80), rng.IntN(100), rng.IntN(100), rng.IntN(100))
		case r < 6:
			w = fmt.Sprintf("nr. %d", rng.IntN(100000))
		default:
			w = words[rng.IntN(len(words))]
		}
		if startSentence {
			w = strings.ToUpper(w[:1]) + w[1:]
			startSentence = false
		}
		switch r := rng.IntN(100); {
		case r < 7:
			w += "."
			startSentence = true
		case r < 10:
			w += ","
		case r < 11:
			w += "?"
			startSentence = true
		case r < 12:
			w += ";"
		}
		if line.Len() > 0 && line.Len()+1+len(w) > 70+rng.IntN(7) {
			b.WriteString(line.String() + "\r\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	b.WriteString(line.String() + "\r\n")
	return b.String()
}

// csvRows returns about n bytes of a semicolon-separated export, as
// Danish spreadsheets write it.
func csvRows(rng *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString("Dato;Ordrenr;Kunde;By;Antal;Beløb;Valuta;Status\r\n")
	cities := []string{"København", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Kolding", "Næstved", "Hørsholm"}
	status := []string{"Betalt", "Åben", "Afventer", "Krediteret"}
	for b.Len() < n {
		fmt.Fprintf(&b, "%d-%02d-%02d;%d;%s %s ApS;%s;%d;%d.%03d,%02d;DKK;%s\r\n",
			2020+rng.IntN(6), 1+rng.IntN(12), 1+rng.IntN(28), 100000+rng.IntN(900000),
			strings.ToUpper(danishWords[rng.IntN(len(danishWords))][:1]), danishWords[rng.IntN(len(danishWords))],
			cities[rng.IntN(len(cities))], 1+rng.IntN(500), rng.IntN(100), rng.IntN(1000), rng.IntN(100),
			status[rng.IntN(len(status))])
	}
	return b.String()
}

// outlookHTML marks text up as Outlook does: a style block, a paragraph
// per line with class and inline style, the odd entity.
func outlookHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ` +
		`xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40"><head>` +
		`<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)">` +
		"<style><!--\r\n@font-face {font-family:\"Cambria Math\"; panose-1:2 4 5 3 5 4 6 3 2 4;}\r\n" +
		"p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:\"Calibri\",sans-serif;}\r\n" +
		"span.EmailStyle17 {mso-style-type:personal-compose;}\r\n--></style></head>\r\n" +
		`<body lang="DA" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1">` + "\r\n")
	for i, line := range strings.Split(strings.TrimRight(text, "\r\n"), "\r\n") {
		line = strings.ReplaceAll(line, "&", "&amp;")
		if i%9 == 8 {
			b.WriteString("<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>\r\n")
		}
		b.WriteString(`<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif">` +
			line + "<o:p></o:p></span></p>\r\n")
	}
	b.WriteString("</div></body></html>\r\n")
	return b.String()
}

func base64Body(p string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(p))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

func qpBody(p string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(p))
	w.Close()
	return b.String()
}

const realSize = 2 << 20

// realMessages are built once: the generator is slower than the scan.
var realMessages = sync.OnceValue(func() map[string]string {
	rng := rand.New(rand.NewPCG(15, 2026))
	da := prose(rng, danishWords, realSize)
	en := prose(rng, englishWords, realSize)
	csv := csvRows(rng, realSize)
	top := "From: a@example.dk\r\nTo: b@example.dk\r\nSubject: [unsecure] noter\r\nMIME-Version: 1.0\r\n"
	text := func(cte, body string) string {
		return top + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" + body
	}
	attach := func(name, ctype, body string) string {
		return top + "Content-Type: multipart/mixed; boundary=\"_b_\"\r\n\r\n--_b_\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHej, her er filen.\r\n--_b_\r\n" +
			"Content-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\n" + base64Body(body) + "--_b_--\r\n"
	}
	return map[string]string{
		"PlainDanish":      text("8bit", da),
		"PlainEnglish":     text("7bit", en),
		"CSV":              text("8bit", csv),
		"QuotedPrintable":  text("quoted-printable", qpBody(da)),
		"Base64Text":       text("base64", base64Body(da)),
		"Base64Attachment": attach("noter.txt", "application/octet-stream", da),
		"Base64CSV":        attach("ordrer.csv", "text/csv", csv),
		"HTML": top + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			outlookHTML(da),
		"HTMLQuotedPrintable": top + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			qpBody(outlookHTML(da)),
	}
})

var defaultClassifier = sync.OnceValues(func() (*classify.Classifier, error) {
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		return nil, err
	}
	return pol.Classifier, nil
})

// BenchmarkReal scans each realistic message with the shipped term lists;
// throughput is in bytes of the message as it crosses the wire, on one
// core (Scan runs in one goroutine).
func BenchmarkReal(b *testing.B) {
	c, err := defaultClassifier()
	if err != nil {
		b.Fatal(err)
	}
	msgs := realMessages()
	for _, name := range []string{"PlainDanish", "PlainEnglish", "CSV", "QuotedPrintable", "Base64Text",
		"Base64Attachment", "Base64CSV", "HTML", "HTMLQuotedPrintable"} {
		msg := msgs[name]
		b.Run(name, func(b *testing.B) {
			if r := c.Scan(context.Background(), strings.NewReader(msg)); !r.Clean() || r.TextBytes < realSize {
				b.Fatalf("reasons %v, %d bytes of text: the message must be clean and read whole", r.Reasons(), r.TextBytes)
			}
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				c.Scan(context.Background(), strings.NewReader(msg))
			}
		})
	}
}

// TestRealMessages checks what BenchmarkReal relies on, so that a change
// of the generator or the term lists that made a message unclean or
// unread is seen in an ordinary test run.
func TestRealMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 18 MB of messages")
	}
	c, err := defaultClassifier()
	if err != nil {
		t.Fatal(err)
	}
	for name, msg := range realMessages() {
		r := c.Scan(context.Background(), strings.NewReader(msg))
		if !r.Clean() || r.TextBytes < realSize {
			t.Errorf("%s: reasons %v, %d bytes of text, want clean and at least %d", name, r.Reasons(), r.TextBytes, realSize)
		}
	}
}
