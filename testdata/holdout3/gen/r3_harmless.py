"""Harmless cases of the third round: business, IT, finance, facility,
public-sector and press mail with words and numbers that look sensitive
but name no person's private matters and hold no CPR number."""

import mailshape as m
import producers as p
from r2_common import DOCX, ODS, ODT, PDF, PPTX, XLSX
from registry import case


def _h(technique, producer, subject, text, shape="outlook", doc=None):
    @case("grant", "none", technique, producer)
    def _(seq):
        att = [doc(text)] if doc else []
        body = "Hej\n\nSe vedhæftede.\n\nMvh" if doc else text
        return getattr(m, shape)(seq, subject, body, att), None


def _docx(s):
    return ("dokument.docx", p.python_docx(["Orientering", s]), DOCX)


def _xlsx(s):
    return ("tal.xlsx", p.openpyxl_book([("Ark1", [["Emne", "Tekst"], ["Info", s]])]), XLSX)


def _pdf(s):
    return ("info.pdf", p.reportlab_pdf([s[i:i + 80] for i in range(0, len(s), 80)], ttf=True), PDF)


def _ods(s):
    return ("budget.ods", p.soffice("budget.csv", "Post;Beløb;Note\nDrift;1250000;%s\n" % s, "ods",
                                     infilter="CSV:59,34,76,1"), ODS)


def _pptx(s):
    return ("kvartal.pptx", p.soffice("kvartal.fodp", p.fodp([["Kvartalsoversigt", s]]), "pptx"), PPTX)


_h("body-it-zombie", "outlook", "[unsecure] Zombie-processer på build-serveren",
   "Build-serveren har 40 zombie-processer efter nattens deploy. Vi slår parent-processen ihjel og "
   "genstarter runneren. Ingen data er tabt.")
_h("body-it-blacklist", "thunderbird", "[unsecure] Mailserver på blacklist",
   "Vores udgående IP 192.0.2.44 er kommet på en blacklist efter en kompromitteret konto. "
   "Vi har nulstillet adgangskoden og anmodet om delisting.", shape="thunderbird")
_h("body-it-version-dates", "webmail", "[unsecure] Release 2.14.0",
   "Release 2.14.0 (build 2414151230) er ude. Changelog: rettet fejl i patch-håndtering, "
   "opdateret OpenSSL til 3.0.15.", shape="webmail")
_h("xlsx-finance-serials", "openpyxl", "[unsecure] Serienumre på nye bærbare",
   "Serienumre: 4507881234, 3913904411, 0341927765 - leveret 15.07.2024.", doc=_xlsx)
_h("body-finance-invoice", "outlook", "[unsecure] Rykker faktura 20241103",
   "Faktura 20241103 på 18.750 kr. forfaldt 3. november. Betal venligst til reg.nr. 1551 konto 3456789012.")
_h("ods-budget-libreoffice", "libreoffice", "[unsecure] Budget 2025",
   "Lønsum for afdelingen samlet; ingen individuelle lønninger", doc=_ods)
_h("body-facility-hospital-street", "thunderbird", "[unsecure] Vandskade i kælderen",
   "Der er vandskade i kælderen under Sygehusvej 8. Forsikringen er kontaktet; VVS kommer torsdag kl. 9.",
   shape="thunderbird")
_h("docx-public-policy", "python-docx", "[unsecure] Høring om ny sundhedspolitik",
   "Kommunens sundhedspolitik 2025-2028 sendes i høring. Politikken handler om rygning, motion og "
   "mental trivsel blandt borgerne generelt.", doc=_docx)
_h("pdf-press-union", "reportlab", "[unsecure] Pressemeddelelse: ny aftale",
   "Fagbevægelsen og Dansk Industri har indgået en aftale om efteruddannelse for 20.000 ansatte.", doc=_pdf)
_h("body-press-police", "webmail", "[unsecure] Pressebriefing om trafiksikkerhed",
   "Politiet holder pressebriefing om trafikkampagnen i uge 46. Der er fokus på fart og mobiltelefoner.",
   shape="webmail")
_h("body-english-crash-report", "outlook", "[unsecure] Crash report",
   "The service crashed with a fatal error and dumped core; the child process was killed by the OOM killer. "
   "Root cause: memory leak in the parser.")
_h("pptx-quarterly-libreoffice", "libreoffice", "[unsecure] Kvartalstal",
   "Omsætning 42 mio. kr., overskud 3,1 mio., gæld til kreditinstitutter nedbragt med 12 %.", doc=_pptx)
_h("body-event-church", "thunderbird", "[unsecure] Julefrokost i Kirkesalen",
   "Julefrokosten holdes i Kirkesalen på Kirkegade 3 fredag den 13. december kl. 18. Tilmelding til Bente.",
   shape="thunderbird")
_h("body-hr-template", "outlook", "[unsecure] Skabelon til ansættelseskontrakt",
   "Vedlagt den nye skabelon til ansættelseskontrakter. Felterne [navn] og [løn] udfyldes af lederen.")
_h("docx-gdpr-training", "python-docx", "[unsecure] Kursus i GDPR",
   "Kurset gennemgår hvad helbredsoplysninger, fagforeningsforhold og CPR-numre er, og hvordan de "
   "behandles sikkert. Der bruges ingen rigtige sager.", doc=_docx)
_h("body-phone-numbers", "webmail", "[unsecure] Telefonliste vagt",
   "Vagttelefon: +45 70 20 30 40, reserve 20 11 45 67. Kontoret: 86 12 34 56.", shape="webmail")
_h("xlsx-inventory-dates", "openpyxl", "[unsecure] Lageroptælling",
   "Varenr. 451031-0042 og 631101-0017 talt op; batch 921306-5531 kasseret.", doc=_xlsx)
_h("body-english-order", "outlook", "[unsecure] Order confirmation 88213",
   "Thank you for your order 88213. 12 ergonomic chairs will be delivered to Hospital Road 4 on 19 November.")
_h("pdf-tender", "reportlab", "[unsecure] Udbud rengøring",
   "Udbud på rengøring af Sundhedscenter Nord. Tilbud senest 2. december. Kontrakten løber i fire år.",
   doc=_pdf)


@case("grant", "none", "reply-quoted-meeting", "thunderbird")
def _(seq):
    return m.reply_quoted(seq, "[unsecure] Re: Styregruppemøde", "Tirsdag kl. 10 passer fint.\n\n/Lars",
                          "Anne Høj <ah@firma.example>",
                          "Hej alle\n\nKan vi flytte styregruppemødet til tirsdag?\n\nAnne"), None
