"""Document producers of the held-out corpus.

Every function returns the bytes a real producer wrote: openpyxl,
XlsxWriter, python-docx, reportlab (+ pypdf for annotations), LibreOffice
headless, Ghostscript's ps2pdf, img2pdf and tesseract, pandoc.
"""

import io
import os
import subprocess
import tempfile

WORK = tempfile.mkdtemp(prefix="holdout-gen-")
PROFILE = "file://" + os.path.join(WORK, "lo-profile")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _path(name):
    return os.path.join(WORK, name)


def _write(name, data):
    p = _path(name)
    with open(p, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return p


# --- spreadsheets ---------------------------------------------------------

def openpyxl_book(sheets, numfmt=None, comment=None, header=None, props=None):
    """sheets: [(title, rows)]; numfmt: (sheet, cell, format) applied to a
    number cell; comment: (sheet, cell, text); header: footer/header text;
    props: dict of core properties."""
    import openpyxl
    from openpyxl.comments import Comment
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    if numfmt:
        for sheet, cell, fmt in numfmt:
            wb[sheet][cell].number_format = fmt
    if comment:
        sheet, cell, text = comment
        wb[sheet][cell].comment = Comment(text, "Sagsbehandler")
    if header:
        ws = wb.worksheets[0]
        ws.oddHeader.center.text = header
        ws.oddFooter.left.text = header
    if props:
        for k, v in props.items():
            setattr(wb.properties, k, v)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def xlsxwriter_book(sheets, numfmt=None, comment=None, props=None, text_cols=()):
    """Like openpyxl_book; numfmt: (sheet, row, col, value, format)."""
    import xlsxwriter
    b = io.BytesIO()
    wb = xlsxwriter.Workbook(b, {"in_memory": True})
    for title, rows in sheets:
        ws = wb.add_worksheet(title)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if j in text_cols:
                    ws.write_string(i, j, str(v))
                else:
                    ws.write(i, j, v)
    if numfmt:
        for sheet, row, col, value, fmt in numfmt:
            wb.get_worksheet_by_name(sheet).write_number(row, col, value, wb.add_format({"num_format": fmt}))
    if comment:
        sheet, cell, text = comment
        wb.get_worksheet_by_name(sheet).write_comment(cell, text, {"author": "HR"})
    if props:
        wb.set_properties(props)
    wb.close()
    return b.getvalue()


# --- word processing ------------------------------------------------------

def python_docx(paras, table=None, header=None, footer=None, props=None, nbhyphen=None):
    """nbhyphen: (before, after) written as one run with w:noBreakHyphen
    between, as Word writes Ctrl+Shift+- ."""
    import docx
    from docx.oxml import OxmlElement
    d = docx.Document()
    for p in paras:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=0, cols=len(table[0]))
        t.style = "Table Grid"
        for row in table:
            cells = t.add_row().cells
            for c, v in zip(cells, row):
                c.text = str(v)
    if nbhyphen:
        p = d.add_paragraph(nbhyphen[0])
        r = p.add_run()
        t1 = OxmlElement("w:t")
        t1.text = nbhyphen[1]
        r._r.append(OxmlElement("w:noBreakHyphen"))
        r._r.append(t1)
        if len(nbhyphen) > 2:
            p.add_run(nbhyphen[2])
    sec = d.sections[0]
    if header:
        sec.header.paragraphs[0].text = header
    if footer:
        sec.footer.paragraphs[0].text = footer
    if props:
        for k, v in props.items():
            setattr(d.core_properties, k, v)
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def fodt(paras, annotation=None, footnote=None):
    """A flat ODT source for LibreOffice: paragraphs, an optional comment
    anchored in the first paragraph and an optional footnote."""
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = []
    for i, p in enumerate(paras):
        extra = ""
        if i == 0 and annotation:
            extra += ('<office:annotation><dc:creator>Sagsbehandler</dc:creator>'
                      '<text:p>%s</text:p></office:annotation>' % esc(annotation))
        if i == 0 and footnote:
            extra += ('<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                      '<text:note-body><text:p>%s</text:p></text:note-body></text:note>' % esc(footnote))
        body.append("<text:p>%s%s</text:p>" % (esc(p), extra))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            '<office:body><office:text>%s</office:text></office:body></office:document>\n' % "".join(body))


def soffice(name, src, fmt, infilter=None):
    """Converts src (bytes or str) saved as name with LibreOffice headless
    and a private profile; returns the converted file's bytes."""
    p = _write(name, src)
    out = _path("lo-out")
    os.makedirs(out, exist_ok=True)
    cmd = ["soffice", "-env:UserInstallation=" + PROFILE, "--headless", "--norestore"]
    if infilter:
        cmd.append("--infilter=" + infilter)
    cmd += ["--convert-to", fmt, "--outdir", out, p]
    subprocess.run(cmd, check=True, capture_output=True)
    ext = fmt.split(":")[0]
    res = os.path.join(out, os.path.splitext(name)[0] + "." + ext)
    with open(res, "rb") as f:
        data = f.read()
    os.remove(res)
    return data


def pandoc(markdown, fmt):
    p = _write("pandoc.md", markdown)
    out = _path("pandoc." + fmt)
    subprocess.run(["pandoc", "-f", "markdown", "-t", fmt, "-o", out, p], check=True)
    with open(out, "rb") as f:
        return f.read()


# --- PDF --------------------------------------------------------------------

def reportlab_pdf(lines, field=None, info=None, ttf=False):
    """field: (name, value) of an AcroForm text field; info: dict of
    document information; ttf: embed DejaVuSans instead of Helvetica."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=A4, invariant=1)
    font = "Helvetica"
    if ttf:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
        font = "DejaVu"
    c.setFont(font, 11)
    y = 790
    for ln in lines:
        c.drawString(60, y, ln)
        y -= 16
    if field:
        c.drawString(60, y - 20, field[0] + ":")
        c.acroForm.textfield(name=field[0], value=field[1], x=200, y=y - 30, width=300, height=20)
    if info:
        c.setTitle(info.get("title", ""))
        c.setSubject(info.get("subject", ""))
        c.setKeywords(info.get("keywords", ""))
        c.setAuthor(info.get("author", ""))
    c.showPage()
    c.save()
    return b.getvalue()


def annotate(pdf, text):
    """Adds a sticky-note annotation with text, as a reviewer does in a
    PDF viewer (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
                               TextStringObject)
    w = PdfWriter()
    w.append_pages_from_reader(PdfReader(io.BytesIO(pdf)))
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (400, 700, 420, 720)]),
        NameObject("/Contents"): TextStringObject(text), NameObject("/T"): TextStringObject("Sagsbehandler"),
        NameObject("/Open"): BooleanObject(False)})
    page = w.pages[0]
    page[NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    b = io.BytesIO()
    w.write(b)
    return b.getvalue()


def ps2pdf(lines):
    ps = ["%!PS-Adobe-3.0", "/Times-Roman findfont 12 scalefont setfont"]
    y = 760
    for ln in lines:
        s = ln.encode("latin-1").decode("latin-1")
        s = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        s = "".join(c if ord(c) < 128 else "\\%03o" % ord(c) for c in s)
        ps.append("60 %d moveto (%s) show" % (y, s))
        y -= 16
    ps.append("showpage")
    # Latin-1 text needs the ISOLatin1 encoding: re-encode the font.
    ps.insert(1, "/Times-Roman findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall "
                 "/Encoding ISOLatin1Encoding def currentdict end /Times-Roman exch definefont pop")
    p = _write("doc.ps", "\n".join(ps) + "\n")
    out = _path("doc.pdf")
    subprocess.run(["ps2pdf", p, out], check=True)
    with open(out, "rb") as f:
        return f.read()


def scan_image(lines):
    """A page image at 200 dpi with the text, as a scanner delivers it."""
    from PIL import Image, ImageDraw, ImageFont
    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(FONT, 34)
    y = 160
    for ln in lines:
        d.text((140, y), ln, font=f, fill=0)
        y += 56
    p = _path("scan.png")
    img.save(p, dpi=(200, 200))
    return p


def img2pdf(lines):
    p = scan_image(lines)
    return subprocess.run(["img2pdf", p], check=True, capture_output=True).stdout


def tesseract_pdf(lines, lang="dan"):
    p = scan_image(lines)
    out = _path("ocr")
    subprocess.run(["tesseract", p, out, "-l", lang, "pdf"], check=True, capture_output=True)
    with open(out + ".pdf", "rb") as f:
        return f.read()


def zipped(files):
    import zipfile
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, (2024, 3, 4, 10, 0, 0)), data)
    return b.getvalue()


def fodp(slides, notes=None):
    """A flat ODP source for LibreOffice Impress: one text box per slide
    and optional speaker notes on the first slide."""
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    pages = []
    for i, lines in enumerate(slides):
        box = "".join("<text:p>%s</text:p>" % esc(l) for l in lines)
        note = ""
        if i == 0 and notes:
            note = ('<presentation:notes><draw:frame presentation:class="notes" svg:width="16cm" svg:height="10cm" '
                    'svg:x="2cm" svg:y="12cm"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>'
                    '</presentation:notes>' % esc(notes))
        pages.append('<draw:page draw:name="s%d"><draw:frame svg:width="24cm" svg:height="12cm" svg:x="2cm" '
                     'svg:y="3cm"><draw:text-box>%s</draw:text-box></draw:frame>%s</draw:page>' % (i + 1, box, note))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
            'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
            'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
            'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">'
            '<office:body><office:presentation>%s</office:presentation></office:body></office:document>\n'
            % "".join(pages))
