"""Harmless held-out messages of the same shapes: business, IT, finance,
facility and public-sector mail whose words or numbers merely resemble
sensitive ones."""

import mailshape as M
import producers as P
from cases_cpr import DOCX, ODS, ODT, PDF, XLSX
from cases_terms import HTML, RTF, greet, greet_en
from registry import case


def h(technique, producer):
    return case("grant", "none", technique, producer)


@h("body-html", "outlook")
def it_change(n):
    return M.outlook(n, "[unsecure] Change CHG0041872 completed", greet_en(
        "The change went in at 22:10. We fixed the race condition in the session cache, the load balancer "
        "health checks now hit /healthz every 10 seconds, and the new SSH host key fingerprint is "
        "SHA256:q3N5yX0b7fJmT1kZr8WcVd2Lh9sPaE4uGiOnB6xYtRw. No user impact expected.")), ""


@h("body-flowed", "thunderbird")
def facility(n):
    return M.thunderbird(n, "[unsecure] Vejarbejde på Hospitalsgade", (
        "Hej alle\n\nFra mandag den 11. marts er Hospitalsgade spærret ved nr. 14-20 på grund af "
        "ledningsarbejde. Varelevering sker i stedet fra Sygehusvej, og cykelparkeringen flytter til gården. "
        "Arbejdet forventes afsluttet i uge 13.\n\nVenlig hilsen\nFacility Management")), ""


@h("xlsx-numfmt", "openpyxl")
def invoice_xlsx(n):
    rows = [["Fakturanr.", "Dato", "Beløb", "Konto"], [20240311, "11-03-2024", 12450.0, "DK5000400440116243"],
            [20240312, "12-03-2024", 980.5, "DK5000400440116243"]]
    x = P.openpyxl_book([("Fakturaer", rows)], numfmt=[("Fakturaer", "C2", "#,##0.00"), ("Fakturaer", "C3", "#,##0.00")])
    return M.outlook(n, "[unsecure] Fakturaoversigt marts", greet("Oversigten over åbne fakturaer."),
                     [("fakturaer.xlsx", x, XLSX)]), ""


@h("xlsx-numfmt-dash", "xlsxwriter")
def order_numbers(n):
    rows = [["Ordrenr.", "Vare", "Antal"], ["", "Kopipapir A4", 40], ["", "Toner sort", 6]]
    x = P.xlsxwriter_book([("Ordrer", rows)], numfmt=[("Ordrer", 1, 0, 2403110017, "0000-000000"),
                                                      ("Ordrer", 2, 0, 2403110018, "0000-000000")])
    return M.thunderbird(n, "[unsecure] Ordrebekræftelse", "Ordrerne er bekræftet.\n\nSøren",
                         [("ordrer.xlsx", x, XLSX)]), ""


@h("xlsx-second-sheet", "openpyxl")
def price_list(n):
    x = P.openpyxl_book([("Forside", [["Prisliste 2024"], ["Gyldig fra 1. april"]]),
                         ("Priser", [["Varenr.", "Beskrivelse", "Pris"], ["4410-22", "Kontorstol", 2495],
                                     ["4410-31", "Hæve-sænkebord", 4995], ["5120-08", "Skærmarm", 799]])])
    return M.webmail(n, "[unsecure] prisliste", "Vores prisliste for 2024.", [("prisliste.xlsx", x, XLSX)]), ""


@h("xlsx-cell-comment", "xlsxwriter")
def budget_comment(n):
    x = P.xlsxwriter_book([("Budget", [["Post", "2024"], ["Kursus", 45000], ["Rejser", 12000]])],
                          comment=("Budget", "B2", "Inkl. førstehjælpskursus for hele afdelingen"))
    return M.outlook(n, "[unsecure] Budget 2024", greet("Budgettet med min kommentar."), [("budget.xlsx", x, XLSX)]), ""


@h("csv-to-xlsx", "libreoffice")
def statistics(n):
    csv = ("Region;År;Sygefraværsdage pr. ansat;Antal ansatte\nHovedstaden;2023;9,8;41250\n"
           "Midtjylland;2023;8,9;30112\nNordjylland;2023;9,1;12044\n")
    x = P.soffice("statistik.csv", csv, "xlsx:Calc MS Excel 2007 XML", infilter="CSV:59,34,76,1")
    return M.outlook(n, "[unsecure] Fraværsstatistik 2023", greet("Den regionale statistik til styregruppen."),
                     [("statistik.xlsx", x, XLSX)]), ""


@h("ods", "libreoffice")
def timetable(n):
    x = P.openpyxl_book([("Køreplan", [["Linje", "Afgang", "Ankomst"], ["5A", "08:15", "08:42"], ["5A", "08:25", "08:52"],
                                        ["350S", "07:58", "09:01"]])])
    o = P.soffice("koereplan.xlsx", x, "ods")
    return M.thunderbird(n, "[unsecure] Køreplan til seminaret", "Busserne til seminaret.\n\nSøren",
                         [("koereplan.ods", o, ODS)]), ""


@h("xlsx-header-footer", "openpyxl")
def phone_list(n):
    x = P.openpyxl_book([("Telefonliste", [["Navn", "Lokal", "Mobil"], ["Reception", "1000", "+45 20 11 22 33"],
                                            ["IT-support", "1400", "+45 21 44 55 66"]])],
                        header="Telefonliste – opdateret 05-03-2024")
    return M.outlook(n, "[unsecure] Ny telefonliste", greet("Den opdaterede telefonliste."),
                     [("telefonliste.xlsx", x, XLSX)]), ""


@h("docx-table", "python-docx")
def minutes(n):
    d = P.python_docx(["Referat af bestyrelsesmøde 27. februar 2024"],
                      table=[["Punkt", "Beslutning"], ["Budget", "Godkendt"], ["Renovering af kantinen", "Udsat til maj"],
                             ["Eventuelt", "Intet"]])
    return M.outlook(n, "[unsecure] Referat bestyrelsesmøde", greet("Referatet til godkendelse."),
                     [("referat.docx", d, DOCX)]), ""


@h("docx-header", "python-docx")
def newsletter(n):
    d = P.python_docx(["Foredrag om søvn og stress i kantinen torsdag kl. 12.", "Husk også cykelkampagnen i maj."],
                      header="Nyhedsbrev nr. 3 – marts 2024")
    return M.webmail(n, "[unsecure] nyhedsbrev marts", "Månedens nyhedsbrev.", [("nyhedsbrev.docx", d, DOCX)]), ""


@h("docx-coreprops", "python-docx")
def procedure(n):
    d = P.python_docx(["Procedure for backup af filserveren", "Backup kører hver nat kl. 02:00 og testes månedligt."],
                      props={"subject": "IT-drift", "keywords": "backup, restore, health check"})
    return M.outlook(n, "[unsecure] Backupprocedure", greet("Proceduren er opdateret."), [("backup.docx", d, DOCX)]), ""


@h("docx-to-odt", "libreoffice")
def job_ad(n):
    d = P.python_docx(["Stillingsopslag", "Vi søger en social- og sundhedsassistent til aftenvagter på plejecentret.",
                       "Løn efter overenskomst. Ansøgningsfrist 20. marts."])
    o = P.soffice("opslag.docx", d, "odt")
    return M.thunderbird(n, "[unsecure] Stillingsopslag", "Til godkendelse.\n\nSøren", [("opslag.odt", o, ODT)]), ""


@h("docx-to-pdf", "libreoffice")
def agreement_news(n):
    d = P.python_docx(["Nyt om overenskomsten", "Den nye overenskomst giver 4,5 procent i lønstigning over tre år "
                       "og en ekstra feriefridag.", "Spørgsmål kan rettes til HR."])
    pdf = P.soffice("overenskomst.docx", d, "pdf")
    return M.outlook(n, "[unsecure] Nyt om overenskomsten", greet("Til intranettet."),
                     [("overenskomst.pdf", pdf, PDF)]), ""


@h("odt-comment", "libreoffice")
def project_plan(n):
    o = P.soffice("projekt.fodt", P.fodt(["Projektplan for nyt intranet", "Fase 1: analyse. Fase 2: udvikling."],
                                         annotation="Fase 2 kan først starte efter budgetmødet."), "odt")
    return M.webmail(n, "[unsecure] projektplan", "Med kommentarer.", [("projektplan.odt", o, ODT)]), ""


@h("docx-footnote", "libreoffice")
def report_footnote(n):
    d = P.soffice("rapport.fodt", P.fodt(["Årsrapport for kantinedriften.", "Omsætningen steg 6 procent."],
                                          footnote="Kilde: regnskab 2023, konto 4410."), "docx:MS Word 2007 XML")
    return M.outlook(n, "[unsecure] Årsrapport", greet("Årsrapporten."), [("aarsrapport.docx", d, DOCX)]), ""


@h("rtf-body", "libreoffice")
def letter_rtf(n):
    r = P.soffice("brev.fodt", P.fodt(["Kære leverandør", "Vi bekræfter hermed ordre 2024-0311/17 med levering i uge 12."]), "rtf")
    return M.thunderbird(n, "[unsecure] Ordrebekræftelse", "Brevet.\n\nSøren", [("brev.rtf", r, RTF)]), ""


@h("pdf-body", "reportlab")
def invoice_pdf(n):
    pdf = P.reportlab_pdf(["Faktura 150324-118", "Dato: 15.03.2024", "IBAN: DK50 0040 0440 1162 43",
                           "Reg.nr. 5301 kontonr. 0241587369", "Beløb: 12.450,00 kr.", "Betalingsbetingelser: netto 30 dage"])
    return M.outlook(n, "[unsecure] Faktura", greet("Fakturaen vedhæftet."), [("faktura.pdf", pdf, PDF)]), ""


@h("pdf-form-field", "reportlab")
def booking_form(n):
    pdf = P.reportlab_pdf(["Booking af mødelokale"], field=("Lokale", "Mødelokale 3, Hospitalsgade 12"))
    return M.webmail(n, "[unsecure] booking", "Bookingen.", [("booking.pdf", pdf, PDF)]), ""


@h("pdf-annotation", "reportlab+pypdf")
def draft_annot(n):
    pdf = P.annotate(P.reportlab_pdf(["Udkast: Parkeringsregler", "Gæster parkerer på P2."]),
                     "Tilføj at elbiler lader på P1.")
    return M.thunderbird(n, "[unsecure] Parkeringsregler", "Med kommentar.\n\nSøren", [("parkering.pdf", pdf, PDF)]), ""


@h("pdf-ttf", "reportlab")
def menu(n):
    pdf = P.reportlab_pdf(["Kantinens menu uge 11", "Mandag: Frikadeller med kartoffelsalat",
                           "Tirsdag: Grøntsagslasagne", "Onsdag: Stegt flæsk"], ttf=True)
    return M.outlook(n, "[unsecure] Menu uge 11", greet("Menuen."), [("menu.pdf", pdf, PDF)]), ""


@h("pdf-ps2pdf", "ghostscript")
def delivery_note(n):
    pdf = P.ps2pdf(["Følgeseddel 20240311-0042", "Leveret: 40 kasser kopipapir", "Modtaget af: lageret"])
    return M.webmail(n, "[unsecure] følgeseddel", "Følgesedlen.", [("foelgeseddel.pdf", pdf, PDF)]), ""


@h("pdf-ocr", "tesseract")
def scanned_notice(n):
    pdf = P.tesseract_pdf(["Opslag", "Elevatoren i bygning B er ude af drift", "til og med fredag den 15. marts."])
    return M.outlook(n, "[unsecure] Opslag (scannet)", greet("Scannet opslag."), [("scan0051.pdf", pdf, PDF)]), ""


@h("docx-pandoc", "pandoc")
def guide(n):
    d = P.pandoc("# Vejledning\n\nSådan nulstiller du din adgangskode:\n\n1. Gå til portalen\n2. Vælg *Glemt kode*\n", "docx")
    return M.thunderbird(n, "[unsecure] Vejledning", "Vejledningen.\n\nSøren", [("vejledning.docx", d, DOCX)]), ""


@h("html-attachment", "pandoc")
def course_catalogue(n):
    x = P.pandoc("## Kurser forår 2024\n\n| Kursus | Dato |\n|---|---|\n| Excel for øvede | 12.03.2024 |\n"
                 "| Førstehjælp | 19.03.2024 |\n| Konflikthåndtering | 02.04.2024 |\n", "html")
    return M.outlook(n, "[unsecure] Kursuskatalog", greet("Kursuskataloget."), [("kurser.html", x, HTML)]), ""


@h("zip-xlsx", "xlsxwriter+zip")
def zip_report(n):
    x = P.xlsxwriter_book([("Salg", [["Måned", "Salg"], ["Januar", 120400], ["Februar", 131250]])])
    z = P.zipped([("rapport/salg.xlsx", x), ("rapport/readme.txt", b"Salgstal Q1\r\n")])
    return M.outlook(n, "[unsecure] Salgstal", greet("Zip med salgstallene."), [("salg.zip", z, "application/x-zip-compressed")]), ""


@h("forward-rfc822", "thunderbird")
def fwd_newsletter(n):
    inner = M.outlook(n, "Driftsinfo", greet("Serveren genstartes lørdag kl. 06-08 på grund af sikkerhedsopdateringer."))
    return M.forward_attached(n, "[unsecure] Fwd: Driftsinfo", "Til info.\n\nSøren", inner), ""


@h("forward-inline", "outlook")
def fwd_delivery(n):
    return M.forward_inline(n, "[unsecure] VS: Levering", "Kan du tage imod?", "Leverandør <salg@lev.example>",
                            "Levering", "Vi leverer de nye stole tirsdag mellem 8 og 10 på Hospitalsgade 12."), ""


@h("reply-quoted", "thunderbird")
def reply_meeting(n):
    return M.reply_quoted(n, "[unsecure] Re: Mødetidspunkt", "Torsdag passer fint.\n\nSøren", "Lone Bak",
                          "Hej Søren\n\nKan vi flytte mødet om budgettet til torsdag kl. 10?\n\nLone"), ""


@h("ics-description", "outlook")
def ics_meeting(n):
    c = M.ics("Statusmøde, intranet", "Dagsorden: 1. Status på migrering, 2. Test af login, 3. Eventuelt. "
              "Link til Teams-mødet følger i en separat mail.")
    return M.outlook(n, "[unsecure] Statusmøde", "Invitation.", [("invite.ics", c, "text/calendar; method=REQUEST")]), ""


@h("vcf-note", "outlook")
def vcf_supplier(n):
    v = M.vcf("Henrik Sand", "Sand Rengøring ApS", "+45 70 20 30 40",
              "CVR 12345678. Kontakt vedr. vinduespudsning, kommer første mandag i måneden.")
    return M.outlook(n, "[unsecure] Kontakt til rengøring", greet("Kontaktkortet."),
                     [("Henrik Sand.vcf", v, "text/x-vcard")]), ""


@h("body-html", "outlook")
def payment_reminder(n):
    return M.outlook(n, "[unsecure] Betalingspåmindelse faktura 2024-118", greet(
        "Vi kan ikke se, at faktura 2024-118 af 15.02.2024 er betalt. Beløbet på 4.380,00 kr. bedes "
        "indbetalt på reg.nr. 1551 kontonr. 1203874411 senest den 20. marts.", "Bogholderiet")), ""


@h("body-plain", "webmail")
def citizen_question(n):
    return M.webmail(n, "[unsecure] åbningstider", "Goddag\n\nHvad er borgerservice' åbningstider i påsken? "
                     "Jeg skal have fornyet mit pas.\n\nVenlig hilsen\nBo Jessen\nTlf. 40 12 34 56"), ""


@h("body-flowed", "thunderbird")
def release_notes(n):
    return M.thunderbird(n, "[unsecure] Release notes 4.2", (
        "Hi all\n\nVersion 4.2 is out. Highlights: the dead-letter queue is now drained on restart, the "
        "fingerprint check on the VPN gateway uses SHA-256, a race in the retry worker is fixed and the "
        "patient-facing booking page got a new colour scheme. Build 20240311.4.\n\nSøren")), ""


@h("body-html", "outlook")
def union_negotiation_en(n):
    return M.outlook(n, "[unsecure] Pay talks timetable", greet_en(
        "The national pay talks between the employers and the unions resume on 14 March. We will publish "
        "the new pay scales on the intranet once an agreement is signed.")), ""


@h("body-html", "outlook")
def health_campaign(n):
    return M.outlook(n, "[unsecure] Influenzavaccination", greet(
        "Alle medarbejdere kan blive vaccineret mod influenza i personalerummet den 12. og 13. marts "
        "mellem kl. 9 og 14. Tilmelding er ikke nødvendig.", "HR")), ""


@h("docx-body", "python-docx")
def policy_doc(n):
    d = P.python_docx(["Politik for hjemmearbejde", "Medarbejdere kan arbejde hjemme op til to dage om ugen efter "
                       "aftale med lederen.", "Politikken evalueres i december."])
    return M.webmail(n, "[unsecure] politik hjemmearbejde", "Politikken.", [("hjemmearbejde.docx", d, DOCX)]), ""


@h("xlsx-cell", "xlsxwriter")
def survey_results(n):
    x = P.xlsxwriter_book([("Resultater", [["Spørgsmål", "Andel enige"], ["Jeg trives på arbejdet", "82%"],
                                           ["Jeg kender min afdelings mål", "74%"], ["Svarprocent", "91%"]])])
    return M.outlook(n, "[unsecure] Trivselsmåling", greet("Resultaterne samlet for hele forvaltningen."),
                     [("trivsel.xlsx", x, XLSX)]), ""
