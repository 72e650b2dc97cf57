"""Held-out messages carrying an invented CPR number, typed the ways
people type them, in every place a producer can put it."""

import mailshape as M
import producers as P
from cpr import cpr, dash, space
from registry import case

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PDF = "application/pdf"

A = cpr(14, 6, 48)            # 140648-5xxx, passes
B = cpr(3, 9, 52)             # leading zero: Excel drops it
C = cpr(27, 11, 88, False)    # fails modulus 11
D = cpr(8, 2, 41)
E = cpr(30, 4, 95, False)
F = cpr(5, 12, 39)
G = cpr(19, 7, 2, False)
H = cpr(2, 3, 55)


@case("refuse", "cpr", "body-dash", "outlook")
def body_dash(n):
    return M.outlook(n, "[unsecure] Henvendelse om boligstøtte", (
        "Hej Peter\n\nJeg har talt med borgeren i dag. Hun hedder Anja Friis, cpr.nr. %s, og bor stadig på "
        "adressen i Vejle.\n\nKan du tjekke, om ansøgningen er modtaget?\n\nVenlig hilsen\nMette Kjær\n"
        "Borgerservice" % dash(A))), dash(A)


@case("refuse", "cpr", "body-space", "thunderbird")
def body_space(n):
    return M.thunderbird(n, "[unsecure] Tilmelding til forløb", (
        "Hej\n\nHer er oplysningerne til tilmeldingen: Jonas Mikkelsen, %s, Strandvejen 4, 8000 Aarhus C. "
        "Han starter efter planen den 18. marts.\n\nMvh Søren" % space(C))), space(C)


@case("refuse", "cpr", "body-bare", "webmail")
def body_bare(n):
    return M.webmail(n, "[unsecure] mit personnummer", (
        "Goddag\n\nI bad om mit personnummer i telefonen i går, det er %s.\n\nHilsen\nRuth Ebbesen" % D)), D


@case("refuse", "cpr", "body-bare-english", "outlook")
def body_bare_en(n):
    return M.outlook(n, "[unsecure] New starter details", (
        "Hi Peter,\n\nFor the payroll set-up: Ewa Nowak, Danish personal ID number %s, starts on 1 April "
        "in the Odense office.\n\nKind regards\nMette" % E)), E


@case("refuse", "cpr", "xlsx-numfmt-dash", "openpyxl")
def xlsx_numfmt(n):
    rows = [["Navn", "CPR", "Afdeling"], ["Lise Bang", int(B), "Løn"], ["Kurt Hviid", int(F), "Drift"]]
    x = P.openpyxl_book([("Ark1", rows)], numfmt=[("Ark1", "B2", "000000-0000"), ("Ark1", "B3", "000000-0000")])
    return M.outlook(n, "[unsecure] Oversigt til lønkørsel", "Hej Peter\n\nHer er listen til lønkørslen.\n\n"
                     "Mvh Mette", [("loenkoersel_marts.xlsx", x, XLSX)]), dash(B)


@case("refuse", "cpr", "xlsx-numfmt-escaped", "xlsxwriter")
def xlsx_numfmt_esc(n):
    rows = [["Medarbejder", "Personnummer"], ["Inge Lauridsen", ""]]
    x = P.xlsxwriter_book([("Personale", rows)], numfmt=[("Personale", 1, 1, int(H), "000000\\-0000")])
    return M.thunderbird(n, "[unsecure] Stamdata", "Hej\n\nStamdata vedhæftet.\n\nSøren",
                         [("stamdata.xlsx", x, XLSX)]), dash(H)


@case("refuse", "cpr", "xlsx-numfmt-pad", "xlsxwriter")
def xlsx_numfmt_pad(n):
    rows = [["Name", "ID"], ["Oskar Winther", ""]]
    x = P.xlsxwriter_book([("Sheet1", rows)], numfmt=[("Sheet1", 1, 1, int(B), "0000000000")])
    return M.outlook(n, "[unsecure] ID list", "Hi,\n\nAs discussed.\n\nMette", [("ids.xlsx", x, XLSX)]), B


@case("refuse", "cpr", "xlsx-number-general", "openpyxl")
def xlsx_number_general(n):
    rows = [["Navn", "CPR-nummer", "Timer"], ["Bent Vinther", int(G), 37], ["Ulla Krag", int(B), 30]]
    x = P.openpyxl_book([("Timer", rows)])
    return M.webmail(n, "[unsecure] timeregistrering", "Hej, her er timerne for februar.\n\nHilsen Ulla",
                     [("timer_feb.xlsx", x, XLSX)]), G


@case("refuse", "cpr", "xlsx-text-second-sheet", "openpyxl")
def xlsx_second_sheet(n):
    x = P.openpyxl_book([("Oversigt", [["Aktivitet", "Antal"], ["Samtaler", 14], ["Møder", 6]]),
                         ("Deltagere", [["Navn", "CPR"], ["Helle Juul", dash(F)], ["Asger Kirk", dash(C)]])])
    return M.outlook(n, "[unsecure] Kvartalsopgørelse", "Hej Peter\n\nOpgørelsen for 1. kvartal.\n\nMette",
                     [("kvartal1.xlsx", x, XLSX)]), dash(F)


@case("refuse", "cpr", "xlsx-cell-comment", "xlsxwriter")
def xlsx_comment(n):
    x = P.xlsxwriter_book([("Vagtplan", [["Uge", "Navn"], [11, "Nina Holst"], [12, "Per Skov"]])],
                          comment=("Vagtplan", "B2", "Nina: husk CPR %s til vikarbureauet" % dash(D)))
    return M.thunderbird(n, "[unsecure] Vagtplan uge 11-12", "Vagtplanen er vedhæftet.\n\nSøren",
                         [("vagtplan.xlsx", x, XLSX)]), dash(D)


@case("refuse", "cpr", "xlsx-header-footer", "openpyxl")
def xlsx_header(n):
    x = P.openpyxl_book([("Ark1", [["Dato", "Ydelse", "Beløb"], ["04-03-2024", "Tandpleje", 850]])],
                        header="Borger: Vera Mønsted %s" % dash(E))
    return M.outlook(n, "[unsecure] Udgiftsbilag", "Hej\n\nBilaget til sagen.\n\nMette",
                     [("bilag.xlsx", x, XLSX)]), dash(E)


@case("refuse", "cpr", "xlsx-docprops", "openpyxl")
def xlsx_props(n):
    x = P.openpyxl_book([("Ark1", [["Post", "Beløb"], ["Husleje", 6200], ["El", 540]])],
                        props={"title": "Budget for Kaj Thorsen", "keywords": "cpr %s" % dash(A)})
    return M.webmail(n, "[unsecure] budget", "Her er budgettet som aftalt.", [("budget.xlsx", x, XLSX)]), dash(A)


@case("refuse", "cpr", "csv-to-xlsx", "libreoffice")
def csv_xlsx(n):
    csv = "Navn;CPR;Kommune\nTove Jeppesen;%s;Horsens\nAksel Brix;%s;Vejle\n" % (B, H)
    x = P.soffice("import.csv", csv, "xlsx:Calc MS Excel 2007 XML", infilter="CSV:59,34,76,1")
    return M.outlook(n, "[unsecure] Udtræk fra fagsystem", "Hej Peter\n\nUdtrækket til afstemning.\n\nMette",
                     [("udtraek.xlsx", x, XLSX)]), B


@case("refuse", "cpr", "ods-numfmt", "libreoffice")
def ods_numfmt(n):
    rows = [["Navn", "CPR"], ["Gitte Lynge", int(B)]]
    x = P.openpyxl_book([("Ark1", rows)], numfmt=[("Ark1", "B2", "000000-0000")])
    o = P.soffice("liste.xlsx", x, "ods")
    return M.thunderbird(n, "[unsecure] Liste", "Listen i ODS-format.\n\nSøren", [("liste.ods", o, ODS)]), dash(B)


@case("refuse", "cpr", "docx-table", "python-docx")
def docx_table(n):
    d = P.python_docx(["Deltagerliste til kursus i førstehjælp"],
                      table=[["Navn", "CPR-nr.", "Afdeling"], ["Rasmus Høj", dash(D), "Køkken"],
                             ["Pia Lind", dash(G), "Rengøring"]])
    return M.outlook(n, "[unsecure] Deltagerliste", "Hej\n\nListen er vedhæftet.\n\nMette",
                     [("deltagere.docx", d, DOCX)]), dash(D)


@case("refuse", "cpr", "docx-header", "python-docx")
def docx_header(n):
    d = P.python_docx(["Referat af opfølgningssamtale den 4. marts.", "Borgeren deltog sammen med sin søster."],
                      header="Sag vedr. Elias Krogh, %s" % dash(F))
    return M.thunderbird(n, "[unsecure] Referat", "Referatet er vedhæftet.\n\nSøren",
                         [("referat.docx", d, DOCX)]), dash(F)


@case("refuse", "cpr", "docx-footer", "python-docx")
def docx_footer(n):
    d = P.python_docx(["Aftale om praktikforløb", "Praktikken varer fire uger."],
                      footer="Praktikant: Sebastian Fog – %s" % space(H))
    return M.webmail(n, "[unsecure] praktikaftale", "Aftalen til underskrift.", [("praktik.docx", d, DOCX)]), space(H)


@case("refuse", "cpr", "docx-coreprops", "python-docx")
def docx_props(n):
    d = P.python_docx(["Ansøgning om hjælpemiddel", "Se vedlagte beskrivelse."],
                      props={"comments": "Ansøger %s" % dash(C), "subject": "Hjælpemiddelsag"})
    return M.outlook(n, "[unsecure] Ansøgning", "Hej Peter\n\nAnsøgningen.\n\nMette",
                     [("ansoegning.docx", d, DOCX)]), dash(C)


@case("refuse", "cpr", "docx-nobreakhyphen", "python-docx")
def docx_nbh(n):
    d = P.python_docx(["Oplysninger til forsikringen"], nbhyphen=("Skadelidte: Jørn Ravn, CPR " + D[:6], D[6:], "."))
    return M.outlook(n, "[unsecure] Skadesanmeldelse", "Hej\n\nAnmeldelsen er vedhæftet.\n\nMette",
                     [("skade.docx", d, DOCX)]), dash(D)


@case("refuse", "cpr", "docx-to-odt", "libreoffice")
def odt_from_docx(n):
    d = P.python_docx(["Bevillingsbrev", "Kære Agnete Mølgaard (%s)" % dash(A), "Du er bevilget hjemmehjælp."])
    o = P.soffice("bevilling.docx", d, "odt")
    return M.thunderbird(n, "[unsecure] Bevilling", "Brevet i ODT.\n\nSøren", [("bevilling.odt", o, ODT)]), dash(A)


@case("refuse", "cpr", "docx-to-pdf", "libreoffice")
def pdf_from_docx(n):
    d = P.python_docx(["Partshøring", "Vedrørende Frederik Schou, cpr-nr. %s." % dash(E),
                       "Du har 14 dage til at komme med bemærkninger."])
    pdf = P.soffice("partshoering.docx", d, "pdf")
    return M.outlook(n, "[unsecure] Partshøring", "Hej\n\nPartshøringen i PDF.\n\nMette",
                     [("partshoering.pdf", pdf, PDF)]), dash(E)


@case("refuse", "cpr", "odt-comment", "libreoffice")
def odt_comment(n):
    o = P.soffice("notat.fodt", P.fodt(["Notat om møde med borgeren.", "Næste møde aftales telefonisk."],
                                       annotation="Borgerens cpr: %s" % dash(F)), "odt")
    return M.webmail(n, "[unsecure] notat", "Notatet.", [("notat.odt", o, ODT)]), dash(F)


@case("refuse", "cpr", "docx-footnote", "libreoffice")
def docx_footnote(n):
    d = P.soffice("afgoerelse.fodt", P.fodt(["Afgørelse om tilskud til briller.", "Tilskuddet udbetales i april."],
                                             footnote="Modtager: Lone Bach, %s" % dash(G)), "docx:MS Word 2007 XML")
    return M.outlook(n, "[unsecure] Afgørelse", "Hej\n\nAfgørelsen.\n\nMette", [("afgoerelse.docx", d, DOCX)]), dash(G)


@case("refuse", "cpr", "pdf-body", "reportlab")
def pdf_reportlab(n):
    pdf = P.reportlab_pdf(["Lønseddel marts 2024", "Medarbejder: Jakob Brandt", "CPR: %s" % dash(H),
                           "Udbetalt: 24.312,50 kr."])
    return M.outlook(n, "[unsecure] Lønseddel", "Hej\n\nLønsedlen.\n\nMette", [("loenseddel.pdf", pdf, PDF)]), dash(H)


@case("refuse", "cpr", "pdf-form-field", "reportlab")
def pdf_field(n):
    pdf = P.reportlab_pdf(["Blanket: Anmodning om aktindsigt", "Udfyldes af ansøger"],
                          field=("Personnummer", dash(D)))
    return M.webmail(n, "[unsecure] blanket", "Blanketten udfyldt.", [("blanket.pdf", pdf, PDF)]), dash(D)


@case("refuse", "cpr", "pdf-annotation", "reportlab+pypdf")
def pdf_annot(n):
    pdf = P.annotate(P.reportlab_pdf(["Udkast til handleplan", "Mål: stabil bolig inden sommer."]),
                     "Husk borgerens cpr %s på forsiden" % dash(C))
    return M.thunderbird(n, "[unsecure] Handleplan udkast", "Med mine kommentarer.\n\nSøren",
                         [("handleplan.pdf", pdf, PDF)]), dash(C)


@case("refuse", "cpr", "pdf-docinfo", "reportlab")
def pdf_info(n):
    pdf = P.reportlab_pdf(["Journalnotat", "Se sagen."], info={"title": "Journal", "subject": "cpr %s" % dash(A)})
    return M.outlook(n, "[unsecure] Journalnotat", "Hej\n\nNotatet.\n\nMette", [("journal.pdf", pdf, PDF)]), dash(A)


@case("refuse", "cpr", "pdf-ttf", "reportlab")
def pdf_ttf(n):
    pdf = P.reportlab_pdf(["Indkaldelse til samtale", "Kære Søren Østergaard", "Personnummer: %s" % space(F)],
                          ttf=True)
    return M.webmail(n, "[unsecure] indkaldelse", "Indkaldelsen.", [("indkaldelse.pdf", pdf, PDF)]), space(F)


@case("refuse", "cpr", "pdf-ps2pdf", "ghostscript")
def pdf_gs(n):
    pdf = P.ps2pdf(["Kvittering for modtaget ansøgning", "Ansøger: Hans Overgaard", "CPR-nr.: %s" % dash(B)])
    return M.outlook(n, "[unsecure] Kvittering", "Hej\n\nKvitteringen.\n\nMette", [("kvittering.pdf", pdf, PDF)]), dash(B)


@case("refuse", "cpr", "pdf-ocr", "tesseract")
def pdf_ocr(n):
    pdf = P.tesseract_pdf(["Attest", "Navn: Kirsten Lunde", "CPR: %s" % dash(E)])
    return M.thunderbird(n, "[unsecure] Scannet attest", "Scannet på kopimaskinen.\n\nSøren",
                         [("scan0042.pdf", pdf, PDF)]), dash(E)


@case("refuse", "uninspectable", "pdf-image-only", "img2pdf")
def pdf_image(n):
    pdf = P.img2pdf(["Fuldmagt", "Jeg giver hermed min datter fuldmagt", "CPR: %s" % dash(D)])
    return M.outlook(n, "[unsecure] Fuldmagt", "Hej\n\nFuldmagten scannet.\n\nMette",
                     [("fuldmagt.pdf", pdf, PDF)]), dash(D)


@case("refuse", "cpr", "docx-pandoc-list", "pandoc")
def pandoc_docx(n):
    d = P.pandoc("# Tjekliste\n\n- Navn: Mads Hjort\n- CPR: %s\n- Start: uge 14\n" % dash(G), "docx")
    return M.webmail(n, "[unsecure] tjekliste", "Tjeklisten.", [("tjekliste.docx", d, DOCX)]), dash(G)


@case("refuse", "cpr", "zip-xlsx", "openpyxl+zip")
def zip_xlsx(n):
    x = P.openpyxl_book([("Ark1", [["Navn", "CPR"], ["Alma Riis", int(H)]])],
                        numfmt=[("Ark1", "B2", "000000-0000")])
    z = P.zipped([("data/udtraek.xlsx", x), ("data/LÆSMIG.txt", b"Udtraek fra systemet\r\n")])
    return M.outlook(n, "[unsecure] Samlet udtræk", "Hej\n\nZip med udtrækket.\n\nMette",
                     [("udtraek.zip", z, "application/x-zip-compressed")]), dash(H)


@case("refuse", "cpr", "forward-rfc822", "thunderbird")
def fwd_attached(n):
    inner = M.webmail(n, "Spørgsmål", "Hej\n\nMin søn hedder Lukas Vang, hans cpr er %s. Hvornår "
                      "kan han starte i børnehaven?\n\nHilsen Maria" % dash(C))
    return M.forward_attached(n, "[unsecure] Fwd: Spørgsmål", "Til orientering.\n\nSøren", inner), dash(C)


@case("refuse", "cpr", "forward-inline", "outlook")
def fwd_inline(n):
    return M.forward_inline(n, "[unsecure] VS: Flytning", "Kan du tage denne?", "Borger <b@borger.example>",
                            "Flytning", "Jeg er flyttet til Kolding. Mit cpr er %s.\n\nMvh Ib Bruun" % space(A)), space(A)


@case("refuse", "cpr", "reply-quoted", "thunderbird")
def reply(n):
    return M.reply_quoted(n, "[unsecure] Re: Manglende oplysninger", "Tak, det er registreret nu.\n\nSøren",
                          "Karin Toft", "Hej Søren\n\nJeg glemte at skrive mit personnummer: %s\n\nKarin" % E), E


@case("refuse", "cpr", "vcf-note", "outlook")
def vcf_note(n):
    v = M.vcf("Ejnar Bonde", "Plejecenter Solhøj", "+45 76 12 34 56",
              "Pårørende: datter. Beboerens CPR: %s. Nøgle i boksen ved døren." % dash(F))
    return M.outlook(n, "[unsecure] Kontaktkort", "Hej\n\nKontaktkortet.\n\nMette",
                     [("Ejnar Bonde.vcf", v, "text/x-vcard")]), dash(F)


@case("refuse", "cpr", "ics-description", "outlook")
def ics_cpr(n):
    c = M.ics("Opfølgning", "Opfølgende samtale med borgeren, Britt Holmgaard, cpr %s, om tilbud om "
              "mentorstøtte og praktik hos den lokale virksomhed." % dash(G))
    return M.outlook(n, "[unsecure] Opfølgning", "Invitation til samtale.",
                     [("invite.ics", c, "text/calendar; method=REQUEST")]), dash(G)
