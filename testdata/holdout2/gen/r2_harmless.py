"""Harmless cases of the second round: business, IT, finance, facility and
public-sector mail with words and numbers that look sensitive."""

import mailshape as m
import producers as p
from r2_common import CSV, DOCX, ICS, ODS, ODT, PDF, PPTX, XLSX
from registry import case


def _h(technique, producer, subject, text, shape="outlook", doc=None):
    @case("grant", "none", technique, producer)
    def _(seq):
        att = [doc(text)] if doc else []
        body = "Hej\n\nSe vedhæftede.\n\nMvh" if doc else text
        return getattr(m, shape)(seq, subject, body, att), None


_h("body-it-healthcheck", "outlook", "[unsecure] Health check fejler på lb-02",
   "Health check på lb-02 fejler hvert 30. sekund; vi dræber processen med kill -9 og genstarter. "
   "Status: unhealthy, exit code 137.")
_h("body-it-race", "thunderbird", "[unsecure] Race condition i køen",
   "Der er en race condition i jobkøen: to workers executer samme job, og det ene abort'er med deadlock. "
   "Fix: lås på job-id før execute.", shape="thunderbird")
_h("body-it-fingerprint", "webmail", "[unsecure] Nyt certifikat",
   "Det nye certifikat er udstedt. SHA-256 fingerprint: 4F:2A:91:0C:7E:33:B8:D1:5A:60:2E:9F:11:C4:07:AB. "
   "Gyldigt til 17.09.2025.", shape="webmail")
_h("body-finance-ratio", "outlook", "[unsecure] Nøgletal Q3",
   "Debt ratio er faldet til 0,42 og inkassering af tilgodehavender (collection of receivables) tager nu 38 dage i snit.")
_h("body-facility-address", "thunderbird", "[unsecure] Flytning til Hospitalsgade",
   "Fra mandag sidder teamet i Hospitalsgade 12, 2. sal, over for Sundhedshuset. Parkering i gården.",
   shape="thunderbird")
_h("body-hr-policy", "outlook", "[unsecure] Ny politik for sygefravær",
   "Den nye fraværspolitik gælder alle medarbejdere: sygemelding sker til nærmeste leder før kl. 8. "
   "Politikken nævner ingen enkeltpersoner.")
_h("body-press-hospital", "webmail", "[unsecure] Pressemeddelelse",
   "Regionen åbner et nyt akuthospital i 2026. Hospitalet får 600 senge og en ny fødeafdeling.", shape="webmail")
_h("body-press-union", "outlook", "[unsecure] Nyhedsbrev: overenskomst",
   "Fagforeningerne og arbejdsgiverne er enige om en ny overenskomst med lønstigninger på 6,8 % over tre år.")
_h("body-invoice-numbers", "outlook", "[unsecure] Faktura 1709240318",
   "Faktura nr. 1709240318 af 17.09.2024, kundenr. 2406198812. Betales til IBAN DK50 0040 0440 1162 43, "
   "tlf. 33 12 45 67. Beløb 12.480,00 kr.")
_h("body-english-abort", "thunderbird", "[unsecure] Deployment aborted",
   "The deployment was aborted after the smoke tests failed; the pipeline will execute again after the fix. "
   "No user impact.", shape="thunderbird")
_h("body-dates-order", "webmail", "[unsecure] Ordrebekræftelse",
   "Ordre 3009241127 er afsendt 30.09.2024 kl. 11:27. Track & trace 0712240935.", shape="webmail")
_h("body-meeting", "outlook", "[unsecure] Møde om kantinen",
   "Kantineudvalget mødes torsdag. Punkter: nye menuer, vegetarisk dag og affaldssortering.")
_h("body-church-concert", "thunderbird", "[unsecure] Julekoncert i kirken",
   "Personaleforeningen har reserveret 40 billetter til julekoncerten i Domkirken den 12. december.",
   shape="thunderbird")


def _xl(name, rows, **kw):
    return lambda _: (name, p.openpyxl_book([("Ark1", rows)], **kw), XLSX)


_h("xlsx-budget-openpyxl", "openpyxl", "[unsecure] Budget 2025", "",
   doc=_xl("budget.xlsx", [["Konto", "Beløb"], [2406198812, 150000], [1709240318, 23000]],
           numfmt=[("Ark1", "A2", "0000000000")]))
_h("xlsx-phones-xlsxwriter", "xlsxwriter", "[unsecure] Telefonliste", "",
   doc=lambda _: ("telefonliste.xlsx", p.xlsxwriter_book(
       [("Liste", [["Afdeling", "Telefon"], ["Reception", "33 12 45 67"], ["IT", "+45 70 20 30 40"]])]), XLSX))
_h("xlsx-ratios-xlsxwriter", "xlsxwriter", "[unsecure] Nøgletal", "",
   doc=lambda _: ("noegletal.xlsx", p.xlsxwriter_book(
       [("Nøgletal", [["Nøgletal", "2023", "2024"], ["Debt ratio", 0.45, 0.42], ["Collection period (days)", 41, 38]])]),
       XLSX))
_h("ods-inventory-libreoffice", "libreoffice", "[unsecure] Inventar",
   "Varenr,Beskrivelse,Antal\n1203199045,Skrivebord,12\n0511198877,Kontorstol,30\n",
   doc=lambda s: ("inventar.ods", p.soffice("inventar.csv", s, "ods", infilter="CSV:44,34,76"), ODS))
_h("csv-serials", "thunderbird", "[unsecure] Serienumre", "",
   shape="thunderbird",
   doc=lambda _: ("serienumre.csv", b"model;serienr\r\nLaptop X1;2611197634\r\nDock D2;0803198821\r\n", CSV))
_h("docx-hr-policy-python-docx", "python-docx", "[unsecure] Personalehåndbog", "",
   doc=lambda _: ("haandbog.docx", p.python_docx(
       ["Personalehåndbog 2025", "Ved sygdom kontaktes nærmeste leder. Ved længerevarende fravær afholdes sygefraværssamtale.",
        "Lønforhandling sker en gang om året."]), DOCX))
_h("docx-runbook-python-docx", "python-docx", "[unsecure] Runbook", "",
   doc=lambda _: ("runbook.docx", p.python_docx(
       ["Runbook: database failover", "1. Check health endpoint.", "2. Kill the stuck process (kill -9 PID).",
        "3. Execute promote on the replica.", "4. Verify the certificate fingerprint."]), DOCX))
_h("odt-minutes-libreoffice", "libreoffice", "[unsecure] Referat fra driftsmøde", "",
   doc=lambda _: ("referat.odt", p.soffice("referat.fodt", p.fodt(
       ["Referat fra driftsmøde", "Backup kørte fejlfrit. Ny firewall i drift fra uge 40.",
        "Næste møde 8. oktober."]), "odt"), ODT))
_h("pdf-invoice-reportlab", "reportlab", "[unsecure] Faktura", "",
   doc=lambda _: ("faktura.pdf", p.reportlab_pdf(
       ["FAKTURA 2024-0917", "Kundenr.: 1203199045", "CVR: 12345678", "IBAN: DK50 0040 0440 1162 43",
        "Total: 8.750,00 kr."]), PDF))
_h("pdf-press-libreoffice", "libreoffice", "[unsecure] Pressemeddelelse", "",
   doc=lambda _: ("presse.pdf", p.soffice("presse.fodt", p.fodt(
       ["Pressemeddelelse", "Sygehuset udvider med nyt kræftcenter", "Fagbevægelsen hilser aftalen velkommen."]),
       "pdf"), PDF))
_h("pdf-ps2pdf-timetable", "ghostscript", "[unsecure] Køreplan", "",
   doc=lambda _: ("koereplan.pdf", p.ps2pdf(["Bus 14: Hospitalsgade - Sundhedshuset", "Afgang 07:12, 07:42, 08:12"]), PDF))
_h("pdf-ocr-receipt", "tesseract", "[unsecure] Kvittering", "",
   doc=lambda _: ("kvittering.pdf", p.tesseract_pdf(["Kvittering", "Ordre 3009241127", "Betalt 450,00 kr."]), PDF))
_h("pptx-strategy-libreoffice", "libreoffice", "[unsecure] Strategi", "",
   doc=lambda _: ("strategi.pptx", p.soffice("strategi.fodp", p.fodp(
       [["IT-strategi 2025", "Health checks og overvågning"], ["Mål", "Ingen race conditions i produktion"]]),
       "pptx:Impress MS PowerPoint 2007 XML"), PPTX))
_h("docx-pandoc-guide", "pandoc", "[unsecure] Vejledning", "",
   doc=lambda _: ("vejledning.docx", p.pandoc(
       "# Vejledning\n\nSådan fornyer du certifikatet og kontrollerer fingerprint.\n\n"
       "| Trin | Kommando |\n|---|---|\n| 1 | systemctl status |\n| 2 | kill -HUP |\n", "docx"), DOCX))
_h("ics-harmless-outlook", "outlook", "[unsecure] Invitation: Sommerfest", "",
   doc=lambda _: ("invite.ics", m.ics("Sommerfest", "Sommerfest i gården, Hospitalsgade 12. Husk madpakke."), ICS))


@case("grant", "none", "reply-quoted-harmless", "thunderbird")
def _(seq):
    return m.reply_quoted(seq, "[unsecure] Re: Serverflytning", "Fint, vi kører det torsdag.", "Drift",
                          "Serverne flyttes til det nye datacenter. Forventet nedetid 2 timer.\n\nHilsen Drift"), None


@case("grant", "none", "forward-inline-harmless", "outlook")
def _(seq):
    return m.forward_inline(seq, "[unsecure] VS: Tilbud", "Kan du kigge på det?", "Salg <salg@leverandor.example>",
                            "Tilbud", "Tilbud på 40 skærme, tilbudsnr. 1409241530, gyldigt til 30.09.2024."), None


_h("body-it-zombie", "outlook", "[unsecure] Zombie-processer",
   "Der hænger zombie-processer på app-03; parent process dør før child. Vi terminerer instansen og "
   "kører diagnostics igen.")
_h("body-company-debt", "thunderbird", "[unsecure] Refinansiering",
   "Selskabets gæld til banken refinansieres i november; gearingen falder til 2,1 og kreditorerne er orienteret.",
   shape="thunderbird")
_h("body-charity-run", "outlook", "[unsecure] Stafet for Kræftens Bekæmpelse",
   "Firmaet stiller med tre hold til stafetten for Kræftens Bekæmpelse. Tilmelding hos receptionen.")
_h("body-flu-vaccination", "webmail", "[unsecure] Influenzavaccination",
   "Alle medarbejdere tilbydes gratis influenzavaccination i kantinen den 3. oktober.", shape="webmail")
_h("body-payroll-run", "outlook", "[unsecure] Lønkørsel",
   "Lønkørslen for oktober lukker torsdag kl. 12. Indberet timer senest onsdag.")
_h("body-face-id", "thunderbird", "[unsecure] Ny app-version",
   "Version 4.2 af appen understøtter login med Face ID og fingeraftryk på telefonen.", shape="thunderbird")
_h("body-football", "outlook", "[unsecure] Firmafodbold",
   "Vi tabte 2-3 efter et straffespark i sidste minut. Næste kamp mod revisorerne på torsdag.")
_h("body-english-kill", "outlook", "[unsecure] Incident 4471 closed",
   "Root cause: a deadlock between two writers. We killed the hung worker, executed the migration and "
   "the service is healthy again. Pension fund batch was not affected.")


_h("body-technical-debt", "outlook", "[unsecure] Teknisk gæld",
   "Vi bruger sprint 42 på teknisk gæld: den gamle login-service, dead letter queue og en kill switch til betalinger.")
_h("body-sql-union", "thunderbird", "[unsecure] Rapportforespørgsel",
   "Rapporten bruger en UNION ALL over de to tabeller; genetic algorithm til ruteplanen er parkeret.",
   shape="thunderbird")
_h("body-eu-directive", "outlook", "[unsecure] EU-direktiv",
   "The European Union directive on pay transparency must be implemented by June 2026; HR will update the pay bands.")
_h("body-sickness-statistics", "webmail", "[unsecure] Fraværsstatistik",
   "Sygefraværet i koncernen var 4,2 % i tredje kvartal mod 4,6 % sidste år.", shape="webmail")
_h("body-patient-portal", "outlook", "[unsecure] Release notes patientportal",
   "Version 3.1 af patientportalen retter fejl i tidsbestilling og opdaterer tabellen over diagnosekoder.")
_h("body-blood-bank-address", "thunderbird", "[unsecure] Levering",
   "Varerne leveres til Blodbanken, Sygehusvej 10, indgang 3, mellem 8 og 10.", shape="thunderbird")
_h("body-gdpr-fine", "outlook", "[unsecure] Nyhed: GDPR-bøder",
   "Strafferammen for overtrædelse af databeskyttelsesforordningen er bøde på op til 4 % af omsætningen.")
_h("body-christmas-closing", "webmail", "[unsecure] Juleåbningstider",
   "Kontoret holder lukket mellem jul og nytår samt 2. påskedag og Kristi himmelfartsdag.", shape="webmail")
