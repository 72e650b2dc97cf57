"""Sensitive cases of the third round: CPR numbers typed the way people
type them and sentences about a named person in the categories of GDPR
art. 9 and 10 and Datatilsynet's list, written fresh for this round."""

import mailshape as m
import producers as p
from r2_common import CSV, DOCX, ICS, ODS, ODT, PDF, PPTX, RTF, XLSX, ZIP
from cpr import cpr, dash, space
from registry import case

# --- CPR numbers (invented, see cpr.py) --------------------------------------

A = cpr(7, 3, 44)
B = cpr(18, 9, 51, passes=False)
C = cpr(25, 1, 39)
D = cpr(12, 12, 46, passes=False)
E = cpr(4, 6, 53)
F = cpr(28, 2, 42, passes=False)
G = cpr(15, 8, 37)
H = cpr(9, 11, 55, passes=False)
I = cpr(20, 4, 48)
J = cpr(3, 7, 40, passes=False)
K = cpr(30, 10, 57)
L = cpr(14, 5, 45, passes=False)
M = cpr(23, 12, 50)
N = cpr(6, 2, 38, passes=False)
# more rows for the lists
P = cpr(11, 1, 41)
Q = cpr(27, 4, 52, passes=False)
R = cpr(2, 9, 47)
S = cpr(16, 3, 56, passes=False)
T = cpr(8, 8, 43)
U = cpr(31, 5, 39, passes=False)
V = cpr(19, 10, 49)
W = cpr(22, 6, 54, passes=False)
X = cpr(13, 2, 37)
Y = cpr(5, 12, 44, passes=False)
Z = cpr(24, 7, 50)
AA = cpr(17, 11, 41, passes=False)
AB = cpr(29, 3, 46)
AC = cpr(10, 10, 53, passes=False)
AD = cpr(21, 1, 57)
AE = cpr(26, 6, 40, passes=False)


@case("refuse", "cpr", "body-cprnr-colon-dentist", "outlook")
def _(seq):
    body = ("Hej Klinikken i Vejle\n\nVi overdrager journalen for Asta Mølgaard, cpr.nr.: %s, "
            "da hun flytter til Vejle 1. november.\n\nVenlig hilsen\nTandlæge Rikke Falk" % dash(A))
    return m.outlook(seq, "[unsecure] Overdragelse af journal", body, frm="Rikke Falk <rf@tandfalk.example>"), dash(A)


@case("refuse", "cpr", "body-bare-in-sentence-accountant", "webmail")
def _(seq):
    body = ("Hej Jens\n\nKan du lige rette årsopgørelsen for min svoger? Hans personnummer er %s "
            "og han hedder Villads Krogh.\n\nTak, Hanne" % B)
    return m.webmail(seq, "[unsecure] Årsopgørelse Villads", body, frm="hanne.k@post.example",
                     to="jens@revisorhuset.example"), B


@case("refuse", "cpr", "body-space-english-school", "thunderbird")
def _(seq):
    body = ("Dear Ms Holt,\n\nFor the enrolment of your daughter Freya at the international school we need "
            "her Danish civil registration number. You gave it on the phone as %s; please confirm.\n\n"
            "Best regards,\nAdmissions" % space(C))
    return m.thunderbird(seq, "[unsecure] Enrolment Freya Holt", body, frm="Admissions <adm@isaarhus.example>",
                         to="k.holt@mail.example"), space(C)


@case("refuse", "cpr", "docx-table-python-docx", "python-docx")
def _(seq):
    d = p.python_docx(["Deltagerliste, førstehjælpskursus 12. november", "Sted: Brandstationen, Ribe"],
                      table=[["Navn", "CPR", "Afdeling"], ["Nikolaj Bech", dash(D), "Drift"],
                             ["Yasmin Ørsted", E, "Køkken"], ["Gustav Lund", dash(P), "Drift"],
                             ["Sara Munk", space(Q), "Rengøring"], ["Elias Vad", R, "Køkken"]])
    return m.outlook(seq, "[unsecure] Kursusdeltagere", "Hej\n\nListen til kursusudbyderen.\n\nMvh Pia",
                     [("deltagere.docx", d, DOCX)], frm="Pia Lauge <pl@ribe-kost.example>"), \
        " ".join([dash(D), E, dash(P), space(Q), R])


@case("refuse", "cpr", "xlsx-text-cell-dots-openpyxl", "openpyxl")
def _(seq):
    x = p.openpyxl_book([("Medlemmer", [["Navn", "Personnr.", "Hold"], ["Magnus Eriksen", dash(F), "U17"],
                                       ["Lærke Juul", dash(G), "U15"], ["Anton Bisgaard", dash(S), "U17"],
                                       ["Clara Holm", dash(T), "U13"], ["Oscar Brix", U, "U15"]])])
    return m.thunderbird(seq, "[unsecure] Medlemsliste til DGI", "Hej\n\nMedlemslisten til forbundet.\n\n/Kasper",
                         [("medlemmer.xlsx", x, XLSX)], frm="Kasper Brink <kasper@vikingfc.example>"), \
        " ".join([dash(F), dash(G), dash(S), dash(T), U])


@case("refuse", "cpr", "xlsx-number-dashfmt-xlsxwriter", "xlsxwriter")
def _(seq):
    x = p.xlsxwriter_book([("Vagter", [["Navn", "CPR", "Timer"], ["Noah Dalsgaard", "", 24], ["Ditte Sand", "", 30],
                                       ["Malik Berg", "", 18]])],
                          numfmt=[("Vagter", 1, 1, int(I), "000000-0000"), ("Vagter", 2, 1, int(AC), "000000-0000"),
                                  ("Vagter", 3, 1, int(AD), "000000-0000")])
    return m.outlook(seq, "[unsecure] Vagtplan november", "Se vedhæftede vagtplan.",
                     [("vagtplan.xlsx", x, XLSX)]), " ".join([dash(I), dash(AC), dash(AD)])


@case("refuse", "cpr", "ods-from-csv-libreoffice", "libreoffice")
def _(seq):
    csv = ("Navn;CPR;Bolig\nEbba Kragh;%s;Plejebolig 14\nOle Vinther;%s;Plejebolig 9\n"
           "Grethe Bang;%s;Plejebolig 2\nArne Poulsen;%s;Plejebolig 5\nInga Thygesen;%s;Plejebolig 11\n"
           % (dash(H), dash(K), dash(V), dash(W), dash(X)))
    o = p.soffice("beboere.csv", csv, "ods", infilter="CSV:59,34,76,1")
    return m.thunderbird(seq, "[unsecure] Beboerliste", "Her er beboerlisten til apoteket.",
                         [("beboere.ods", o, ODS)], frm="Plejecenter Lindely <adm@lindely.example>"), \
        " ".join([dash(H), dash(K), dash(V), dash(W), dash(X)])


@case("refuse", "cpr", "odt-footnote-libreoffice", "libreoffice")
def _(seq):
    src = p.fodt(["Referat af samtale med Jakob Winther om boligstøtte.", "Næste møde aftales i december."],
                 footnote="Jakob Winther, cpr %s" % dash(J))
    o = p.soffice("samtale.fodt", src, "odt")
    return m.outlook(seq, "[unsecure] Referat samtale", "Referatet vedhæftet.",
                     [("samtale.odt", o, ODT)]), dash(J)


@case("refuse", "cpr", "pdf-reportlab-ttf-letter", "reportlab")
def _(seq):
    pdf = p.reportlab_pdf(["Aarhus Kommune, Borgerservice", "", "Vedr.: Sundhedskort til Søren Ågård",
                           "CPR-nummer: %s" % dash(L), "Dit nye sundhedskort sendes inden for 14 dage."], ttf=True)
    return m.webmail(seq, "[unsecure] Brev om sundhedskort", "Brevet er vedhæftet som PDF.",
                     [("brev.pdf", pdf, PDF)], frm="borgerservice@kommune.example", to="s.aagaard@mail.example"), \
        dash(L)


@case("refuse", "cpr", "pptx-slide-libreoffice", "libreoffice")
def _(seq):
    src = p.fodp([["Sagsgennemgang team Syd", "Sag 1: Ingrid Nørgaard (%s)" % dash(M), "Status: afventer",
                   "Sag 2: Poul Vestergaard (%s)" % dash(AE), "Status: lukket"]])
    o = p.soffice("gennemgang.fodp", src, "pptx")
    return m.outlook(seq, "[unsecure] Slides til teammøde", "Slides til i morgen.",
                     [("gennemgang.pptx", o, PPTX)]), dash(M) + " " + dash(AE)


@case("refuse", "cpr", "rtf-libreoffice", "libreoffice")
def _(seq):
    src = p.fodt(["Fuldmagt", "Undertegnede Lone Birk, CPR %s, giver hermed min datter fuldmagt." % space(N)])
    o = p.soffice("fuldmagt.fodt", src, "rtf")
    return m.thunderbird(seq, "[unsecure] Fuldmagt", "Fuldmagten i Word-format.",
                         [("fuldmagt.rtf", o, RTF)]), space(N)


@case("refuse", "cpr", "reply-quoted-webmail-cpr", "thunderbird")
def _(seq):
    quoted = "Hej, jeg skal bruge dit personnummer for at melde dig til.\n\nMvh Tina"
    return m.reply_quoted(seq, "[unsecure] Re: Tilmelding svømning",
                          "Hej Tina\n\nDet er %s. Jeg hedder Frederik Haahr.\n\n/Frederik" % A,
                          "Tina Svane <tina@svoemmeklub.example>", quoted), A


@case("refuse", "cpr", "zip-csv-thunderbird", "thunderbird+zip")
def _(seq):
    rows = "id,navn,cpr\n1,Aksel Bruun,%s\n2,Vera Lynge,%s\n3,Hugo Kirk,%s\n4,Alma Dyhr,%s\n5,Bjørn Aas,%s\n" % (
        E, Y, dash(Z), AA, dash(AB))
    z = p.zipped([("udtraek/borgere.csv", rows.encode("utf-8"))])
    return m.thunderbird(seq, "[unsecure] Udtræk til test", "Zip med udtræk til testmiljøet.",
                         [("udtraek.zip", z, ZIP)]), " ".join([E, Y, dash(Z), AA, dash(AB)])


# --- sentences about a named person ------------------------------------------

def _t(kind, technique, producer, subject, sentence, shape="outlook", doc=None, frm=None, lead=""):
    @case("refuse", "term:" + kind, technique, producer)
    def _(seq):
        kw = {"frm": frm} if frm else {}
        if doc:
            att = [doc(sentence)]
            body = lead or "Hej\n\nSe vedhæftede.\n\nMvh"
        else:
            att = []
            body = (lead + "\n\n" if lead else "Hej\n\n") + sentence + "\n\nVenlig hilsen"
        return getattr(m, shape)(seq, subject, body, att, **kw), sentence


def _docx(s):
    return ("notat.docx", p.python_docx(["Notat", s, "Notatet journaliseres."]), DOCX)


def _xlsx(s):
    return ("oversigt.xlsx", p.openpyxl_book([("Ark1", [["Navn", "Bemærkning"], ["se nedenfor", s]])]), XLSX)


def _xw(s):
    return ("liste.xlsx", p.xlsxwriter_book([("Liste", [["Note"], [s]])]), XLSX)


def _pdf(s):
    return ("udtalelse.pdf", p.reportlab_pdf(["Udtalelse", ""] + [s[i:i + 80] for i in range(0, len(s), 80)],
                                              ttf=True), PDF)


def _odt(s):
    return ("notat.odt", p.soffice("notat.fodt", p.fodt(["Notat", s]), "odt"), ODT)


def _pptx(s):
    return ("status.pptx", p.soffice("status.fodp", p.fodp([["Personalestatus", s]]), "pptx"), PPTX)


_t("health", "body-health-teacher", "outlook", "[unsecure] Om Malthe i 2.A",
   "Malthe Skovgaard har fået konstateret type 1-diabetes og skal måle blodsukker før frokost.")
_t("health", "docx-health-psychiatry", "python-docx", "[unsecure] Notat fra samtale",
   "Karina Vestergaard er indlagt på psykiatrisk afdeling med svær depression og forventes udskrevet om to uger.",
   doc=_docx)
_t("health", "body-health-english", "thunderbird", "[unsecure] Absence Daniel",
   "Daniel Moore is on sick leave after his cancer surgery and will start chemotherapy next week.",
   shape="thunderbird")
_t("union", "xlsx-union-openpyxl", "openpyxl", "[unsecure] Tillidsrepræsentanter",
   "Lise Abildgaard er medlem af 3F og blev valgt som tillidsrepræsentant i oktober.", doc=_xlsx)
_t("union", "body-union-webmail", "webmail", "[unsecure] Kontingent",
   "Jeg kan bekræfte at Torben Rask har meldt sig ind i fagforeningen HK og betaler kontingent fra december.",
   shape="webmail")
_t("ethnicity", "docx-ethnicity-python-docx", "python-docx", "[unsecure] Baggrund til sagen",
   "Amira Haddad er af palæstinensisk etnisk oprindelse og kom til Danmark som flygtning i 2015.", doc=_docx)
_t("politics", "body-politics-outlook", "outlook", "[unsecure] Om ny bestyrelsespost",
   "Henrik Mørch er medlem af Enhedslisten og stiller op til regionsrådsvalget for partiet.")
_t("politics", "pdf-politics-reportlab", "reportlab", "[unsecure] Indstilling",
   "Camilla Storm er aktiv i Dansk Folkeparti og har deltaget i partiets landsmøde som delegeret.", doc=_pdf)
_t("religion", "body-religion-thunderbird", "thunderbird", "[unsecure] Helligdage",
   "Yusuf Demir er muslim og ønsker fri til eid og til fredagsbøn i den lokale moské.", shape="thunderbird")
_t("religion", "odt-religion-libreoffice", "libreoffice", "[unsecure] Udmeldelse",
   "Birthe Holck har meldt sig ud af folkekirken og er konverteret til katolicismen.", doc=_odt)
_t("sexlife", "body-sexual-orientation-webmail", "webmail", "[unsecure] Fortroligt",
   "Mikkel Thorsen er homoseksuel og har bedt om, at det ikke nævnes over for kollegerne.", shape="webmail")
_t("sexlife", "docx-sexlife-english", "python-docx", "[unsecure] Complaint",
   "Peter Walsh admitted to a sexual relationship with his subordinate Anna Berg during the conference.",
   doc=_docx)
_t("biometric", "xlsx-biometric-xlsxwriter", "xlsxwriter", "[unsecure] Adgangssystem",
   "Fingeraftryk for Rasmus Kjeldsen er registreret i adgangssystemet; ansigtsgenkendelse følger.", doc=_xw)
_t("genetic", "body-genetic-outlook", "outlook", "[unsecure] Svar fra genetisk klinik",
   "Gentesten viser at Sanne Bjerre bærer en BRCA1-mutation og har øget risiko for brystkræft.")
_t("genetic", "pdf-genetic-reportlab", "reportlab", "[unsecure] DNA-analyse",
   "DNA-analysen af Louise Hald viser anlæg for arvelig hjertesygdom.", doc=_pdf)
_t("criminal", "body-criminal-outlook", "outlook", "[unsecure] Ansøger til stillingen",
   "Straffeattesten for Jonas Fisker viser en dom for vold fra 2021 med fire måneders fængsel.")
_t("criminal", "pptx-criminal-libreoffice", "libreoffice", "[unsecure] Sagsoversigt",
   "Kevin Lauridsen er sigtet for tyveri og sidder varetægtsfængslet i Vestre Fængsel.", doc=_pptx)
_t("income", "body-income-thunderbird", "thunderbird", "[unsecure] Løn til Birgit",
   "Birgit Kofoed får en månedsløn på 52.300 kr. og en bonus på 40.000 kr. i år.", shape="thunderbird")
_t("debt", "body-debt-webmail", "webmail", "[unsecure] Restgæld",
   "Anders Nyholm skylder 87.000 kr. til Gældsstyrelsen og er registreret i RKI.", shape="webmail")
_t("debt", "odt-debt-libreoffice", "libreoffice", "[unsecure] Betalingsaftale",
   "Mette Lindholm har misligholdt sin betalingsaftale og sagen er sendt til inkasso.", doc=_odt)
_t("employment", "docx-employment-python-docx", "python-docx", "[unsecure] Advarsel",
   "Simon Kvist har fået en skriftlig advarsel for gentagen udeblivelse og bliver afskediget ved næste forseelse.",
   doc=_docx)
_t("employment", "body-employment-english", "outlook", "[unsecure] Dismissal",
   "Julia Brandt was dismissed on Friday after the disciplinary hearing about her performance.")
_t("social", "body-social-outlook", "outlook", "[unsecure] Underretning",
   "Vi har modtaget en underretning om Liva Bertelsen på 6 år, og sagen behandles efter servicelovens § 50.")
_t("social", "xlsx-social-openpyxl", "openpyxl", "[unsecure] Ydelser",
   "Kim Dahl modtager kontanthjælp og har fået bevilget en bostøtte efter § 85.", doc=_xlsx)


@case("refuse", "term:health", "forward-inline-health", "outlook")
def _(seq):
    s = "Ellen Riis er sygemeldt med stress og angst og har en lægeerklæring frem til jul."
    return m.forward_inline(seq, "[unsecure] VS: Ellen", "Til orientering.",
                            "Leder Bo Friis <bf@firma.example>", "Ellen", "Hej HR\n\n" + s), s


@case("refuse", "term:criminal", "forward-rfc822-criminal", "thunderbird")
def _(seq):
    s = "Christian Lykke blev i går anholdt for spirituskørsel og har fået frakendt kørekortet."
    inner = m.outlook(seq + 1, "Christian", "Hej\n\n" + s + "\n\nMvh Vognmand Olsen")
    return m.forward_attached(seq, "[unsecure] Fwd: Christian", "Se nedenstående.", inner), s
