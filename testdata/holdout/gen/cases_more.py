"""More held-out messages: presentations (LibreOffice Impress), and
harmless notices whose words merely touch a sensitive category (no person
is described)."""

import mailshape as M
import producers as P
from cases_cpr import DOCX, PDF, XLSX, cpr, dash
from cases_terms import greet, greet_en
from registry import case

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODP = "application/vnd.oasis.opendocument.presentation"
J = cpr(23, 8, 44)
NOTE = "Husk: Vibeke Laursen er stadig sygemeldt med stress og deltager ikke i workshoppen."


@case("refuse", "cpr", "pptx-slide", "libreoffice")
def pptx_cpr(n):
    x = P.soffice("sag.fodp", P.fodp([["Sagsgennemgang", "Borger: Arne Thygesen", "CPR " + dash(J)]]),
                  "pptx:Impress MS PowerPoint 2007 XML")
    return M.outlook(n, "[unsecure] Slides til sagsgennemgang", greet("Slides til torsdag."),
                     [("sagsgennemgang.pptx", x, PPTX)]), dash(J)


@case("refuse", "term:health", "pptx-notes", "libreoffice")
def pptx_notes(n):
    x = P.soffice("workshop.fodp", P.fodp([["Workshop om nye arbejdsgange", "Program"], ["Tak for i dag"]], notes=NOTE),
                  "pptx:Impress MS PowerPoint 2007 XML")
    return M.thunderbird(n, "[unsecure] Workshop slides", "Slides med mine noter.\n\nSøren",
                         [("workshop.pptx", x, PPTX)]), NOTE


@case("grant", "none", "pptx-slide", "libreoffice")
def pptx_harmless(n):
    x = P.soffice("kickoff.fodp", P.fodp([["Kick-off: nyt ESDH-system", "Tidsplan", "Go-live 1. oktober"],
                                          ["Spørgsmål?"]], notes="Husk at nævne uddannelsesplanen."),
                  "pptx:Impress MS PowerPoint 2007 XML")
    return M.outlook(n, "[unsecure] Kick-off slides", greet("Slides fra kick-off."), [("kickoff.pptx", x, PPTX)]), ""


@case("grant", "none", "odp-slide", "libreoffice")
def odp_harmless(n):
    o = P.soffice("aarsmoede.fodp", P.fodp([["Årsmøde 2024", "Dagsorden", "Regnskab og budget"]]), "odp")
    return M.webmail(n, "[unsecure] årsmøde slides", "Slides.", [("aarsmoede.odp", o, ODP)]), ""


@case("grant", "none", "body-html", "outlook")
def phishing(n):
    return M.outlook(n, "[unsecure] Advarsel: falske mails", greet(
        "Cyberkriminelle sender i øjeblikket falske mails i Microsofts navn med et link til at \"bekræfte\" "
        "din adgangskode. Klik ikke på linket, men videresend mailen til it-sikkerhed.", "IT-sikkerhed")), ""


@case("grant", "none", "docx-body", "python-docx")
def windows_hello(n):
    d = P.python_docx(["Udrulning af Windows Hello", "Fra uge 14 kan du logge ind med fingeraftryk eller "
                       "ansigtsgenkendelse på de nye bærbare. Det er frivilligt, og skabelonen forlader aldrig "
                       "maskinen.", "Kontakt servicedesk ved spørgsmål."])
    return M.thunderbird(n, "[unsecure] Windows Hello", "Vejledningen.\n\nSøren", [("hello.docx", d, DOCX)]), ""


@case("grant", "none", "pdf-body", "reportlab")
def annual_report(n):
    pdf = P.reportlab_pdf(["Årsrapport 2023 - hovedtal", "Nettoomsætning: 412 mio. kr.",
                           "Koncernens gæld faldt til 1,2 mia. kr., og soliditetsgraden steg til 38 %.",
                           "Lønsummen steg 3,1 % som følge af overenskomsten."])
    return M.outlook(n, "[unsecure] Hovedtal 2023", greet("Hovedtallene til bestyrelsen."),
                     [("hovedtal.pdf", pdf, PDF)]), ""


@case("grant", "none", "body-flowed", "thunderbird")
def holidays(n):
    return M.thunderbird(n, "[unsecure] Lukkedage 2024", (
        "Hej alle\n\nKontoret holder lukket skærtorsdag, langfredag, 2. påskedag, Kristi himmelfartsdag og "
        "fredagen efter, 2. pinsedag samt mellem jul og nytår. Husk at lægge ferie ind i systemet.\n\n"
        "Venlig hilsen\nSekretariatet")), ""


@case("grant", "none", "body-html", "outlook")
def genetic_algorithm(n):
    return M.outlook(n, "[unsecure] Route optimiser results", greet_en(
        "The new route optimiser uses a genetic algorithm and cut average delivery times by 8% in the pilot. "
        "The new badge readers in depot 3 are also live now.")), ""


@case("grant", "none", "xlsx-cell", "openpyxl")
def pay_scales(n):
    x = P.openpyxl_book([("Skalaer", [["Løntrin", "Grundløn pr. måned"], [21, 28950], [31, 35320], [41, 44012]])])
    return M.outlook(n, "[unsecure] Lønskala 2024", greet("De nye lønskalaer fra overenskomsten, til intranettet."),
                     [("loenskala.xlsx", x, XLSX)]), ""


@case("grant", "none", "body-plain", "webmail")
def council_news(n):
    return M.webmail(n, "[unsecure] nyt fra byrådet", (
        "Kære beboere\n\nByrådet vedtog i går budgettet med stemmer fra alle partier undtagen ét. Der "
        "afsættes 4 mio. kr. til en ny legeplads og til renovering af svømmehallen.\n\nGrundejerforeningen")), ""


@case("grant", "none", "body-html", "outlook")
def blood_bus(n):
    return M.outlook(n, "[unsecure] Blood donation bus on Thursday", greet_en(
        "The blood donation bus will be in the car park on Thursday from 9 to 15. Anyone over 18 and in good "
        "health can register at the door; it takes about half an hour.", "Facilities")), ""
