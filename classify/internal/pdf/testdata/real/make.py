#!/usr/bin/python3
"""Regenerates the real-producer PDF fixtures in this directory.

Each fixture is written by the real program a user's PDF comes from:
LibreOffice 7.4 (headless writer_pdf_Export, Writer and Calc; form fields
through its API), reportlab, pypdf (embedded files, as pypdf 3 writes
them), Ghostscript (ps2pdf, pdfwrite), img2pdf and tesseract (scans with
and without an OCR text layer), qpdf (pages joined). pandoc is used only
where a PDF engine is installed (none is on Debian 12 by default).

A CPR number or a sensitive term is put in one place text can live (body,
header, footer, table, comment, form field, bookmark, document properties,
embedded file, OCR layer, incremental update); the "harmless" fixtures
hold the same kind of text without personal data; a scanned page without a
text layer, alone or after a typed page, must stay unreadable.
fixtures.tsv lists what each must yield.

Run with Debian's /usr/bin/python3 (python3-reportlab, python3-docx,
python3-pypdf, python3-pil, python3-uno), libreoffice-writer and -calc,
ghostscript, img2pdf, tesseract-ocr(-dan), qpdf. The committed PDFs are
what the tests read; producers write dates and IDs, so a rerun changes
every file.
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = tempfile.mkdtemp(prefix="tlsgate-pdf-")
FIXTURES = []  # (file, expectation, needle)


def fixture(name, expect, needle):
    FIXTURES.append((name, expect, needle))


def out(name):
    return os.path.join(HERE, name)


# ---------------------------------------------------------------- LibreOffice

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
"""


def fodt(meta="", master="", body="", forms=""):
    styles = ""
    if master:
        styles = ('<office:master-styles><style:master-page style:name="Standard" '
                  'style:page-layout-name="pm1">' + master + '</style:master-page></office:master-styles>'
                  '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties '
                  'fo:page-width="21cm" fo:page-height="29.7cm"/><style:header-style/><style:footer-style/>'
                  '</style:page-layout></office:automatic-styles>')
    return (FODT_HEAD + "<office:meta>" + meta + "</office:meta>" + styles +
            "<office:body><office:text>" + forms + body + "</office:text></office:body></office:document>")


def p(text):
    return "<text:p>" + text + "</text:p>"


def soffice(src, pdf, options=None):
    filt = "pdf"
    if options:
        filt = "pdf:writer_pdf_Export:" + options
    prof = "file://" + os.path.join(TMP, "lo-profile")
    subprocess.run(["soffice", "-env:UserInstallation=" + prof, "--headless", "--convert-to", filt,
                    "--outdir", TMP, src], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = os.path.splitext(os.path.basename(src))[0] + ".pdf"
    shutil.move(os.path.join(TMP, base), out(pdf))


def lo(name, doc, expect, needle, options=None, ext="fodt"):
    src = os.path.join(TMP, name + "." + ext)
    if isinstance(doc, str):
        with open(src, "w", encoding="utf-8") as f:
            f.write(doc)
    else:
        doc.save(src)
    soffice(src, name + ".pdf", options)
    fixture(name + ".pdf", expect, needle)


NOTES = '{"ExportNotes":{"type":"boolean","value":"true"}}'
FORMS = '{"ExportFormFields":{"type":"boolean","value":"true"}}'

HARMLESS_DA = ("Hej Bente. Tak for mødet i går; faktura 2024-00123 på kr. 12.500,00 er betalt til "
               "reg.nr. 1234 konto 0012345678. Ring på +45 33 12 34 56. Mødet er den 01.02.2025 kl. 10.")


def libreoffice():
    lo("lo-body-cpr", fodt(body=(
        "<text:h text:outline-level=\"1\">Sagsnotat</text:h>" +
        p("Søren Ærø Østergård fra Århus, CPR-nr. 010190-1234, har søgt om hjælp.") +
        p("Æble, øl og å: æøåÆØÅé ü ß – “citat” € 100.") +
        "<table:table table:name=\"T\"><table:table-column table:number-columns-repeated=\"2\"/>"
        "<table:table-row><table:table-cell><text:p>Navn</text:p></table:table-cell>"
        "<table:table-cell><text:p>Personnummer 120385-5678</text:p></table:table-cell></table:table-row>"
        "</table:table>")), "cpr", "010190-1234")
    lo("lo-table-cpr", fodt(body=(
        p("Oversigt over medarbejdere.") +
        "<table:table table:name=\"T\"><table:table-column table:number-columns-repeated=\"2\"/>"
        "<table:table-row><table:table-cell><text:p>Hansen</text:p></table:table-cell>"
        "<table:table-cell><text:p>120385-5678</text:p></table:table-cell></table:table-row>"
        "</table:table>")), "cpr", "120385-5678")
    lo("lo-harmless", fodt(
        meta="<dc:title>Mødereferat</dc:title>",
        master="<style:header><text:p>Firma A/S – fortroligt internt</text:p></style:header>",
        body="<text:h text:outline-level=\"1\">Referat</text:h>" + p(HARMLESS_DA) + p("Æble, øl og å.")),
        "clean", "faktura 2024-00123")
    lo("lo-footer-term", fodt(
        master="<style:footer><text:p>Bilag: lægeerklæring om diabetes</text:p></style:footer>",
        body=p("Se venligst bilaget.")), "term", "diabetes")
    lo("lo-header-cpr", fodt(
        master="<style:header><text:p>Vedr. borger 010190-1234</text:p></style:header>",
        body=p("Se venligst bilaget.")), "cpr", "010190-1234")
    lo("lo-comment-cpr", fodt(body=(
        "<text:p>Se notatet.<office:annotation><dc:creator>Sagsbehandler</dc:creator>"
        "<text:p>Husk CPR 010190-1234</text:p></office:annotation></text:p>")),
        "cpr", "010190-1234", NOTES)
    lo("lo-comment-harmless", fodt(body=(
        "<text:p>Se notatet.<office:annotation><dc:creator>Sagsbehandler</dc:creator>"
        "<text:p>Husk faktura 2024-00123</text:p></office:annotation></text:p>")),
        "clean", "2024-00123", NOTES)
    lo("lo-title-cpr", fodt(
        meta="<dc:title>Sag 010190-1234</dc:title><dc:subject>Ansøgning</dc:subject>",
        body=p("Se venligst bilaget.")), "cpr", "010190-1234")
    lo("lo-keywords-term", fodt(
        meta="<dc:title>Notat</dc:title><meta:keyword>straffeattest</meta:keyword>",
        body=p("Se venligst bilaget.")), "term", "straffeattest")
    long_body = "".join("<text:h text:outline-level=\"1\">Afsnit %d</text:h>" % i + p(HARMLESS_DA) * 12
                        for i in range(1, 41))
    lo("lo-long-harmless", fodt(meta="<dc:title>Årsrapport</dc:title>", body=long_body), "clean", "Afsnit 40")
    for name, rows, expect, needle in (
            ("lo-calc-cpr", "Navn;CPR\nHansen;\"010190-1234\"\nJensen;\"120385-5678\"\n", "cpr", "010190-1234"),
            ("lo-calc-harmless", "Vare;Antal;Pris\n4711-0815;12;1.250,00\nFaktura;2024-00123;\n", "clean", "4711-0815")):
        src = os.path.join(TMP, name + ".csv")
        with open(src, "w", encoding="utf-8") as f:
            f.write(rows)
        prof = "file://" + os.path.join(TMP, "lo-profile")
        subprocess.run(["soffice", "-env:UserInstallation=" + prof, "--headless", "--infilter=CSV:59,34,76,1,1/2/2/2/3/2",
                        "--convert-to", "pdf", "--outdir", TMP, src], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.move(os.path.join(TMP, name + ".pdf"), out(name + ".pdf"))
        fixture(name + ".pdf", expect, needle)
    import docx
    d = docx.Document()
    d.core_properties.title = "Personalesag"
    d.add_heading("Personalesag", 1)
    d.add_paragraph("Medarbejderen er sygemeldt med diabetes og har fremsendt lægeerklæring.")
    d.sections[0].footer.paragraphs[0].text = "Side 1"
    lo("lo-docx-term", d, "term", "diabetes", ext="docx")
    d = docx.Document()
    d.add_heading("Ordrebekræftelse", 1)
    d.add_paragraph(HARMLESS_DA)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Varenr.", "Antal"
    t.cell(1, 0).text, t.cell(1, 1).text = "4711-0815", "12"
    lo("lo-docx-harmless", d, "clean", "Ordrebekræftelse", ext="docx")


def lo_forms():
    """Form fields need a form control, which only LibreOffice's API makes
    (python3-uno): a Writer document with a text field, exported with
    ExportFormFields."""
    import time
    import uno
    from com.sun.star.awt import Size
    from com.sun.star.beans import PropertyValue

    def prop(n, v):
        p = PropertyValue()
        p.Name, p.Value = n, v
        return p
    pipe = "tlsgatepdf%d" % os.getpid()
    proc = subprocess.Popen(["soffice", "-env:UserInstallation=file://" + os.path.join(TMP, "lo-uno"), "--headless",
                             "--invisible", "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    for name, label, value, expect, needle in (
            ("lo-form-cpr.pdf", "CPR-nummer: ", "010190-1234", "cpr", "010190-1234"),
            ("lo-form-term.pdf", "Helbred: ", "diabetes", "term", "diabetes"),
            ("lo-form-harmless.pdf", "Fakturanummer: ", "2024-00123", "clean", "2024-00123")):
        doc = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, (prop("Hidden", True),))
        text = doc.Text
        text.insertString(text.End, label, False)
        model = doc.createInstance("com.sun.star.form.component.TextField")
        model.Name = "felt"
        model.Text = value
        shape = doc.createInstance("com.sun.star.drawing.ControlShape")
        shape.Size = Size(6000, 800)
        shape.Control = model
        shape.AnchorType = uno.Enum("com.sun.star.text.TextContentAnchorType", "AS_CHARACTER")
        text.insertTextContent(text.End, shape, False)
        data = uno.Any("[]com.sun.star.beans.PropertyValue", (prop("ExportFormFields", True),))
        doc.storeToURL("file://" + out(name), (prop("FilterName", "writer_pdf_Export"), prop("FilterData", data)))
        doc.close(True)
        fixture(name, expect, needle)
    try:
        desktop.terminate()
    except Exception:
        pass
    proc.wait(timeout=60)


# ------------------------------------------------------------------ reportlab

def reportlab():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    def doc(name, draw, expect, needle, **info):
        c = canvas.Canvas(out(name), pagesize=A4, invariant=1)
        for k, v in info.items():
            getattr(c, "set" + k)(v)
        draw(c)
        c.showPage()
        c.save()
        fixture(name, expect, needle)

    doc("rl-body-cpr.pdf", lambda c: (c.setFont("Helvetica", 12),
        c.drawString(72, 760, "Søren Ærø, CPR-nr. 010190-1234, Åbenrå"),
        c.drawString(72, 740, "æøåÆØÅé – “citat” € 100")), "cpr", "010190-1234")
    doc("rl-harmless.pdf", lambda c: (c.setFont("Times-Roman", 12),
        c.drawString(72, 760, HARMLESS_DA[:90]), c.drawString(72, 740, HARMLESS_DA[90:])), "clean", "faktura 2024-00123")
    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    doc("rl-ttf-cpr.pdf", lambda c: (c.setFont("DejaVu", 12),
        c.drawString(72, 760, "Østergård Ærø: personnummer 120385-5678 (sag)"),
        c.drawString(72, 740, "Æble, øl og å – þ ð ł ő")), "cpr", "120385-5678")
    doc("rl-ttf-harmless.pdf", lambda c: (c.setFont("DejaVu", 12),
        c.drawString(72, 760, HARMLESS_DA[:90]), c.drawString(72, 740, HARMLESS_DA[90:])), "clean", "faktura 2024-00123")

    def field(value):
        def draw(c):
            c.setFont("Helvetica", 12)
            c.drawString(72, 760, "Ansøgningsskema")
            c.acroForm.textfield(name="nummer", tooltip="Udfyld feltet", value=value, x=72, y=700, width=200, height=20)
            c.acroForm.checkbox(name="samtykke", tooltip="Samtykke", x=72, y=660, checked=True)
        return draw
    doc("rl-form-cpr.pdf", field("010190-1234"), "cpr", "010190-1234")
    doc("rl-form-harmless.pdf", field("Faktura 2024-00123"), "clean", "2024-00123")

    def tooltip(c):
        c.setFont("Helvetica", 12)
        c.drawString(72, 760, "Ansøgningsskema")
        c.acroForm.textfield(name="f1", tooltip="Oplys om De har diabetes", value="", x=72, y=700, width=200, height=20)
    doc("rl-form-tooltip-term.pdf", tooltip, "term", "diabetes")

    def annot(text):
        def draw(c):
            c.setFont("Helvetica", 12)
            c.drawString(72, 760, "Se kommentaren.")
            c.textAnnotation(text, Rect=(72, 700, 100, 720), addtopage=1)
        return draw
    doc("rl-annot-term.pdf", annot("Borgeren har diabetes og straffeattest"), "term", "diabetes")
    doc("rl-annot-harmless.pdf", annot("Husk faktura 2024-00123"), "clean", "2024-00123")

    def outline(title):
        def draw(c):
            c.setFont("Helvetica", 12)
            c.drawString(72, 760, "Indhold")
            c.bookmarkPage("p1")
            c.addOutlineEntry(title, "p1", level=0)
            c.showOutline()
        return draw
    doc("rl-outline-cpr.pdf", outline("Sag for 010190-1234"), "cpr", "010190-1234")
    doc("rl-outline-harmless.pdf", outline("Faktura 2024-00123"), "clean", "2024-00123")
    doc("rl-info-term.pdf", lambda c: (c.setFont("Helvetica", 12), c.drawString(72, 760, "Bilag")),
        "term", "straffeattest", Title="Straffeattest", Subject="Ansættelse", Author="HR")
    doc("rl-info-cpr.pdf", lambda c: (c.setFont("Helvetica", 12), c.drawString(72, 760, "Bilag")),
        "cpr", "010190-1234", Subject="Borger 010190-1234", Title="Sag")
    doc("rl-info-harmless.pdf", lambda c: (c.setFont("Helvetica", 12), c.drawString(72, 760, "Bilag")),
        "clean", "Bilag", Title="Faktura 2024-00123", Author="Økonomi")


# ---------------------------------------------------------------------- pypdf

def pypdf_attachments():
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject
    for name, data, expect, needle in (
            ("pypdf-embedded-cpr.pdf", "Notat\nCPR-nr. 010190-1234\n", "cpr", "010190-1234"),
            ("pypdf-embedded-harmless.pdf", "Notat\nFaktura 2024-00123\n", "clean", "2024-00123")):
        w = PdfWriter()
        w.clone_reader_document_root(PdfReader(out("rl-harmless.pdf")))
        w.add_attachment("notat.txt", data.encode())
        with open(out(name), "wb") as f:
            w.write(f)
        fixture(name, expect, needle)
    # A form filled in and saved as an incremental update (PDF 7.5.6), the
    # way Acrobat saves: the new value lives only in the appended section.
    src = open(out("rl-form-harmless.pdf"), "rb").read()
    r = PdfReader(io.BytesIO(src))
    ref = r.trailer["/Root"]["/AcroForm"]["/Fields"][0]
    field = ref.get_object()
    field[NameObject("/V")] = TextStringObject("010190-1234")
    body = io.BytesIO()
    field.write_to_stream(body, None)
    start = len(src) + 1
    upd = b"\n%d 0 obj\n" % ref.idnum + body.getvalue() + b"\nendobj\n"
    xref = start + len(upd) - 1
    size = r.trailer["/Size"]
    prev = int(src[src.rindex(b"startxref") + 9:].split()[0])
    upd += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (ref.idnum, start)
    upd += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, r.trailer.raw_get("/Root").idnum, prev, xref)
    with open(out("pypdf-incremental-cpr.pdf"), "wb") as f:
        f.write(src + upd)
    fixture("pypdf-incremental-cpr.pdf", "cpr", "010190-1234")


# ---------------------------------------------------------------- Ghostscript

PS = """%%!PS-Adobe-3.0
/Helvetica findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall
/Encoding ISOLatin1Encoding def currentdict end /Helv-L1 exch definefont pop
/Times-Roman findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall
/Encoding ISOLatin1Encoding def currentdict end /Times-L1 exch definefont pop
/Helv-L1 findfont 12 scalefont setfont
72 760 moveto (%s) show
/Times-L1 findfont 12 scalefont setfont
72 740 moveto (%s) show
showpage
"""


def ps_escape(s):
    b = s.encode("latin-1")
    return "".join(chr(c) if 32 <= c < 127 and c not in b"()\\" else "\\%03o" % c for c in b)


def ghostscript():
    for name, l1, l2, expect, needle in (
            ("gs-ps-cpr.pdf", "Søren Ærø Åsted, CPR-nr. 010190-1234", "æøåÆØÅé ü ß", "cpr", "010190-1234"),
            ("gs-ps-term.pdf", "Medarbejderen er sygemeldt", "med diabetes, jf. lægeerklæring", "term", "diabetes"),
            ("gs-ps-harmless.pdf", HARMLESS_DA[:60], HARMLESS_DA[60:120], "clean", "faktura 2024-00123")):
        ps = os.path.join(TMP, name + ".ps")
        with open(ps, "w", encoding="latin-1") as f:
            f.write(PS % (ps_escape(l1), ps_escape(l2)))
        subprocess.run(["ps2pdf", ps, out(name)], check=True)
        fixture(name, expect, needle)
    # A "PDF printer": Ghostscript rewrites a LibreOffice PDF.
    for src, name, expect, needle in (("lo-body-cpr.pdf", "gs-lo-cpr.pdf", "cpr", "010190-1234"),
                                      ("lo-harmless.pdf", "gs-lo-harmless.pdf", "clean", "faktura 2024-00123")):
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                        "-o", out(name), out(src)], check=True)
        fixture(name, expect, needle)


# --------------------------------------------------------------------- pandoc

def pandoc():
    # pandoc writes PDF only through an engine (LaTeX, wkhtmltopdf,
    # weasyprint, pdfroff); none is installed on Debian 12 with pandoc alone,
    # so these fixtures are made only where one is.
    engine = next((e for e in ("xelatex", "pdflatex", "wkhtmltopdf", "weasyprint", "pdfroff") if shutil.which(e)), None)
    if engine is None:
        print("pandoc: no PDF engine installed, skipped", file=sys.stderr)
        return
    for name, md, expect, needle in (
            ("pandoc-cpr.pdf", "# Notat\n\nBorgeren med CPR-nr. 010190-1234 har fået hjælp.\n", "cpr", "010190-1234"),
            ("pandoc-harmless.pdf", "# Notat\n\n" + HARMLESS_DA + "\n", "clean", "2024-00123")):
        src = os.path.join(TMP, name + ".md")
        with open(src, "w", encoding="utf-8") as f:
            f.write(md)
        subprocess.run(["pandoc", src, "--pdf-engine=" + engine, "-o", out(name)], check=True)
        fixture(name, expect, needle)


# ---------------------------------------------------------------- scans / OCR

def scans():
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)

    def image(name, lines):
        img = Image.new("L", (1700, 120 + 70 * len(lines)), 255)
        d = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            d.text((80, 60 + 70 * i), line, font=font, fill=0)
        path = os.path.join(TMP, name + ".png")
        img.save(path, dpi=(200, 200))
        return path

    for name, lines, expect, needle in (
            ("ocr-cpr", ["Journalnotat", "Borger: CPR-nr. 010190-1234"], "cpr", "010190-1234"),
            ("ocr-harmless", ["Faktura 2024-00123", "Telefon 33 12 34 56"], "clean", "2024-00123")):
        png = image(name, lines)
        subprocess.run(["tesseract", png, os.path.join(HERE, name), "-l", "dan+eng", "pdf"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fixture(name + ".pdf", expect, needle)
    png = image("scan", ["Journalnotat", "Borger: CPR-nr. 010190-1234"])
    subprocess.run(["img2pdf", "--producer=", "--nodate", "-o", out("scan-no-text.pdf"), png], check=True)
    fixture("scan-no-text.pdf", "no-text", "")
    # A typed page followed by a scanned one (qpdf joins them): the scanned
    # page may hold anything, so the document stays uninspectable.
    subprocess.run(["qpdf", "--empty", "--pages", out("rl-harmless.pdf"), out("scan-no-text.pdf"), "--",
                    out("mixed-scan-page.pdf")], check=True)
    fixture("mixed-scan-page.pdf", "no-text", "")


def main():
    only = sys.argv[1:]
    for step in (libreoffice, lo_forms, reportlab, pypdf_attachments, ghostscript, pandoc, scans):
        if not only or step.__name__ in only:
            step()
    if not only:
        with open(out("fixtures.tsv"), "w") as f:
            f.write("# file\texpect (cpr, term, clean, no-text)\tneedle the text must contain\n")
            for row in FIXTURES:
                f.write("\t".join(row) + "\n")
    shutil.rmtree(TMP)


main()
