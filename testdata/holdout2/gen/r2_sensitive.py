"""Sensitive cases of the second round: CPR numbers typed the way people
type them, in many places, and sentences about a named person in the
categories of GDPR art. 9 and Datatilsynet, by people and professions the
first round did not use."""

import mailshape as m
import producers as p
from r2_common import CSV, DOCX, ICS, ODS, ODT, PDF, PPTX, RTF, XLSX, ZIP
from cpr import cpr, dash, space
from registry import case

# --- CPR numbers ------------------------------------------------------------

A = cpr(14, 2, 41)                 # passes, 2041
B = cpr(29, 6, 38, passes=False)   # fails modulus 11
C = cpr(3, 11, 52)
D = cpr(22, 8, 47, passes=False)
E = cpr(9, 4, 55)
F = cpr(30, 12, 39, passes=False)
G = cpr(17, 7, 44)
H = cpr(5, 10, 50, passes=False)
I = cpr(26, 3, 57)
J = cpr(11, 9, 43, passes=False)
K = cpr(2, 5, 46)
L = cpr(19, 1, 53, passes=False)
M = cpr(8, 12, 40)
N = cpr(24, 2, 49, passes=False)
O = cpr(13, 6, 56)
P2 = cpr(31, 8, 42, passes=False)
Q = cpr(6, 3, 48)
R = cpr(21, 10, 37, passes=False)
S = cpr(16, 11, 51)
T = cpr(27, 5, 45, passes=False)


@case("refuse", "cpr", "body-dash-principal", "outlook")
def _(seq):
    body = ("Kære Jonas' forældre\n\nSom aftalt på mødet i går sender jeg skolens indstilling til PPR. "
            "Jonas Holm Rasmussen, cpr. %s, går i 4.B.\n\nVenlig hilsen\nBirgitte Vang\nSkoleleder, Engskolen"
            % dash(A))
    return m.outlook(seq, "[unsecure] Indstilling til PPR", body, frm="Birgitte Vang <bv@engskolen.example>"), dash(A)


@case("refuse", "cpr", "body-bare-landlord", "webmail")
def _(seq):
    body = ("Hej\n\nLejer i lejlighed 3. th. har ikke betalt husleje siden maj. Oplysninger til inkasso:\n"
            "Navn: Tobias Skov\nCPR %s\nRestance: 23.400 kr.\n\nMvh Ejendomsselskabet Nørrelund" % B)
    return m.webmail(seq, "[unsecure] Restance - lejemål 3. th", body, frm="udlejning@noerrelund.example"), B


@case("refuse", "cpr", "body-space-doctor", "thunderbird")
def _(seq):
    body = ("Henvisning til ortopædkirurgisk ambulatorium\n\nPatient: Henriette Dal, %s\n"
            "Henvises til vurdering af højre knæ efter fald.\n\nVenlig hilsen\nLæge Anders Kold" % space(C))
    return m.thunderbird(seq, "[unsecure] Henvisning", body, frm="Lægerne Kold <klinik@kold.example>"), space(C)


@case("refuse", "cpr", "body-english-hr", "outlook")
def _(seq):
    body = ("Dear Payroll,\n\nPlease process the final settlement for Marcus Lindqvist (CPR no. %s), "
            "last working day 30 September.\n\nKind regards,\nHR Operations" % dash(D))
    return m.outlook(seq, "[unsecure] Final settlement - M. Lindqvist", body, charset="utf-8"), dash(D)


@case("refuse", "cpr", "csv-payroll", "thunderbird")
def _(seq):
    rows = "medarbejdernr;navn;cprnr;bruttoløn\r\n1042;Sofie Berg;%s;38250,00\r\n1043;Kasper Ho;%s;41100,00\r\n" % (E, dash(F))
    return m.thunderbird(seq, "[unsecure] Lønudtræk september", "Hej Lone\n\nHer er udtrækket til revisor.\n\n/Søren",
                         [("loen_2024-09.csv", rows.encode("utf-8"), CSV)]), E + " " + dash(F)


@case("refuse", "cpr", "xlsx-number-fmt-openpyxl", "openpyxl")
def _(seq):
    x = p.openpyxl_book([("Løn", [["Navn", "CPR", "Timer"], ["Ida Marker", int(G), 37]])],
                        numfmt=[("Løn", "B2", "000000-0000")])
    return m.outlook(seq, "[unsecure] Timeregistrering", "Se vedhæftede.", [("timer.xlsx", x, XLSX)]), dash(G)


@case("refuse", "cpr", "xlsx-number-leadingzero-xlsxwriter", "xlsxwriter")
def _(seq):
    x = p.xlsxwriter_book([("Ark1", [["Navn", "Personnr"], ["Oliver Friis"]])],
                          numfmt=[("Ark1", 1, 1, int(K), "0000000000")])
    return m.thunderbird(seq, "[unsecure] Adgangskort", "Til opsætning af adgangskort.", [("adgang.xlsx", x, XLSX)]), K


@case("refuse", "cpr", "xlsx-number-general-failing-openpyxl", "openpyxl")
def _(seq):
    x = p.openpyxl_book([("Data", [["id", "cpr", "afd"], [1, int(H), "Lager"]])])
    return m.webmail(seq, "[unsecure] Eksport", "Eksport fra systemet.", [("eksport.xlsx", x, XLSX)]), H


@case("refuse", "cpr", "xlsx-access-enrolment-xlsxwriter", "xlsxwriter")
def _(seq):
    rows = [["Kortnr", "Navn", "CPR-nr.", "Zone"], ["A-2291", "Maja Lund", dash(I), "B"],
            ["A-2292", "Emil Strand", space(J), "C"]]
    x = p.xlsxwriter_book([("Tilmelding", rows)], text_cols=(2,))
    return m.outlook(seq, "[unsecure] Tilmelding adgangskontrol", "Vedlagt listen til vagten.",
                     [("adgangskontrol.xlsx", x, XLSX)]), dash(I) + " " + space(J)


@case("refuse", "cpr", "xlsx-header-openpyxl", "openpyxl")
def _(seq):
    x = p.openpyxl_book([("Plan", [["Uge", "Aktivitet"], [38, "Praktik"]])], header="Borger %s" % dash(L))
    return m.outlook(seq, "[unsecure] Praktikplan", "Planen er vedhæftet.", [("praktikplan.xlsx", x, XLSX)]), dash(L)


@case("refuse", "cpr", "xlsx-comment-openpyxl", "openpyxl")
def _(seq):
    x = p.openpyxl_book([("Oversigt", [["Navn", "Status"], ["Rasmus Bo", "aktiv"]])],
                        comment=("Oversigt", "A2", "cpr %s" % M))
    return m.thunderbird(seq, "[unsecure] Status", "Bemærk kommentaren.", [("status.xlsx", x, XLSX)]), M


@case("refuse", "cpr", "xlsx-docprops-xlsxwriter", "xlsxwriter")
def _(seq):
    x = p.xlsxwriter_book([("A", [["Beløb"], [1200]])], props={"title": "Udbetaling", "comments": "Modtager %s" % dash(N)})
    return m.webmail(seq, "[unsecure] Udbetaling", "Se filen.", [("udbetaling.xlsx", x, XLSX)]), dash(N)


@case("refuse", "cpr", "ods-from-csv-libreoffice", "libreoffice")
def _(seq):
    src = "Navn,CPR,Medlem siden\nLouise Krogh,%s,2019\n" % dash(O)
    x = p.soffice("medlemmer.csv", src, "ods", infilter="CSV:44,34,76")
    return m.thunderbird(seq, "[unsecure] Medlemsliste", "Listen fra i går.", [("medlemmer.ods", x, ODS)]), dash(O)


@case("refuse", "cpr", "xlsx-from-csv-libreoffice", "libreoffice")
def _(seq):
    src = "Navn;Personnummer;Beløb\nNoah Vinther;%s;1500\n" % P2
    x = p.soffice("udbetalinger.csv", src, "xlsx", infilter="CSV:59,34,76")
    return m.outlook(seq, "[unsecure] Udbetalinger", "Hermed filen.", [("udbetalinger.xlsx", x, XLSX)]), P2


@case("refuse", "cpr", "docx-table-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Tilmelding til kursus"], table=[["Navn", "CPR"], ["Frida Møller", dash(Q)]])
    return m.outlook(seq, "[unsecure] Tilmelding", "Vedhæftet.", [("tilmelding.docx", d, DOCX)]), dash(Q)


@case("refuse", "cpr", "docx-footer-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Referat af samtale", "Samtalen forløb godt."], footer="Sagsnr. 2024-118 / %s" % space(R))
    return m.thunderbird(seq, "[unsecure] Referat", "Referatet.", [("referat.docx", d, DOCX)]), space(R)


@case("refuse", "cpr", "docx-coreprops-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Bilag til ansøgning"], props={"subject": "Ansøger %s" % S, "keywords": "bolig"})
    return m.webmail(seq, "[unsecure] Bilag", "Bilag vedlagt.", [("bilag.docx", d, DOCX)]), S


@case("refuse", "cpr", "docx-nbhyphen-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Attest"], nbhyphen=("Personnummer: " + T[:6], T[6:], " (se bilag)"))
    return m.outlook(seq, "[unsecure] Attest", "Attesten.", [("attest.docx", d, DOCX)]), dash(T)


@case("refuse", "cpr", "odt-comment-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("notat.fodt", p.fodt(["Notat om boligsag", "Ingen yderligere bemærkninger."],
                                       annotation="husk cpr %s" % dash(A)), "odt")
    return m.thunderbird(seq, "[unsecure] Notat", "Notatet.", [("notat.odt", d, ODT)]), dash(A)


@case("refuse", "cpr", "docx-footnote-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("brev.fodt", p.fodt(["Brev til borger", "Vi har modtaget din ansøgning."],
                                      footnote="Vedr. %s" % space(E)), "docx:MS Word 2007 XML")
    return m.outlook(seq, "[unsecure] Brev", "Brevet.", [("brev.docx", d, DOCX)]), space(E)


@case("refuse", "cpr", "pdf-from-odt-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("erklaering.fodt", p.fodt(["Tro- og loveerklæring", "Undertegnede Karin Lykke, %s, erklærer" % dash(C)]), "pdf")
    return m.webmail(seq, "[unsecure] Erklæring", "Underskrevet.", [("erklaering.pdf", d, PDF)]), dash(C)


@case("refuse", "cpr", "rtf-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("aftale.fodt", p.fodt(["Aftale om afdrag", "Debitor: Mikkel Ravn, %s" % dash(G)]), "rtf")
    return m.outlook(seq, "[unsecure] Afdragsaftale", "Aftalen.", [("aftale.rtf", d, RTF)]), dash(G)


@case("refuse", "cpr", "pptx-notes-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("oplaeg.fodp", p.fodp([["Sagsgennemgang", "Uge 38"]], notes="Sagen om %s tages først" % dash(K)),
                  "pptx:Impress MS PowerPoint 2007 XML")
    return m.thunderbird(seq, "[unsecure] Oplæg", "Slides.", [("oplaeg.pptx", d, PPTX)]), dash(K)


@case("refuse", "cpr", "pdf-reportlab-field", "reportlab")
def _(seq):
    d = p.reportlab_pdf(["Ansøgning om straffeattest", "Udfyld felterne."], field=("Personnummer", dash(B)))
    return m.webmail(seq, "[unsecure] Ansøgning", "Udfyldt.", [("ansoegning.pdf", d, PDF)]), dash(B)


@case("refuse", "cpr", "pdf-annotation-reportlab-pypdf", "reportlab+pypdf")
def _(seq):
    d = p.annotate(p.reportlab_pdf(["Kontoudtog", "Saldo 1.204,00"]), "tjek mod %s" % D)
    return m.outlook(seq, "[unsecure] Kontoudtog", "Se noten.", [("udtog.pdf", d, PDF)]), D


@case("refuse", "cpr", "pdf-docinfo-ttf-reportlab", "reportlab")
def _(seq):
    d = p.reportlab_pdf(["Journalnotat"], info={"title": "Journal", "subject": "Pt. %s" % dash(F)}, ttf=True)
    return m.thunderbird(seq, "[unsecure] Journalnotat", "Vedhæftet.", [("journal.pdf", d, PDF)]), dash(F)


@case("refuse", "cpr", "pdf-ps2pdf", "ghostscript")
def _(seq):
    d = p.ps2pdf(["Lønseddel september 2024", "Medarbejder: Anna Bech", "CPR: %s" % dash(M)])
    return m.outlook(seq, "[unsecure] Lønseddel", "Din lønseddel.", [("loenseddel.pdf", d, PDF)]), dash(M)


@case("refuse", "cpr", "pdf-ocr-tesseract", "tesseract")
def _(seq):
    d = p.tesseract_pdf(["Anmodning om børneattest", "Navn: Lars Kirk", "Personnummer: %s" % dash(O)])
    return m.webmail(seq, "[unsecure] Scannet anmodning", "Scannet.", [("scan_0042.pdf", d, PDF)]), dash(O)


@case("refuse", "uninspectable", "pdf-image-only-img2pdf", "img2pdf")
def _(seq):
    d = p.img2pdf(["Sygemelding", "Navn: Victor Aagaard", "CPR: %s" % dash(Q)])
    return m.thunderbird(seq, "[unsecure] Scanning", "Fra scanneren.", [("scan.pdf", d, PDF)]), dash(Q)


@case("refuse", "cpr", "docx-pandoc-table", "pandoc")
def _(seq):
    md = "# Deltagerliste\n\n| Navn | CPR |\n|---|---|\n| Alma Juul | %s |\n| Carl Eskildsen | %s |\n" % (dash(S), dash(T))
    d = p.pandoc(md, "docx")
    return m.outlook(seq, "[unsecure] Deltagere", "Listen.", [("deltagere.docx", d, DOCX)]), dash(S) + " " + dash(T)


@case("refuse", "cpr", "zip-xlsx-openpyxl", "openpyxl+zip")
def _(seq):
    x = p.openpyxl_book([("Ark", [["cpr"], [dash(I)]])])
    return m.webmail(seq, "[unsecure] Filer", "Zip vedlagt.", [("filer.zip", p.zipped([("liste.xlsx", x)]), ZIP)]), dash(I)


@case("refuse", "cpr", "forward-inline-outlook", "outlook")
def _(seq):
    return m.forward_inline(seq, "[unsecure] VS: Ny medarbejder", "Til orientering.", "Jobcenter Vest",
                            "Ny medarbejder", "Personnummer på den nye løntilskudsansatte: %s" % space(N)), space(N)


@case("refuse", "cpr", "reply-quoted-thunderbird", "thunderbird")
def _(seq):
    return m.reply_quoted(seq, "[unsecure] Re: Medlemskab", "Tak, det er registreret.", "Kirkekontoret",
                          "Vi skal bruge personnummer for indmeldelse.\n\nDet er %s.\n\nHilsen Ruth" % dash(J)), dash(J)


@case("refuse", "cpr", "forward-rfc822-thunderbird", "thunderbird")
def _(seq):
    inner = m.webmail(seq, "Adresseændring", "Min nye adresse gælder fra 1/10. CPR %s" % H)
    return m.forward_attached(seq, "[unsecure] Fwd: Adresseændring", "Videresendt.", inner), H


@case("refuse", "cpr", "ics-description-outlook", "outlook")
def _(seq):
    d = m.ics("Samtale", "Opfølgningssamtale med borger %s, medbring plan" % dash(R))
    return m.outlook(seq, "[unsecure] Invitation: Samtale", "Invitation.", [("invite.ics", d, ICS)]), dash(R)


# --- sentences about a named person -----------------------------------------

def _t(kind, technique, producer, subject, sentence, shape="outlook", doc=None):
    """Registers a term case: the sentence in the body, or in a document
    made by doc(sentence) -> (name, bytes, ctype)."""
    @case("refuse", "term:" + kind, technique, producer)
    def _(seq):
        if doc:
            att = [doc(sentence)]
            body = "Hej\n\nSe vedhæftede.\n\nMvh"
        else:
            att = []
            body = "Hej\n\n%s\n\nMvh" % sentence
        return getattr(m, shape)(seq, subject, body, att), sentence


def _docx(name):
    return lambda s: (name, p.python_docx(["Notat", s]), DOCX)


def _odt(name):
    return lambda s: (name, p.soffice(name.replace(".odt", ".fodt"), p.fodt(["Referat", s]), "odt"), ODT)


def _pdf(name):
    return lambda s: (name, p.reportlab_pdf(["Brev", s]), PDF)


def _xlsx(name):
    return lambda s: (name, p.xlsxwriter_book([("Ark1", [["Navn", "Bemærkning"], ["Se note", s]])]), XLSX)


_t("health", "body-principal-diagnosis", "outlook", "[unsecure] Om Freja i 2.A",
   "Freja Winther i 2.A har fået stillet diagnosen ADHD, og mor ønsker at skolen tager hensyn i timerne.")
_t("health", "docx-doctor-referral", "python-docx", "[unsecure] Henvisning til psykiatrien",
   "Jeg henviser hermed Niels Bruun, der siden foråret har haft svær depression og selvmordstanker.",
   doc=_docx("henvisning.docx"))
_t("health", "body-english-sickleave", "thunderbird", "[unsecure] Absence of Tom Eriksen",
   "Tom Eriksen will be on sick leave until further notice; he has been diagnosed with breast cancer and starts chemotherapy next week.",
   shape="thunderbird")
_t("health", "pdf-pregnancy", "reportlab", "[unsecure] Orlov",
   "Medarbejderen Sara Holt er gravid i 14. uge og har haft svære graviditetsgener.", doc=_pdf("orlov.pdf"))
_t("criminal", "body-police-certificate", "webmail", "[unsecure] Straffeattest",
   "Straffeattesten for Jakob Lund viser en dom for vold fra 2021 med 60 dages betinget fængsel.", shape="webmail")
_t("criminal", "odt-probation", "libreoffice", "[unsecure] Tilsyn",
   "Ahmad Karimi er løsladt på prøve og er under tilsyn af Kriminalforsorgen til næste sommer.", doc=_odt("tilsyn.odt"))
_t("union", "odt-union-minutes", "libreoffice", "[unsecure] Referat fra klubmøde",
   "Tillidsrepræsentanten oplyste, at Bente Sørensen har meldt sig ind i 3F og ønsker bisidder til mødet med ledelsen.",
   doc=_odt("klubmoede.odt"))
_t("union", "body-english-union", "outlook", "[unsecure] Disciplinary meeting",
   "Please note that Daniel Park is a member of HK and will bring his union representative to the hearing.")
_t("employment", "docx-english-termination", "python-docx", "[unsecure] Termination letter",
   "We regret to inform you, Ms. Clara Nygaard, that your employment is terminated with effect from 31 October due to repeated absence.",
   doc=_docx("termination.docx"))
_t("employment", "body-warning", "thunderbird", "[unsecure] Advarsel",
   "Peter Dahl har i dag fået en skriftlig advarsel for udeblivelse, og næste gang vil det føre til afsked.",
   shape="thunderbird")
_t("social", "docx-jobcenter-plan", "python-docx", "[unsecure] Min plan",
   "Lise Mortensen modtager kontanthjælp og er visiteret til ressourceforløb med mentorstøtte.", doc=_docx("minplan.docx"))
_t("social", "body-child-notification", "outlook", "[unsecure] Underretning",
   "Vi har modtaget en underretning om Oscar Bach på 7 år, og der er iværksat en børnefaglig undersøgelse.")
_t("debt", "body-landlord-collection", "webmail", "[unsecure] Inkasso",
   "Lejer Martin Koch er overgivet til inkasso og har en betalingsanmærkning i RKI.", shape="webmail")
_t("income", "xlsx-salary-note", "xlsxwriter", "[unsecure] Lønforhandling",
   "Hanne Thorsen får fra 1. oktober en månedsløn på 46.500 kr. plus pension.", doc=_xlsx("loen.xlsx"))
_t("religion", "body-church-membership", "thunderbird", "[unsecure] Udmeldelse",
   "Kirsten Lauridsen er meldt ud af folkekirken og er i stedet blevet optaget i den katolske menighed.",
   shape="thunderbird")
_t("religion", "pdf-english-religion", "reportlab", "[unsecure] Dietary request",
   "Yusuf Ali is a practising Muslim and asks for prayer breaks during Ramadan.", doc=_pdf("request.pdf"))
_t("sexlife", "xlsx-pride-signup", "xlsxwriter", "[unsecure] Tilmeldinger pride-netværk",
   "Jesper Mølgaard er homoseksuel og vil gerne være kontaktperson i netværket.", doc=_xlsx("pride.xlsx"))
_t("genetic", "body-dna-paternity", "webmail", "[unsecure] Svar på faderskabssag",
   "DNA-analysen viser med 99,99 % sandsynlighed at Mads Iversen er biologisk far til barnet.", shape="webmail")
_t("genetic", "body-english-genetic", "outlook", "[unsecure] Test result",
   "The genetic test confirmed that Emma Wolff carries the BRCA1 mutation.")
_t("biometric", "body-access-fingerprint", "thunderbird", "[unsecure] Adgangssystem",
   "Fingeraftrykket af Anders Brink er registreret i adgangssystemet til serverrummet.", shape="thunderbird")
_t("ethnicity", "docx-ethnicity", "python-docx", "[unsecure] Statistik",
   "Fatima Yilmaz er af kurdisk oprindelse og taler kun lidt dansk.", doc=_docx("samtale.docx"))
_t("politics", "body-politics", "outlook", "[unsecure] Kandidat",
   "Rikke Holst er medlem af Enhedslisten og stiller op til regionsrådet.")
_t("health", "pdf-ocr-health", "tesseract", "[unsecure] Scannet journal",
   "Patienten Hugo Stub har type 2 diabetes og får insulin.",
   doc=lambda s: ("journal.pdf", p.tesseract_pdf(["Journal", s]), PDF))


# --- more places and forms (second batch) -------------------------------------

U = cpr(12, 12, 54)
V = cpr(7, 7, 41, passes=False)
W2 = cpr(28, 2, 39)


@case("refuse", "cpr", "pdf-annotation-dash-reportlab-pypdf", "reportlab+pypdf")
def _(seq):
    d = p.annotate(p.reportlab_pdf(["Udbetalingsoversigt", "Beløb 3.200,00"]), "modtager %s" % dash(V))
    return m.outlook(seq, "[unsecure] Oversigt", "Se min note.", [("oversigt.pdf", d, PDF)]), dash(V)


@case("refuse", "cpr", "xlsx-second-sheet-escaped-xlsxwriter", "xlsxwriter")
def _(seq):
    x = p.xlsxwriter_book([("Forside", [["Lønkørsel oktober"]]), ("Detaljer", [["Navn", "CPR"], ["Ulla Brandt"]])],
                          numfmt=[("Detaljer", 1, 1, int(U), "000000\\-0000")])
    return m.thunderbird(seq, "[unsecure] Lønkørsel", "Detaljer på ark 2.", [("loenkoersel.xlsx", x, XLSX)]), dash(U)


@case("refuse", "cpr", "docx-header-english-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Reference letter", "To whom it may concern."], header="Employee CPR: %s" % space(W2))
    return m.outlook(seq, "[unsecure] Reference", "Attached.", [("reference.docx", d, DOCX)], charset="utf-8"), space(W2)


@case("refuse", "cpr", "pptx-slide-table-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("hold.fodp", p.fodp([["Holdliste svømning", "Viggo Krag %s" % dash(U)]]),
                  "pptx:Impress MS PowerPoint 2007 XML")
    return m.webmail(seq, "[unsecure] Holdliste", "Slides.", [("hold.pptx", d, PPTX)]), dash(U)


@case("refuse", "cpr", "body-html-cpr-colon", "outlook")
def _(seq):
    return m.outlook(seq, "[unsecure] Barselsdagpenge", "Hej\n\nAnsøgning om barselsdagpenge for Nanna Eriksen (cpr.nr.:%s)."
                     % dash(W2)), dash(W2)


_t("health", "body-autism-school", "outlook", "[unsecure] Mathilde",
   "Mathilde i 6.C er blevet udredt på børnepsyk og har fået en autismediagnose.")
_t("health", "body-psych-admission", "thunderbird", "[unsecure] Kim",
   "Kim Vestergaard er indlagt på psykiatrisk afdeling efter et psykotisk sammenbrud.", shape="thunderbird")
_t("health", "body-english-stroke", "outlook", "[unsecure] Update on Lena",
   "Lena Fischer was admitted to hospital on Sunday after a stroke and will be away for months.")
_t("health", "docx-alcohol", "python-docx", "[unsecure] Fraværssamtale",
   "Det kom frem under samtalen, at Bjarne Holm er i behandling for alkoholmisbrug.", doc=_docx("samtale2.docx"))
_t("criminal", "body-custody", "webmail", "[unsecure] Elev fraværende",
   "Vi har fået oplyst, at Mikkel Storm er varetægtsfængslet og sigtet for røveri.", shape="webmail")
_t("criminal", "body-english-conviction", "outlook", "[unsecure] Vetting result",
   "The vetting shows that Paul Andersen has a previous conviction for drink driving.")
_t("union", "body-metal", "thunderbird", "[unsecure] Forhandling",
   "Bo Kristiansen er medlem af Dansk Metal, så vi skal indkalde hans tillidsmand.", shape="thunderbird")
_t("social", "pdf-disability-pension", "reportlab", "[unsecure] Afgørelse",
   "Jens Hviid er tilkendt førtidspension fra 1. november.", doc=_pdf("afgoerelse.pdf"))
_t("social", "body-placement", "outlook", "[unsecure] Anbringelse",
   "Lærke, 12 år, er anbragt uden for hjemmet i en plejefamilie siden august.")
_t("employment", "body-english-dismissal", "outlook", "[unsecure] Outcome of investigation",
   "Following the investigation, Ryan Holt was dismissed for gross misconduct on Friday.")
_t("employment", "odt-summary-dismissal", "libreoffice", "[unsecure] Bortvisning",
   "Ledelsen har besluttet at bortvise Steen Lykke med øjeblikkelig virkning.", doc=_odt("bortvisning.odt"))
_t("income", "body-annual-salary", "webmail", "[unsecure] Ansættelse",
   "Den nye controller, Tine Rask, starter med en årsløn på 612.000 kr.", shape="webmail")
_t("debt", "body-wage-garnishment", "outlook", "[unsecure] Lønindeholdelse",
   "Gældsstyrelsen har varslet lønindeholdelse hos Claus Winther for hans restskat.")
_t("sexlife", "body-transgender", "thunderbird", "[unsecure] Navneskift",
   "Alex Riis er transkønnet og ønsker sit nye navn brugt i alle systemer fra mandag.", shape="thunderbird")
_t("religion", "body-jehovah", "outlook", "[unsecure] Operation",
   "Patienten Inger Dam er Jehovas Vidne og vil ikke modtage blodtransfusion.")
_t("ethnicity", "body-english-ethnicity", "outlook", "[unsecure] Interpreter",
   "Mr. Hassan Abdi is of Somali origin and needs an interpreter at the meeting.")
_t("biometric", "xlsx-face-enrolment", "xlsxwriter", "[unsecure] Ansigtsgenkendelse",
   "Ansigtsbillede af Lone Kjeldsen er indlæst til ansigtsgenkendelse ved indgangen.", doc=_xlsx("enrol.xlsx"))
_t("politics", "body-party-activist", "webmail", "[unsecure] Valgkamp",
   "Søren Brix er aktiv i Dansk Folkeparti og hænger plakater op i weekenden.", shape="webmail")


# --- third batch: where people put numbers without thinking --------------------

X2 = cpr(23, 9, 50)
Y = cpr(4, 4, 47, passes=False)


@case("refuse", "cpr", "subject-cpr", "outlook")
def _(seq):
    return m.outlook(seq, "[unsecure] Vedr. %s - journalkopi" % dash(X2), "Hej\n\nKopi af journal som aftalt.\n\nMvh"), dash(X2)


@case("refuse", "cpr", "attachment-filename-cpr", "thunderbird")
def _(seq):
    d = p.reportlab_pdf(["Lægeerklæring", "Side 1 af 1"])
    return m.thunderbird(seq, "[unsecure] Lægeerklæring", "Scannet og vedhæftet.",
                         [("laegeerklaering_%s.pdf" % dash(Y), d, PDF)]), dash(Y)


@case("refuse", "cpr", "docx-comment-libreoffice", "libreoffice")
def _(seq):
    d = p.soffice("udkast.fodt", p.fodt(["Udkast til afgørelse", "Sagen behandles i næste uge."],
                                        annotation="borgers cpr: %s" % space(X2)), "docx:MS Word 2007 XML")
    return m.outlook(seq, "[unsecure] Udkast", "Udkastet med kommentar.", [("udkast.docx", d, DOCX)]), space(X2)


@case("refuse", "cpr", "html-attachment-pandoc", "pandoc")
def _(seq):
    d = p.pandoc("# Kvittering\n\nModtaget fra **Eva Juhl**, CPR %s.\n" % dash(Y), "html")
    return m.webmail(seq, "[unsecure] Kvittering", "Se kvitteringen.", [("kvittering.html", d, "text/html")]), dash(Y)


_t("health", "body-stress-sickleave", "outlook", "[unsecure] Fravær",
   "Louise Dalgaard er sygemeldt med stress og forventer at starte op på nedsat tid i november.")
_t("health", "body-epilepsy", "thunderbird", "[unsecure] Truckcertifikat",
   "Henrik Bay har epilepsi og må derfor ikke køre truck, før lægen har godkendt det.", shape="thunderbird")
_t("health", "body-english-longcovid", "outlook", "[unsecure] Phased return",
   "John Mercer is still off work with long covid and suffers from anxiety and panic attacks.")
_t("health", "xlsx-herniated-disc", "xlsxwriter", "[unsecure] Fraværsoversigt",
   "Pia Hansen sygemeldt pga. diskusprolaps, opereres 14/10.", doc=_xlsx("fravaer.xlsx"))
_t("criminal", "body-ankle-monitor", "webmail", "[unsecure] Arbejdstider",
   "Thomas Lind afsoner med fodlænke og skal være hjemme senest kl. 19.", shape="webmail")
_t("criminal", "docx-drug-conviction", "python-docx", "[unsecure] Ansættelse",
   "Af straffeattesten fremgår det, at Kenneth Bak er dømt for narkokriminalitet i 2019.", doc=_docx("ansaettelse.docx"))
_t("union", "body-foa", "outlook", "[unsecure] Mødeindkaldelse",
   "Gitte Holm er organiseret i FOA og ønsker sin tillidsrepræsentant med til mødet.")
_t("social", "body-sickness-benefit", "thunderbird", "[unsecure] Refusion",
   "Vi søger refusion, da Morten Falk har modtaget sygedagpenge siden 2. september.", shape="thunderbird")
_t("social", "odt-housing-support", "libreoffice", "[unsecure] Bostøtte",
   "Kasper Thygesen har bostøtte efter servicelovens § 85 to gange om ugen.", doc=_odt("bostoette.odt"))
_t("employment", "body-dismissal-cooperation", "outlook", "[unsecure] Opsigelse",
   "Vibeke Sand er opsagt på grund af samarbejdsvanskeligheder, og hun er fritstillet fra i dag.")
_t("income", "body-raise", "thunderbird", "[unsecure] Lønregulering",
   "Fra 1. januar hæves Anders Juuls løn til 52.000 kr. om måneden.", shape="thunderbird")
_t("debt", "body-tax-debt", "webmail", "[unsecure] Gæld",
   "Nina Bruhn har en gæld på 180.000 kr. til Skattestyrelsen og ønsker en afdragsordning.", shape="webmail")
_t("sexlife", "body-english-gay", "outlook", "[unsecure] Confidential",
   "In our talk, Lucas Meyer told me he is gay and has not told his team.")
_t("religion", "body-converted", "thunderbird", "[unsecure] Fridage",
   "Simon Krag er konverteret til islam og ønsker fri til eid.", shape="thunderbird")
_t("genetic", "pdf-familial-cholesterol", "reportlab", "[unsecure] Prøvesvar",
   "Gentesten viser arvelig kolesterolforhøjelse hos Bent Lauritsen.", doc=_pdf("proevesvar.pdf"))
