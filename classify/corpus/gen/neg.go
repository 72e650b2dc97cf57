package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// negatives are ordinary business mails full of numbers that are not CPR
// numbers: invoices, phone numbers, bank accounts, IBAN, EAN/GLN, CVR,
// dates, amounts, times, tracking numbers.
func negatives(r *rand.Rand) []sample {
	kinds := []struct {
		name  string
		build func(r *rand.Rand, i int) string
	}{
		{"invoice", negInvoice}, {"order", negOrder}, {"phone", negPhone}, {"bank", negBank},
		{"meeting", negMeeting}, {"newsletter", negNewsletter}, {"reply", negReply}, {"shipping", negShipping},
		{"csv", negCSV}, {"english", negEnglish},
	}
	var out []sample
	for _, k := range kinds {
		for i := 0; i < 11; i++ {
			out = append(out, sample{fmt.Sprintf("neg-%s-%02d", k.name, i+1), "negative", "", k.build(r, i)})
		}
	}
	return out
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '1' + byte(r.IntN(9))
	}
	return string(b)
}

func amount(r *rand.Rand) string {
	return fmt.Sprintf("%d.%03d,%02d kr.", 1+r.IntN(99), r.IntN(1000), r.IntN(100))
}

func date(r *rand.Rand, i int) string {
	d, m := 1+r.IntN(28), 1+r.IntN(12)
	return []string{fmt.Sprintf("%02d.%02d.2026", d, m), fmt.Sprintf("%d. %s 2026", d, []string{"januar", "marts", "juni", "oktober"}[i%4]),
		fmt.Sprintf("2026-%02d-%02d", m, d), fmt.Sprintf("%d/%d-26", d, m), fmt.Sprintf("%02d-%02d-2026", d, m)}[i%5]
}

func phone(r *rand.Rand, i int) string {
	n := digits(r, 8)
	return []string{"+45 " + n[:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:], n, n[:4] + " " + n[4:], "+45" + n, "(+45) " + n[:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:]}[i%5]
}

func iban(r *rand.Rand) string {
	s := "DK" + digits(r, 2) + digits(r, 14)
	return s[:4] + " " + s[4:8] + " " + s[8:12] + " " + s[12:16] + " " + s[16:]
}

func signature(r *rand.Rand, i int) string {
	return fmt.Sprintf("\n\nMed venlig hilsen\n\nAnna Jensen\nBogholderiet\nFirma A/S · CVR-nr. %s\nTlf. %s\nwww.firma.example\n", digits(r, 8), phone(r, i))
}

func negInvoice(r *rand.Rand, i int) string {
	t := fmt.Sprintf("Hej,\n\nHermed faktura nr. %s af %s vedrørende ordre %s.\nKundenummer: %s\nBeløb: %s inkl. moms (moms %s)\nBetalingsfrist: %s\nBetal til reg.nr. %s kontonr. %s eller FI-kort +71<%s+%s<.\nEAN-nummer: %s",
		digits(r, 6), date(r, i), digits(r, 7), digits(r, 5+i%4), amount(r), amount(r), date(r, i+1), digits(r, 4), digits(r, 10), digits(r, 15), digits(r, 8), "579"+digits(r, 10))
	return single(head(r, i, "Faktura "+digits(r, 6)), textPart(t+signature(r, i)))
}

func negOrder(r *rand.Rand, i int) string {
	var lines strings.Builder
	for k := 0; k < 3+i%4; k++ {
		fmt.Fprintf(&lines, "Varenr. %s  %d stk.  à %s\n", digits(r, 6+k%3), 1+r.IntN(50), amount(r))
	}
	t := fmt.Sprintf("Tak for din ordre %s modtaget %s kl. %02d.%02d.\n\n%s\nLevering forventes %s. GLN %s.", digits(r, 8), date(r, i), 8+r.IntN(10), r.IntN(60), lines.String(), date(r, i+2), "57"+digits(r, 11))
	return single(head(r, i, "Ordrebekræftelse "+digits(r, 8)), textPart(t+signature(r, i)))
}

func negPhone(r *rand.Rand, i int) string {
	t := fmt.Sprintf("Hej Lars\n\nRing til mig på %s eller mobil %s, så finder vi en tid. Omstillingen har %s.\nMødet i sidste uge (%s kl. %d:%02d) var godt.", phone(r, i), phone(r, i+1), phone(r, i+2), date(r, i), 9+r.IntN(8), r.IntN(60))
	return single(head(r, i, "Opkald"), textPart(t+signature(r, i)))
}

func negBank(r *rand.Rand, i int) string {
	t := fmt.Sprintf("Hej\n\nVores bankoplysninger er ændret:\nReg.nr.: %s\nKontonr.: %s\nIBAN: %s\nSWIFT/BIC: DABADKKK\n\nBeløbet %s overføres %s.", digits(r, 4), digits(r, 6+i%5), iban(r), amount(r), date(r, i))
	return single(head(r, i, "Nye bankoplysninger"), textPart(t+signature(r, i)))
}

func negMeeting(r *rand.Rand, i int) string {
	ics := fmt.Sprintf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Firma//DA\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:%s@firma.example\nDTSTAMP:20261102T080000Z\nDTSTART:202612%02dT%02d0000Z\nDTEND:202612%02dT%02d3000Z\nSUMMARY:Budgetmøde Q%d\nLOCATION:Mødelokale %d\nDESCRIPTION:Dagsorden: budget\\, tilbud %s\\, status.\nEND:VEVENT\nEND:VCALENDAR\n",
		digits(r, 12), 1+i, 8+i%8, 1+i, 8+i%8, 1+i%4, 1+i%5, digits(r, 5))
	return multi(head(r, i, "Invitation: Budgetmøde"), "mixed", i,
		textPart(fmt.Sprintf("Hej alle\n\nInvitation til budgetmøde %s kl. %d.00-%d.30 i mødelokale %d. Dial-in: %s, PIN %s#.", date(r, i), 8+i%8, 8+i%8, 1+i%5, phone(r, i), digits(r, 6))+signature(r, i)),
		part{"Content-Type: text/calendar; charset=utf-8; method=REQUEST; name=\"invite.ics\"\nContent-Disposition: attachment; filename=\"invite.ics\"\nContent-Transfer-Encoding: 8bit", ics})
}

func negNewsletter(r *rand.Rand, i int) string {
	html := fmt.Sprintf(`<!DOCTYPE html><html><head><style>.x{color:#%s}</style><script>var id=%s;</script></head><body>
<table width="600"><tr><td><h1>Nyhedsbrev nr. %d</h1></td></tr>
<tr><td><p>Årets julefrokost holdes %s. Tilmelding senest %s.</p>
<p>Nye priser fra %s: <b>%s</b> pr. måned. Tilbudet gælder %d dage.</p>
<p>Kontakt os på <a href="tel:+45%s">%s</a> &ndash; åbent 8.00&ndash;16.00.</p>
<img src="cid:logo%d" alt="Firma logo" width="120" height="40"></td></tr>
<tr><td style="font-size:10px">Firma A/S &middot; CVR %s &middot; Afmeld <a href="https://firma.example/u?id=%s">her</a></td></tr></table></body></html>
`, digits(r, 6), digits(r, 10), 10+i, date(r, i), date(r, i+1), date(r, i+2), amount(r), 14+i, digits(r, 8), phone(r, i), i, digits(r, 8), digits(r, 16))
	return multi(head(r, i, fmt.Sprintf("Nyhedsbrev %d/2026", 10+i)), "alternative", i,
		textPart("Se nyhedsbrevet i en HTML-læser."),
		part{"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit", html})
}

func negReply(r *rand.Rand, i int) string {
	orig := fmt.Sprintf("Hej Anna\n\nKan du sende tilbud %s igen? Vi mangler side 2.\nSag %s, ref. %s.\n\nMvh Lars", digits(r, 5), digits(r, 6), digits(r, 4)+"-"+digits(r, 4))
	quoted := "> " + strings.ReplaceAll(orig, "\n", "\n> ")
	t := fmt.Sprintf("Hej Lars\n\nSelvfølgelig, vedhæftet igen. Pris %s, gyldig til %s.\n\nDen %s kl. %02d:%02d skrev Lars Nielsen <lars@firma.example>:\n%s", amount(r), date(r, i), date(r, i+1), 8+r.IntN(9), r.IntN(60), quoted)
	return single(head(r, i, "Re: Tilbud "+digits(r, 5), "In-Reply-To: <"+digits(r, 9)+"@firma.example>"), textPart(t+signature(r, i)))
}

func negShipping(r *rand.Rand, i int) string {
	trk := []string{"00370" + digits(r, 15), "JJD" + digits(r, 18), "1Z" + digits(r, 16), digits(r, 12), "CD" + digits(r, 9) + "DK"}[i%5]
	t := fmt.Sprintf("Din pakke er afsendt.\n\nTrack & trace: %s\nPakkeshop %s, åbent %s-%s\nVægt %d,%d kg. Forventet levering %s mellem %d og %d.", trk, digits(r, 5), "08.00", "20.00", 1+r.IntN(20), r.IntN(10), date(r, i), 8+i%4, 14+i%4)
	return single(head(r, i, "Forsendelse "+trk), textPart(t+signature(r, i)))
}

func negCSV(r *rand.Rand, i int) string {
	var csv strings.Builder
	csv.WriteString("Fakturanr;Dato;Kundenr;Beløb;Moms\n")
	for k := 0; k < 5+i; k++ {
		fmt.Fprintf(&csv, "%s;%s;%s;%d,%02d;%d,%02d\n", digits(r, 6), date(r, k), digits(r, 5), r.IntN(99999), r.IntN(100), r.IntN(9999), r.IntN(100))
	}
	return multi(head(r, i, "Debitorliste "+date(r, i)), "mixed", i,
		textPart("Hej\n\nHer er debitorlisten som aftalt."+signature(r, i)),
		part{fmt.Sprintf("Content-Type: text/csv; charset=utf-8; name=\"debitorer-%d.csv\"\nContent-Disposition: attachment; filename=\"debitorer-%d.csv\"\nContent-Transfer-Encoding: quoted-printable", i, i),
			strings.ReplaceAll(csv.String(), "ø", "=C3=B8")})
}

func negEnglish(r *rand.Rand, i int) string {
	t := fmt.Sprintf("Dear John,\n\nPlease find our quote Q-%s dated %s. Total EUR %d,%03d.%02d excl. VAT, payment terms net 30 days.\nPO number %s, your customer ID %s. Call me on +44 20 %s %s or +45 %s.\nThe shipment (AWB %s-%s) leaves on %s at %d:%02d.\n\nKind regards\nPeter Smith\nSupplier Ltd, VAT DK%s",
		digits(r, 5), date(r, i), 1+r.IntN(99), r.IntN(1000), r.IntN(100), digits(r, 10), digits(r, 7), digits(r, 4), digits(r, 4), digits(r, 8), digits(r, 3), digits(r, 8), date(r, i+3), 8+r.IntN(10), r.IntN(60), digits(r, 8))
	return single(head(r, i, "Quote "+digits(r, 5)), textPart(t))
}
