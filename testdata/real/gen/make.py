#!/usr/bin/python3
"""Regenerate the real-producer corpus (testdata/real): attachments written
by LibreOffice, python3-docx, python3-openpyxl, python3-xlsxwriter,
python3-reportlab, python3-pypdf, Ghostscript, img2pdf, tesseract and pandoc,
wrapped in mail shaped as Outlook 365, Thunderbird and web systems write it.

Run through make.sh (Debian 12, the packages listed there). Writes the .eml
files and LABELS.tsv into the directory given as the first argument."""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import content as C  # noqa: E402
import flat  # noqa: E402
import libs  # noqa: E402
import mail as M  # noqa: E402

CLIENTS = ["outlook", "thunderbird", "web"]
FILLER = ["Hermed notatet fra mødet i tirsdags til orientering.",
          "Kontoret er lukket fredag, men sagen kan behandles mandag.",
          "Giv lyd hvis der mangler noget."]
SHEET_ROWS = [["Navn", "Afdeling", "Telefon"], ["Mette Holm", "Økonomi", "3312 4567"],
              ["Jens Villadsen", "IT", "3312 4568"]]
SHEET_SHORT = {
    "health": "Holm sygemelding", "employment": "Villadsen afskedigelse", "criminal": "Rasouli straffeattest",
    "debt": "Brandt lønindeholdelse", "income": "Lønsedler marts", "union": "Fagforeningskontingent",
    "social": "Frost kontanthjælp", "religion": "Frost religion", "ethnicity": "Juhl etnicitet",
    "sexlife": "Aagaard seksualitet", "biometric": "Fingeraftryk ansatte", "genetic": "Damgaard gentest",
}


class Corpus:
    def __init__(self, out, tmp):
        self.out, self.tmp = out, tmp
        self.items = []  # dicts: name, expect, reason, technique, producer, build
        self.lo = {}  # (src ext, target) -> list of (stem, source text)
        self.n = 0

    def add(self, technique, producer, reason, build):
        """Adds a message; its payload is the text last made by payload()
        or sheet_payload() (LAST), recorded in PAYLOADS.tsv."""
        self.n += 1
        kind = reason.replace("term:", "").replace("none", "ok")
        name = "%s-%s-%s-%03d.eml" % (technique, producer, kind, self.n)
        expect = "grant" if reason == "none" else "refuse"
        self.items.append(dict(name=name, expect=expect, reason=reason, technique=technique,
                               producer=producer, build=build, payload=LAST[0] if reason not in ("none", "uninspectable") else ""))
        LAST[0] = ""
        return name

    def lo_source(self, ext, target, stem, text):
        self.lo.setdefault((ext, target), []).append((stem, text))
        return os.path.join(self.tmp, "lo", target.split(":")[0], stem + "." + target.split(":")[0])


LAST = [""]


def payload(i, cat_or_cpr, lowday=False):
    """(reason, text) for message i: a CPR sentence or a sensitive sentence."""
    if cat_or_cpr == "cpr":
        text, _ = C.cpr_sentence(i, lowday)
        LAST[0] = text
        return "cpr", text
    lang = "da" if i % 3 else "en"
    LAST[0] = C.sentence(cat_or_cpr, lang, i)
    return "term:" + cat_or_cpr, LAST[0]


_cats = [0]


def pick(i):
    """Alternate CPR numbers and the term categories, which take turns."""
    if i % 2 == 0:
        return "cpr"
    _cats[0] += 1
    return C.CATS[_cats[0] % len(C.CATS)]


def wrap(c, name, client, subject, atts, paras=None):
    return M.message(name, client, "[unsecure] " + subject, paras or ["Hej Peter,", C.FILLER_DA[len(name) % 3],
                                                                      "Venlig hilsen", "Mette"], atts)


WRITER_PLACES = ["body", "table", "header", "footer", "footnote", "endnote", "textbox", "comment", "tracked-ins",
                 "tracked-del", "hidden", "title", "subject", "keywords", "author", "custom", "field"]
CALC_PLACES = ["cell", "cell-cprtext", "numfmt", "numfmt-lowday", "sheetname", "sheet2", "hidden-sheet", "comment",
               "header", "title", "custom"]
IMPRESS_PLACES = ["body", "textbox", "notes", "comment", "hidden-slide", "slide2", "title"]
PDF_LO_PLACES = ["body", "table", "header", "footer", "footnote", "textbox", "comment", "title", "subject", "keywords"]
TARGETS = {
    "docx": "docx:MS Word 2007 XML", "odt": "odt", "rtf": "rtf",
    "pdf": 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
    "xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods", "cpdf": "pdf:calc_pdf_Export",
    "pptx": "pptx:Impress MS PowerPoint 2007 XML", "odp": "odp",
}


def lo_file(corp, src_ext, fmt, stem, text):
    target = TARGETS[fmt]
    path = corp.lo_source(src_ext, target, stem, text)
    return lambda: open(path, "rb").read()


def add_writer(corp, k):
    for fmt, places, parity in (("docx", WRITER_PLACES, 0), ("odt", WRITER_PLACES, 1),
                                ("rtf", ["body", "table", "header", "footnote", "comment", "hidden", "tracked-ins"], 0),
                                ("pdf", PDF_LO_PLACES, 1)):
        for j, place in enumerate(places):
            k += 1
            reason, text = payload(k, pick(j + parity))
            stem = "w%03d" % k
            get = lo_file(corp, "fodt", fmt, stem, flat.fodt(place, text, FILLER, "Notat"))
            tech = "%s-%s" % (fmt, place)
            client = CLIENTS[k % 3]
            fname = "Notat_%s.%s" % (place, fmt)
            corp.add(tech, "libreoffice", reason, mk_att(corp, client, "Notat", fname, get))
    for fmt, kinds in (("docx", ["minutes", "invoice", "itchange", "pressrelease"]), ("odt", ["facility", "newsletter", "minutes"]),
                       ("rtf", ["pricelist", "timetable"]), ("pdf", ["invoice", "itchange", "facility", "newsletter"])):
        for kind in kinds:
            k += 1
            lines = C.harmless(kind)
            get = lo_file(corp, "fodt", fmt, "w%03d" % k, flat.fodt("none", "", lines[1:], lines[0][:60]))
            corp.add("%s-harmless" % fmt, "libreoffice", "none",
                     mk_att(corp, CLIENTS[k % 3], kind.capitalize(), "%s.%s" % (kind, fmt), get))
    return k


def mk_att(corp, client, subject, fname, get, paras=None):
    def build(name):
        return wrap(corp, name, client, subject, [(fname, get())], paras)
    return build


def sheet_payload(k, place, j):
    if place in ("cell-cprtext", "numfmt", "numfmt-lowday"):
        num = C.cpr(2000 + k, mod11_pass=(k % 2 == 0), lowday=(place == "numfmt-lowday"))
        LAST[0] = C.fmt(num, "dash") if place == "cell-cprtext" else "%d shown as %s" % (int(num), C.fmt(num, "dash"))
        return "cpr", num, C.fmt(num, "dash")
    cat = pick(j)
    if place == "sheetname":
        if cat == "cpr":
            num = C.cpr(2000 + k, mod11_pass=(k % 2 == 0))
            LAST[0] = "Holm " + C.fmt(num, "dash")
            return "cpr", num, LAST[0]
        LAST[0] = SHEET_SHORT[cat]
        return "term:" + cat, None, SHEET_SHORT[cat]
    reason, text = payload(k, cat)
    return reason, None, text


def fods_for(place, num, text):
    rows = [list(r) for r in SHEET_ROWS]
    sheets = [["Oversigt", False, rows]]
    if place == "cell":
        rows.append(["Bemærkning", text])
    elif place == "cell-cprtext":
        rows.append(["Mette Holm", text])
    elif place in ("numfmt", "numfmt-lowday"):
        rows.append(["Mette Holm", ("cpr", num), ("date", "2024-03-11")])
    elif place == "comment":
        rows.append([("comment", text, "Se note"), "", ""])
    elif place == "sheetname":
        sheets.append([text, False, [["Noter"]]])
    elif place in ("sheet2", "hidden-sheet"):
        sheets.append(["Ark2", place == "hidden-sheet", [[text]]])
    return flat.fods(sheets, place, text, "Oversigt")


def add_calc(corp, k):
    for fmt, places, parity in (("xlsx", CALC_PLACES, 0), ("ods", CALC_PLACES, 1),
                                ("cpdf", ["cell", "numfmt-lowday", "header"], 0)):
        for j, place in enumerate(places):
            k += 1
            reason, num, text = sheet_payload(k, place, j + parity)
            get = lo_file(corp, "fods", fmt, "c%03d" % k, fods_for(place, num, text))
            ext = "pdf" if fmt == "cpdf" else fmt
            tech = "%s-%s" % ("pdf-calc" if fmt == "cpdf" else fmt, place)
            corp.add(tech, "libreoffice", reason, mk_att(corp, CLIENTS[k % 3], "Oversigt", "Oversigt.%s" % ext, get))
    for fmt, kinds in (("xlsx", ["pricelist", "invoice", "timetable", "orders"]), ("ods", ["pricelist", "orders", "minutes"]),
                       ("cpdf", ["orders"])):
        for kind in kinds:
            k += 1
            get = lo_file(corp, "fods", fmt, "c%03d" % k, harmless_sheet(kind))
            ext = "pdf" if fmt == "cpdf" else fmt
            corp.add("%s-harmless" % ("pdf-calc" if fmt == "cpdf" else fmt), "libreoffice", "none",
                     mk_att(corp, CLIENTS[k % 3], kind.capitalize(), "%s.%s" % (kind, ext), get))
    return k


ORDERS = [4512873390, 9988776655, 3300120045, 7766554433, 1090223347]  # not valid dates


def harmless_sheet(kind):
    if kind == "orders":
        rows = [["Ordrenr.", "Dato", "Beløb", "Telefon"]]
        for i, o in enumerate(ORDERS):
            rows.append([o, ("date", "2024-03-%02d" % (4 + i)), 1250.5 + i * 100, "+45 7020 30%02d" % i])
        return flat.fods([["Ordrer", False, rows], ["Kunder", False, [["Kundenr.", "Navn"], [88213, "Tømrer Hansen ApS"]]]],
                         "none", "", "Ordreliste")
    rows = [[l] for l in C.harmless(kind)]
    return flat.fods([[kind.capitalize(), False, rows], ["Ark2", False, [["Opdateret", ("date", "2024-03-11")]]]],
                     "none", "", kind.capitalize())


def add_impress(corp, k):
    for fmt, parity in (("pptx", 0), ("odp", 1)):
        for j, place in enumerate(IMPRESS_PLACES):
            k += 1
            reason, text = payload(k, pick(j + parity))
            get = lo_file(corp, "fodp", fmt, "p%03d" % k, flat.fodp(place, text, FILLER[:2], "Status"))
            corp.add("%s-%s" % (fmt, place), "libreoffice", reason,
                     mk_att(corp, CLIENTS[k % 3], "Slides", "Status.%s" % fmt, get))
    for fmt, kinds in (("pptx", ["newsletter", "itchange"]), ("odp", ["minutes"])):
        for kind in kinds:
            k += 1
            lines = C.harmless(kind)
            get = lo_file(corp, "fodp", fmt, "p%03d" % k, flat.fodp("none", "", lines[1:3], lines[0][:50]))
            corp.add("%s-harmless" % fmt, "libreoffice", "none",
                     mk_att(corp, CLIENTS[k % 3], kind.capitalize(), "%s.%s" % (kind, fmt), get))
    return k


def add_pylibs(corp, k):
    for place in ["body", "table", "header", "footer", "hidden", "title", "subject", "keywords", "author", "comments-prop"]:
        k += 1
        reason, text = payload(k, pick(k))
        data = libs.docx_python(place, text, FILLER, "Notat")
        corp.add("docx-" + place, "python-docx", reason, mk_att(corp, CLIENTS[k % 3], "Notat", "notat.docx", const(data)))
    for place in ["cell", "numfmt", "numfmt-lowday", "comment", "header", "sheet2", "hidden-sheet", "sheetname", "title",
                  "keywords"]:
        k += 1
        reason, num, text = sheet_payload(k, place, k)
        data = libs.xlsx_openpyxl(place, text, num, SHEET_ROWS)
        corp.add("xlsx-" + place, "openpyxl", reason, mk_att(corp, CLIENTS[k % 3], "Liste", "liste.xlsx", const(data)))
    for place in ["cell", "numfmt", "numfmt-lowday", "comment", "header", "textbox", "hidden-sheet", "sheetname", "title",
                  "custom", "comments-prop"]:
        k += 1
        reason, num, text = sheet_payload(k, place, k + 1)
        data = libs.xlsx_xlsxwriter(place, text, num, SHEET_ROWS)
        corp.add("xlsx-" + place, "xlsxwriter", reason, mk_att(corp, CLIENTS[k % 3], "Eksport", "eksport.xlsx", const(data)))
    for kind in ["minutes", "facility", "itchange"]:
        k += 1
        l = C.harmless(kind)
        corp.add("docx-harmless", "python-docx", "none",
                 mk_att(corp, CLIENTS[k % 3], kind, kind + ".docx", const(libs.docx_python("none", "", l[1:], l[0][:60]))))
    for kind, fn in (("pricelist", libs.xlsx_openpyxl), ("timetable", libs.xlsx_openpyxl), ("invoice", libs.xlsx_openpyxl),
                     ("pricelist", libs.xlsx_xlsxwriter), ("orders", libs.xlsx_xlsxwriter), ("newsletter", libs.xlsx_xlsxwriter)):
        k += 1
        rows = [[l] for l in C.harmless(kind)] if kind != "orders" else [["Ordrenr.", "Kundenr."]] + [[o, 88213] for o in ORDERS]
        prod = "openpyxl" if fn is libs.xlsx_openpyxl else "xlsxwriter"
        corp.add("xlsx-harmless", prod, "none",
                 mk_att(corp, CLIENTS[k % 3], kind, kind + ".xlsx", const(fn("date", "", None, rows))))
    return k


def const(data):
    return lambda: data


def add_pdfs(corp, k):
    for place, ttf in [("body", False), ("annotation", False), ("formfield", False), ("bookmark", False), ("title", False),
                       ("subject", False), ("keywords", False), ("author", False), ("body", True), ("annotation", True)]:
        k += 1
        reason, text = payload(k, pick(k))
        data = libs.pdf_reportlab(place, text, FILLER, "Notat", ttf)
        corp.add("pdf-%s%s" % (place, "-ttf" if ttf else ""), "reportlab", reason,
                 mk_att(corp, CLIENTS[k % 3], "Notat", "notat.pdf", const(data)))
    for kind, ttf in (("invoice", False), ("timetable", False), ("newsletter", True)):
        k += 1
        l = C.harmless(kind)
        corp.add("pdf-harmless", "reportlab", "none",
                 mk_att(corp, CLIENTS[k % 3], kind, kind + ".pdf", const(libs.pdf_reportlab("none", "", l[1:], l[0][:60], ttf))))
    base = libs.pdf_reportlab("none", "", FILLER, "Bilag")
    k += 1
    reason, text = payload(k, "cpr")
    inner = libs.docx_python("body", text, FILLER, "Notat")
    corp.add("pdf-embedded-docx", "pypdf", reason,
             mk_att(corp, "outlook", "Bilag", "bilag.pdf", const(libs.pdf_pypdf_embed(base, "notat.docx", inner))))
    k += 1
    reason, text = payload(k, "health")
    corp.add("pdf-embedded-txt", "pypdf", reason,
             mk_att(corp, "thunderbird", "Bilag", "bilag.pdf", const(libs.pdf_pypdf_embed(base, "note.txt", text.encode()))))
    k += 1
    reason, text = payload(k, "cpr")
    corp.add("pdf-freetext", "pypdf", reason, mk_att(corp, "web", "Bilag", "bilag.pdf", const(libs.pdf_pypdf_annot(base, text))))
    k += 1
    corp.add("pdf-harmless", "pypdf", "none",
             mk_att(corp, "outlook", "Bilag", "bilag.pdf",
                    const(libs.pdf_pypdf_embed(base, "prisliste.txt", "\n".join(C.harmless("pricelist")).encode()))))
    for place in ["body", "annotation", "bookmark", "title", "keywords"]:
        k += 1
        reason, text = payload(k, pick(k))
        data = libs.ps2pdf(libs.ps_source(place, text, FILLER, "Notat"), corp.tmp, "gs%03d" % k)
        corp.add("pdf-%s" % place, "ghostscript", reason, mk_att(corp, CLIENTS[k % 3], "Notat", "notat.pdf", const(data)))
    for kind in ("minutes", "facility"):
        k += 1
        l = C.harmless(kind)
        data = libs.ps2pdf(libs.ps_source("none", "", l[1:], l[0][:60]), corp.tmp, "gs%03d" % k)
        corp.add("pdf-harmless", "ghostscript", "none", mk_att(corp, CLIENTS[k % 3], kind, kind + ".pdf", const(data)))
    return k


def add_scans(corp, k):
    scans = [("cpr", None), ("term", "health"), ("cpr", None)]
    for kind, cat in scans:
        k += 1
        reason, text = payload(k, "cpr" if kind == "cpr" else cat)
        png = libs.scan_image(["Kommunen - Borgerservice", ""] + textwrap.wrap(text, 55) + ["", "Med venlig hilsen"],
                              corp.tmp, "s%03d" % k)
        corp.add("pdf-ocr", "tesseract", reason, mk_att(corp, CLIENTS[k % 3], "Scan", "scan.pdf", const(libs.tesseract_pdf(png, corp.tmp, "s%03d" % k))))
    for kind in ("invoice", "facility"):
        k += 1
        l = C.harmless(kind)
        png = libs.scan_image([w for x in l for w in textwrap.wrap(x, 55)], corp.tmp, "s%03d" % k)
        corp.add("pdf-ocr-harmless", "tesseract", "none",
                 mk_att(corp, CLIENTS[k % 3], "Scan", "scan.pdf", const(libs.tesseract_pdf(png, corp.tmp, "s%03d" % k))))
    for kind, lines in (("cpr", [payload(k + 1, "cpr")[1][:60]]), ("none", C.harmless("invoice")[:3])):
        k += 1
        png = libs.scan_image([w for x in lines for w in textwrap.wrap(x, 55)], corp.tmp, "s%03d" % k, dpi=100)
        corp.add("pdf-scan-notext", "img2pdf", "uninspectable",
                 mk_att(corp, CLIENTS[k % 3], "Scan", "scan.pdf", const(libs.img2pdf(png, corp.tmp, "s%03d" % k))))
    k += 1
    png = libs.scan_image(C.harmless("minutes")[:2], corp.tmp, "s%03d" % k, dpi=72)
    corp.add("png-scan", "ghostscript", "uninspectable",
             mk_att(corp, "thunderbird", "Scan", "scan.png", const(open(png, "rb").read())))
    return k


def add_pandoc(corp, k):
    for to, place in (("docx", "body"), ("docx", "table"), ("docx", "footnote"), ("odt", "body"), ("odt", "footnote"),
                      ("html", "body")):
        k += 1
        reason, text = payload(k, pick(k))
        md = "# Notat\n\n%s\n\n" % FILLER[0]
        if place == "body":
            md += text + "\n\n"
        elif place == "table":
            md += "| Dato | Emne |\n|---|---|\n| 12.03.2024 | %s |\n\n" % text
        else:
            md += "Se note.[^1]\n\n[^1]: %s\n\n" % text
        md += FILLER[1] + "\n"
        data = libs.pandoc(md, to, corp.tmp, "pd%03d" % k)
        corp.add("%s-%s" % (to if to != "html" else "html-att", place), "pandoc", reason,
                 mk_att(corp, CLIENTS[k % 3], "Notat", "notat.%s" % to, const(data)))
    for to, kind in (("docx", "itchange"), ("odt", "newsletter"), ("html", "timetable")):
        k += 1
        l = C.harmless(kind)
        md = "# %s\n\n%s\n" % (l[0], "\n\n".join(l[1:]))
        corp.add("%s-harmless" % (to if to != "html" else "html-att"), "pandoc", "none",
                 mk_att(corp, CLIENTS[k % 3], kind, "%s.%s" % (kind, to), const(libs.pandoc(md, to, corp.tmp, "pd%03d" % k))))
    return k


def add_extra(corp, k):
    """Embedded objects (LibreOffice), hidden rows and columns."""
    for fmt, j in (("docx", 0), ("odt", 1), ("docx", 1), ("odt", 0)):
        k += 1
        reason, text = payload(k, pick(j * 2 + (k % 2)))
        src = flat.odt_with_object(text, FILLER)
        corp.add("%s-embedded-object" % fmt, "libreoffice", reason,
                 mk_att(corp, CLIENTS[k % 3], "Notat", "Notat.%s" % fmt, lo_file(corp, "odt", fmt, "e%03d" % k, src)))
    k += 1
    src = flat.odt_with_object("Varenr. 1090223347 printerpapir A4: 189,00 kr.", FILLER)
    corp.add("docx-harmless", "libreoffice", "none",
             mk_att(corp, "outlook", "Prisliste", "Prisliste.docx", lo_file(corp, "odt", "docx", "e%03d" % k, src)))
    for prod, fn in (("openpyxl", libs.xlsx_openpyxl), ("xlsxwriter", libs.xlsx_xlsxwriter)):
        for place in ("hidden-row", "hidden-column"):
            k += 1
            reason, num, text = sheet_payload(k, place, k)
            corp.add("xlsx-" + place, prod, reason,
                     mk_att(corp, CLIENTS[k % 3], "Liste", "liste.xlsx", const(fn(place, text, num, SHEET_ROWS))))
    return k


def add_extra2(corp, k):
    """More harmless documents, from every producer, so that 2% of the
    harmless messages is more than one message."""
    kinds = C.H2KINDS
    makers = [
        ("docx-harmless", "libreoffice", "docx", lambda s, l: lo_file(corp, "fodt", "docx", s, flat.fodt("none", "", l[1:], l[0]))),
        ("odt-harmless", "libreoffice", "odt", lambda s, l: lo_file(corp, "fodt", "odt", s, flat.fodt("none", "", l[1:], l[0]))),
        ("pdf-harmless", "libreoffice", "pdf", lambda s, l: lo_file(corp, "fodt", "pdf", s, flat.fodt("none", "", l[1:], l[0]))),
        ("xlsx-harmless", "libreoffice", "xlsx", lambda s, l: lo_file(corp, "fods", "xlsx", s,
                                                                       flat.fods([["Ark1", False, [[x] for x in l]]], "none", "", l[0]))),
        ("ods-harmless", "libreoffice", "ods", lambda s, l: lo_file(corp, "fods", "ods", s,
                                                                     flat.fods([["Ark1", False, [[x] for x in l]]], "none", "", l[0]))),
        ("pptx-harmless", "libreoffice", "pptx", lambda s, l: lo_file(corp, "fodp", "pptx", s, flat.fodp("none", "", l[1:3], l[0]))),
        ("docx-harmless", "python-docx", "docx", lambda s, l: const(libs.docx_python("none", "", l[1:], l[0]))),
        ("xlsx-harmless", "openpyxl", "xlsx", lambda s, l: const(libs.xlsx_openpyxl("date", "", None, [[x] for x in l]))),
        ("xlsx-harmless", "xlsxwriter", "xlsx", lambda s, l: const(libs.xlsx_xlsxwriter("none", "", None, [[x] for x in l]))),
        ("pdf-harmless", "reportlab", "pdf", lambda s, l: const(libs.pdf_reportlab("none", "", l[1:], l[0], ttf=True))),
        ("pdf-harmless", "ghostscript", "pdf", lambda s, l: const(libs.ps2pdf(libs.ps_source("none", "", l[1:], l[0]), corp.tmp, s))),
        ("docx-harmless", "pandoc", "docx", lambda s, l: const(libs.pandoc("# %s\n\n%s\n" % (l[0], "\n\n".join(l[1:])), "docx", corp.tmp, s))),
    ]
    for i, (tech, prod, ext, mk) in enumerate(makers):
        for j in range(2):
            k += 1
            kind = kinds[(i + 5 * j) % len(kinds)]
            get = mk("h%03d" % k, C.HARMLESS2[kind])
            corp.add(tech, prod, "none", mk_att(corp, CLIENTS[k % 3], kind, "%s.%s" % (kind, ext), get))
    for i, client in enumerate(["outlook", "thunderbird", "web"] * 4):
        k += 1
        kind = kinds[i % len(kinds)]
        l = C.HARMLESS2[kind]
        corp.add("%s-harmless" % client, client, "none",
                 mailonly.body_msg(client, ["Hej alle,", ""] + l + ["", "Venlig hilsen", "Sekretariatet"], subject=l[0]))
    return k


def add_extra3(corp, k):
    """Messages with several attachments, larger than the milter's 64 KiB
    inline buffer, so that the corpus also goes through the streamed scan."""
    def multi(client, files):
        def build(name):
            return M.message(name, client, "[unsecure] Bilag til mødet", ["Hej Peter,", "Bilagene til mødet er vedhæftet.",
                                                                          "Venlig hilsen", "Mette"], [(fn, get()) for fn, get in files])
        return build
    minutes, prices = C.harmless("minutes"), C.harmless("pricelist")
    docx_h = const(libs.docx_python("none", "", minutes[1:], minutes[0]))
    xlsx_h = const(libs.xlsx_openpyxl("date", "", None, [[x] for x in prices]))
    pdf_h = const(libs.pdf_reportlab("none", "", C.harmless("invoice")[1:], C.harmless("invoice")[0], ttf=True))
    for client, last in (("outlook", "cpr"), ("thunderbird", "health"), ("web", "cpr")):
        k += 1
        reason, text = payload(k, last)
        pptx = lo_file(corp, "fodp", "pptx", "m%03d" % k, flat.fodp("none", "", minutes[1:3], minutes[0]))
        files = [("referat.docx", docx_h), ("oplaeg.pptx", pptx), ("priser.xlsx", xlsx_h),
                 ("notat.pdf", const(libs.pdf_reportlab("body", text, FILLER, "Notat")))]
        corp.add("multi-attachment", client, reason, multi(client, files))
    for client, first in (("outlook", docx_h), ("thunderbird", const(libs.xlsx_xlsxwriter("none", "", None, [[x] for x in minutes])))):
        k += 1
        lodocx = lo_file(corp, "fodt", "docx", "m%03d" % k, flat.fodt("none", "", prices[1:], prices[0]))
        pptx = lo_file(corp, "fodp", "pptx", "m%03d" % k, flat.fodp("none", "", prices[1:3], prices[0]))
        files = [("bilag1", first), ("prisliste.docx", lodocx), ("faktura.pdf", pdf_h), ("priser.xlsx", xlsx_h),
                 ("oplaeg.pptx", pptx)]
        files[0] = ("referat.docx" if client == "outlook" else "referat.xlsx", first)
        corp.add("multi-attachment-harmless", client, "none", multi(client, files))
    return k


sys.modules.setdefault("make", sys.modules[__name__])  # one module, also for mailonly's import
import mailonly  # noqa: E402


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    tmp = tempfile.mkdtemp(prefix="realcorpus-")
    try:
        corp = Corpus(out, tmp)
        k = 0
        # New kinds of message go at the end (add_extra), so that the names
        # of the messages before them, which KNOWN_FAILURES.tsv and reports
        # cite, do not change.
        for add in (add_writer, add_calc, add_impress, add_pylibs, add_pdfs, add_scans, add_pandoc, mailonly.add, add_extra, add_extra2, add_extra3):
            k = add(corp, k)
        run_libreoffice(corp)
        write(corp)
    finally:
        shutil.rmtree(tmp)


def run_libreoffice(corp):
    profile = "file://" + os.path.join(corp.tmp, "lo-profile")
    for (ext, target), files in sorted(corp.lo.items()):
        outdir = os.path.join(corp.tmp, "lo", target.split(":")[0])
        srcdir = os.path.join(corp.tmp, "src-" + ext + "-" + target.split(":")[0])
        os.makedirs(srcdir, exist_ok=True)
        paths = []
        for stem, text in files:
            p = os.path.join(srcdir, stem + "." + ext)
            with open(p, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            paths.append(p)
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", target,
                        "--outdir", outdir] + paths, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write(corp):
    for f in os.listdir(corp.out):
        if f.endswith(".eml"):
            os.remove(os.path.join(corp.out, f))
    rows = ["file\texpect\treason\ttechnique\tproducer"]
    for it in corp.items:
        data = it["build"](it["name"])
        with open(os.path.join(corp.out, it["name"]), "wb") as f:
            f.write(data)
        rows.append("\t".join([it["name"], it["expect"], it["reason"], it["technique"], it["producer"]]))
    with open(os.path.join(corp.out, "LABELS.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(corp.out, "PAYLOADS.tsv"), "w") as f:
        f.write("file\tpayload (the sensitive text and where the generator put it; invented)\n")
        for it in corp.items:
            if it["payload"]:
                f.write("%s\t%s\n" % (it["name"], it["payload"].replace("\t", " ")))
    print("%d messages" % len(corp.items))


if __name__ == "__main__":
    main()
