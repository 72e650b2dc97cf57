"""Held-out messages carrying a sensitive sentence about a named person,
in the words of caseworkers, HR staff and medical secretaries, one or two
per GDPR art. 9 / Datatilsynet category, in varied places."""

import mailshape as M
import producers as P
from cases_cpr import DOCX, ODT, PDF, XLSX
from registry import case

RTF = "application/rtf"
HTML = "text/html"


def greet(s, sign="Mette"):
    return "Hej Peter\n\n%s\n\nVenlig hilsen\n%s" % (s, sign)


def greet_en(s, sign="Mette"):
    return "Hi Peter,\n\n%s\n\nBest regards,\n%s" % (s, sign)


S = {
    "health1": "Birgitte Holm er sygemeldt med en diskusprolaps og bliver opereret i uge 12, så hun er væk mindst en måned.",
    "health2": "Karsten Lund has been diagnosed with type 2 diabetes and needs short breaks during his shifts to check his blood sugar.",
    "health3": "Hanne Vestergaard går til samtaler hos psykiater på grund af sin depression, og lægen anbefaler nedsat tid i tre måneder.",
    "health4": "Jonas Bech har fået konstateret epilepsi og må derfor ikke køre truck, før neurologen har godkendt det.",
    "health5": "Mads Kjær er startet i ambulant behandling for sit alkoholmisbrug og møder derfor først kl. 10 om tirsdagen.",
    "health6": "Sarah Quinn told me she is pregnant and her midwife has signed her off for two weeks because of high blood pressure.",
    "union1": "Til orientering er Morten Dahl medlem af 3F, og han har bedt om, at hans tillidsmand deltager i mødet på torsdag.",
    "union2": "Sofie Brandt mentioned that she joined Unison last spring and would like her union rep at the hearing.",
    "ethnicity": "Familien Hassan er af somalisk oprindelse, og moren har brug for tolk, når vi holder møde om Amirs skolegang.",
    "ethnicity_en": "On the monitoring form Ms Okafor describes her ethnic background as Black British (Nigerian).",
    "politics": "Jesper Kragh stiller op for Enhedslisten til kommunalvalget og har søgt om tjenestefri i valgkampen.",
    "religion": "Fatima Ali er muslim og faster under ramadanen, så hun vil gerne bytte sine aftenvagter i marts.",
    "religion_en": "Daniel Rosen is Jewish and has asked for Yom Kippur off, so please keep him off the rota that day.",
    "sexlife": "Thomas Krog fortalte mig i fortrolighed, at han er homoseksuel og ikke er sprunget ud over for kollegerne endnu.",
    "sexlife_en": "Alex Moreno is transgender and has started hormone treatment; please update the name on the door sign.",
    "biometric": "Vedhæftet er Camilla Riis' fingeraftryk og ansigtsbillede til det nye adgangssystem; slet filerne efter indlæsning.",
    "genetic": "Gentesten viste, at Louise Mortensen bærer en BRCA1-mutation, og hun er henvist til arvelighedsundersøgelse.",
    "genetic_en": "Robert Hale's genetic test confirmed that he carries the Huntington's gene, which he has not told his employer.",
    "criminal": "Nikolaj Bergs straffeattest viser en dom for vold fra 2019 med 60 dages betinget fængsel.",
    "criminal_en": "Gary Mills was convicted of drink-driving in 2021 and lost his licence for eighteen months.",
    "income": "Anne Sørensens løn stiger fra 38.500 kr. til 41.200 kr. om måneden fra 1. april.",
    "income_en": "Claire Dawson's salary goes up to £47,300 a year from April, plus a 6% bonus.",
    "debt": "Michael Friis skylder 84.000 kr. til Gældsstyrelsen, og der er nu sat lønindeholdelse i gang.",
    "debt_en": "Tom Harper has fallen behind on his rent and has a county court judgment of £6,200 against him.",
    "employment": "Rikke Holt har fået en skriftlig advarsel for gentagne udeblivelser og bliver opsagt, hvis det sker igen.",
    "employment_en": "We are dismissing Paul Grant for gross misconduct with effect from Friday.",
    "social": "Lene Dam er på kontanthjælp, og sagen om anbringelse af hendes to børn skal for børn og unge-udvalget.",
    "social_en": "Kevin Walsh's son is now subject to a child protection plan after the strategy meeting on Monday.",
}


def t(expect, cat, technique, producer):
    return case(expect, "term:" + cat, technique, producer)


@t("refuse", "health", "body-html", "outlook")
def health1(n):
    return M.outlook(n, "[unsecure] Fravær i teamet", greet(S["health1"])), S["health1"]


@t("refuse", "health", "body-flowed", "thunderbird")
def health2(n):
    return M.thunderbird(n, "[unsecure] Shift arrangements", greet_en(S["health2"], "Søren")), S["health2"]


@t("refuse", "health", "docx-body", "python-docx")
def health3(n):
    d = P.python_docx(["Notat fra personalemøde", S["health3"], "Ny status aftales i maj."])
    return M.outlook(n, "[unsecure] Notat", greet("Notatet ligger vedhæftet."), [("notat.docx", d, DOCX)]), S["health3"]


@t("refuse", "health", "pdf-body", "libreoffice")
def health4(n):
    pdf = P.soffice("arbejdsmiljo.fodt", P.fodt(["Arbejdsmiljørunde, lager", S["health4"]]), "pdf")
    return M.webmail(n, "[unsecure] arbejdsmiljø", "Referatet vedhæftet.", [("runde.pdf", pdf, PDF)]), S["health4"]


@t("refuse", "health", "xlsx-cell", "xlsxwriter")
def health5(n):
    x = P.xlsxwriter_book([("Fremmøde", [["Navn", "Bemærkning"], ["Mads Kjær", S["health5"]], ["Eva Dal", "Ferie uge 9"]])])
    return M.outlook(n, "[unsecure] Fremmødeliste", greet("Listen."), [("fremmoede.xlsx", x, XLSX)]), S["health5"]


@t("refuse", "health", "reply-quoted", "thunderbird")
def health6(n):
    return M.reply_quoted(n, "[unsecure] Re: cover for Sarah", "Thanks, I'll find cover.\n\nSøren", "Jane Ford",
                          "Hi Søren,\n\n%s\n\nJane" % S["health6"]), S["health6"]


@t("refuse", "union", "body-html", "outlook")
def union1(n):
    return M.outlook(n, "[unsecure] Møde torsdag", greet(S["union1"])), S["union1"]


@t("refuse", "union", "docx-comment", "libreoffice")
def union2(n):
    d = P.soffice("hearing.fodt", P.fodt(["Disciplinary hearing: agenda", "1. Welcome 2. Allegations 3. Response"],
                                         annotation=S["union2"]), "docx:MS Word 2007 XML")
    return M.thunderbird(n, "[unsecure] Hearing agenda", "Agenda with my note.\n\nSøren",
                         [("agenda.docx", d, DOCX)]), S["union2"]


@t("refuse", "ethnicity", "odt-body", "libreoffice")
def ethnicity(n):
    o = P.soffice("skole.fodt", P.fodt(["Forberedelse af skolemøde", S["ethnicity"]]), "odt")
    return M.outlook(n, "[unsecure] Skolemøde", greet("Til forberedelse."), [("skolemoede.odt", o, ODT)]), S["ethnicity"]


@t("refuse", "ethnicity", "body-plain", "webmail")
def ethnicity_en(n):
    return M.webmail(n, "[unsecure] monitoring form", "Hello,\n\n%s\n\nRegards\nHR" % S["ethnicity_en"]), S["ethnicity_en"]


@t("refuse", "politics", "forward-inline", "outlook")
def politics(n):
    return M.forward_inline(n, "[unsecure] VS: Tjenestefri", "Til din orientering.", "Jens Lyng <jl@kommune.example>",
                            "Tjenestefri", S["politics"]), S["politics"]


@t("refuse", "religion", "ics-description", "outlook")
def religion(n):
    c = M.ics("Vagtplan marts", "Gennemgang af vagtplanen. " + S["religion"])
    return M.outlook(n, "[unsecure] Vagtplan marts", "Invitation.", [("invite.ics", c, "text/calendar; method=REQUEST")]), S["religion"]


@t("refuse", "religion", "pdf-body", "reportlab")
def religion_en(n):
    pdf = P.reportlab_pdf(["Rota notes, week 40", S["religion_en"][:60], S["religion_en"][60:]])
    return M.outlook(n, "[unsecure] Rota notes", greet_en("Notes attached."), [("rota.pdf", pdf, PDF)]), S["religion_en"]


@t("refuse", "sexlife", "body-flowed", "thunderbird")
def sexlife(n):
    return M.thunderbird(n, "[unsecure] Fortroligt", "Hej Mette\n\n%s Jeg skriver det kun, så du ved det før "
                         "samtalen.\n\nSøren" % S["sexlife"]), S["sexlife"]


@t("refuse", "sexlife", "docx-header", "python-docx")
def sexlife_en(n):
    d = P.python_docx(["Facilities request", "Door sign in room 2.14"], header=S["sexlife_en"])
    return M.webmail(n, "[unsecure] facilities request", "See attached.", [("request.docx", d, DOCX)]), S["sexlife_en"]


@t("refuse", "biometric", "body-html", "outlook")
def biometric(n):
    return M.outlook(n, "[unsecure] Adgangskort", greet(S["biometric"])), S["biometric"]


@t("refuse", "genetic", "pdf-ps2pdf", "ghostscript")
def genetic(n):
    pdf = P.ps2pdf(["Henvisning", S["genetic"][:58], S["genetic"][58:]])
    return M.outlook(n, "[unsecure] Henvisning", greet("Henvisningen."), [("henvisning.pdf", pdf, PDF)]), S["genetic"]


@t("refuse", "genetic", "forward-rfc822", "thunderbird")
def genetic_en(n):
    inner = M.outlook(n, "Confidential", greet_en(S["genetic_en"], "Dr Singh"))
    return M.forward_attached(n, "[unsecure] Fwd: Confidential", "FYI.\n\nSøren", inner), S["genetic_en"]


@t("refuse", "criminal", "xlsx-second-sheet", "openpyxl")
def criminal(n):
    x = P.openpyxl_book([("Ansøgere", [["Navn", "Status"], ["Nikolaj Berg", "Samtale"]]),
                         ("Noter", [["Note"], [S["criminal"]]])])
    return M.outlook(n, "[unsecure] Ansøgere", greet("Oversigten."), [("ansoegere.xlsx", x, XLSX)]), S["criminal"]


@t("refuse", "criminal", "pdf-ocr", "tesseract")
def criminal_en(n):
    pdf = P.tesseract_pdf(["Vetting note", "Gary Mills was convicted of drink-driving", "in 2021 and lost his licence for eighteen months."], "eng")
    return M.thunderbird(n, "[unsecure] Vetting note (scan)", "Scanned.\n\nSøren", [("scan0107.pdf", pdf, PDF)]), S["criminal_en"]


@t("refuse", "income", "docx-table", "python-docx")
def income(n):
    d = P.python_docx(["Lønændringer pr. 1. april"], table=[["Medarbejder", "Bemærkning"], ["Anne Sørensen", S["income"]]])
    return M.outlook(n, "[unsecure] Lønændringer", greet("Til lønkørslen."), [("loenaendringer.docx", d, DOCX)]), S["income"]


@t("refuse", "income", "body-html", "outlook")
def income_en(n):
    return M.outlook(n, "[unsecure] Payroll update", greet_en(S["income_en"])), S["income_en"]


@t("refuse", "debt", "rtf-body", "libreoffice")
def debt(n):
    r = P.soffice("debt.fodt", P.fodt(["Notat", S["debt"]]), "rtf")
    return M.outlook(n, "[unsecure] Notat om løn", greet("Notatet."), [("notat.rtf", r, RTF)]), S["debt"]


@t("refuse", "debt", "body-plain", "webmail")
def debt_en(n):
    return M.webmail(n, "[unsecure] tenancy", "Hello,\n\n%s\n\nHousing team" % S["debt_en"]), S["debt_en"]


@t("refuse", "employment", "pdf-annotation", "reportlab+pypdf")
def employment(n):
    pdf = P.annotate(P.reportlab_pdf(["Personalesag", "Se bemærkning."]), S["employment"])
    return M.thunderbird(n, "[unsecure] Personalesag", "Med kommentar.\n\nSøren", [("sag.pdf", pdf, PDF)]), S["employment"]


@t("refuse", "employment", "zip-docx", "pandoc+zip")
def employment_en(n):
    d = P.pandoc("# Decision\n\n%s\n" % S["employment_en"], "docx")
    z = P.zipped([("decision.docx", d)])
    return M.outlook(n, "[unsecure] Decision", greet_en("Zipped."), [("decision.zip", z, "application/zip")]), S["employment_en"]


@t("refuse", "social", "html-attachment", "pandoc")
def social(n):
    h = P.pandoc("## Dagsorden\n\n1. %s\n" % S["social"], "html")
    return M.webmail(n, "[unsecure] dagsorden", "Dagsordenen.", [("dagsorden.html", h, HTML)]), S["social"]


@t("refuse", "social", "body-html", "outlook")
def social_en(n):
    return M.outlook(n, "[unsecure] Update", greet_en(S["social_en"])), S["social_en"]
