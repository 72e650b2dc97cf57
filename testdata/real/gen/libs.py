"""Attachments written by Python libraries from Debian packages (python3-docx,
python3-openpyxl, python3-xlsxwriter, python3-reportlab, python3-pypdf) and
by command-line producers (Ghostscript, img2pdf, tesseract, pandoc)."""

import datetime
import io
import os
import subprocess

FIXED = datetime.datetime(2024, 3, 11, 9, 30, 0)


def _fixed_from_file(orig):
    """openpyxl writes each worksheet to a temporary file and zips it with
    the file's modification time, which faketime cannot hold still: give
    those entries the corpus date instead."""
    def from_file(filename, arcname=None, **kw):
        zi = orig(filename, arcname, **kw)
        zi.date_time = (2024, 3, 11, 9, 30, 0)
        return zi
    return from_file


import zipfile  # noqa: E402
zipfile.ZipInfo.from_file = staticmethod(_fixed_from_file(zipfile.ZipInfo.from_file))


def docx_python(place, payload, filler, title):
    import docx
    d = docx.Document()
    cp = d.core_properties
    cp.title, cp.author, cp.created, cp.modified, cp.last_modified_by = title, "Sekretariatet", FIXED, FIXED, "Sekretariatet"
    cp.revision = 1
    if place == "title":
        cp.title = payload
    elif place == "subject":
        cp.subject = payload
    elif place == "keywords":
        cp.keywords = payload
    elif place == "author":
        cp.author = payload
    elif place == "comments-prop":
        cp.comments = payload
    d.add_heading(title, 1)
    for i, f in enumerate(filler):
        p = d.add_paragraph(f)
        if i == 0 and place == "body":
            p.add_run(" " + payload)
        if i == 0 and place == "hidden":
            r = p.add_run(" " + payload)
            r.font.hidden = True
    t = d.add_table(rows=3, cols=2)
    rows = [("Dato", "Emne"), ("12.03.2024", "Opfølgning"), ("19.03.2024", payload if place == "table" else "Status")]
    for r, (a, b) in zip(t.rows, rows):
        r.cells[0].text, r.cells[1].text = a, b
    sec = d.sections[0]
    sec.header.paragraphs[0].text = payload if place == "header" else "Intern"
    sec.footer.paragraphs[0].text = payload if place == "footer" else "Side 1"
    return _save(d)


def _save(obj):
    b = io.BytesIO()
    if hasattr(obj, "save"):
        obj.save(b)
    else:
        obj.write(b)
    return b.getvalue()


def xlsx_openpyxl(place, payload, cprnum, rows):
    import openpyxl
    from openpyxl.comments import Comment
    wb = openpyxl.Workbook()
    wb.properties.creator, wb.properties.created, wb.properties.modified = "Sekretariatet", FIXED, FIXED
    wb.properties.title = payload if place == "title" else "Oversigt"
    if place == "subject":
        wb.properties.subject = payload
    if place == "keywords":
        wb.properties.keywords = payload
    ws = wb.active
    ws.title = "Oversigt"
    for r in rows:
        ws.append(list(r))
    n = len(rows) + 1
    if place == "cell":
        ws.cell(n, 1, payload)
    elif place in ("numfmt", "numfmt-lowday"):
        ws.cell(n, 1, "Medarbejder")
        c = ws.cell(n, 2, int(cprnum))
        c.number_format = "000000-0000"
    elif place == "date":
        c = ws.cell(n, 1, FIXED)
        c.number_format = "dd-mm-yyyy"
    elif place == "comment":
        ws.cell(n, 1, "Se note").comment = Comment(payload, "Sekretariatet")
    elif place == "header":
        ws.oddHeader.center.text = payload
    elif place in ("sheet2", "hidden-sheet"):
        s2 = wb.create_sheet("Ark2")
        s2["A1"] = payload
        if place == "hidden-sheet":
            s2.sheet_state = "hidden"
    elif place == "sheetname":
        wb.create_sheet(payload[:31])["A1"] = "Noter"
    elif place == "hidden-row":
        ws.cell(n, 1, payload)
        ws.row_dimensions[n].hidden = True
    elif place == "hidden-column":
        ws.cell(1, 5, payload)
        ws.column_dimensions["E"].hidden = True
    return _save(wb)


def xlsx_xlsxwriter(place, payload, cprnum, rows):
    import xlsxwriter
    b = io.BytesIO()
    wb = xlsxwriter.Workbook(b, {"in_memory": True})
    props = {"title": "Oversigt", "author": "Sekretariatet", "created": FIXED}
    if place == "title":
        props["title"] = payload
    if place == "comments-prop":
        props["comments"] = payload
    wb.set_properties(props)
    if place == "custom":
        wb.set_custom_property("Sagsnotat", payload)
    ws = wb.add_worksheet("Oversigt")
    for i, r in enumerate(rows):
        ws.write_row(i, 0, r)
    n = len(rows)
    if place == "cell":
        ws.write_string(n, 0, payload)
    elif place in ("numfmt", "numfmt-lowday"):
        ws.write_string(n, 0, "Medarbejder")
        ws.write_number(n, 1, int(cprnum), wb.add_format({"num_format": "000000-0000"}))
    elif place == "comment":
        ws.write_string(n, 0, "Se note")
        ws.write_comment(n, 0, payload)
    elif place == "header":
        ws.set_header("&C" + payload.replace("&", "&&"))
    elif place == "textbox":
        ws.insert_textbox(n + 1, 1, payload, {"width": 400, "height": 80})
    elif place in ("sheet2", "hidden-sheet"):
        s2 = wb.add_worksheet("Ark2")
        s2.write_string(0, 0, payload)
        if place == "hidden-sheet":
            s2.hide()
    elif place == "sheetname":
        wb.add_worksheet(payload[:31]).write_string(0, 0, "Noter")
    elif place == "hidden-row":
        ws.write_string(n, 0, payload)
        ws.set_row(n, None, None, {"hidden": True})
    elif place == "hidden-column":
        ws.write_string(0, 4, payload)
        ws.set_column(4, 4, None, None, {"hidden": True})
    wb.close()
    return b.getvalue()


def pdf_reportlab(place, payload, filler, title, ttf=False):
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4
    b = io.BytesIO()
    c = canvas.Canvas(b, pagesize=A4, invariant=1)
    font = "Helvetica"
    if ttf:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        font = "DejaVu"
    c.setTitle(payload if place == "title" else title)
    c.setAuthor(payload if place == "author" else "Sekretariatet")
    if place == "subject":
        c.setSubject(payload)
    if place == "keywords":
        c.setKeywords(payload)
    c.setFont(font, 14)
    c.drawString(72, 780, title)
    c.bookmarkPage("p1")
    c.addOutlineEntry(payload if place == "bookmark" else title, "p1", level=0)
    c.setFont(font, 10)
    y = 750
    for i, f in enumerate(filler):
        c.drawString(72, y, f + (" " + payload if place == "body" and i == 0 else ""))
        y -= 16
    if place == "annotation":
        c.textAnnotation(payload, Rect=(400, 700, 420, 720), relative=0)
    if place == "formfield":
        c.acroForm.textfield(name="bemaerkning", value=payload, x=72, y=600, width=450, height=20, fontSize=9)
    c.showPage()
    c.save()
    return b.getvalue()


def pdf_pypdf_embed(base_pdf, name, data):
    """An existing PDF with a file embedded in it (a PDF portfolio light)."""
    import pypdf
    r = pypdf.PdfReader(io.BytesIO(base_pdf))
    w = pypdf.PdfWriter()
    w.append(r)
    w.add_attachment(name, data)
    w.add_metadata({"/Producer": "pypdf"})
    return _save(w)


def pdf_pypdf_annot(base_pdf, payload):
    import pypdf
    from pypdf.generic import AnnotationBuilder
    r = pypdf.PdfReader(io.BytesIO(base_pdf))
    w = pypdf.PdfWriter()
    w.append(r)
    w.add_annotation(0, AnnotationBuilder.free_text(payload, rect=(50, 550, 500, 600)))
    return _save(w)


def ps_source(place, payload, filler, title):
    """PostScript with pdfmark for DOCINFO, annotations and outlines, for
    Ghostscript's ps2pdf."""
    def s(t):
        return "(" + t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    out = ["%!PS-Adobe-3.0", "/Helvetica findfont 10 scalefont setfont"]
    info = "[ /Title %s /Author (Sekretariatet)" % s(payload if place == "title" else title)
    if place == "keywords":
        info += " /Keywords " + s(payload)
    out.append(info + " /DOCINFO pdfmark")
    y = 760
    for i, f in enumerate([title] + filler):
        line = f + (" " + payload if place == "body" and i == 1 else "")
        out.append("72 %d moveto %s show" % (y, s(line)))
        y -= 16
    if place == "annotation":
        out.append("[ /Rect [400 700 420 720] /Contents %s /Subtype /Text /Open false /ANN pdfmark" % s(payload))
    if place == "bookmark":
        out.append("[ /Title %s /Page 1 /OUT pdfmark" % s(payload))
    out.append("showpage")
    return "\n".join(out) + "\n"


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def ps2pdf(ps, tmp, name):
    src, dst = os.path.join(tmp, name + ".ps"), os.path.join(tmp, name + ".pdf")
    # Latin-1 text in PostScript strings: Helvetica's StandardEncoding lacks
    # æøå, so keep ps payloads in the ISO-8859-1 range via ISOLatin1 below.
    ps = ps.replace("/Helvetica findfont 10 scalefont setfont",
                    "/Helvetica findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall "
                    "/Encoding ISOLatin1Encoding def currentdict end /HelvLat exch definefont pop "
                    "/HelvLat findfont 10 scalefont setfont")
    with open(src, "wb") as f:
        f.write(ps.encode("latin-1"))
    run(["ps2pdf", "-dPDFSETTINGS=/default", src, dst], env=dict(os.environ, SOURCE_DATE_EPOCH="1710149400"))
    return open(dst, "rb").read()


def scan_image(lines, tmp, name, dpi=200):
    """A 'scanned' page: text rendered by Ghostscript to a grayscale PNG."""
    ps = ["%!PS", "<< /PageSize [420 200] >> setpagedevice",
          "/Helvetica findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall "
          "/Encoding ISOLatin1Encoding def currentdict end /HelvLat exch definefont pop",
          "/HelvLat findfont 11 scalefont setfont"]
    y = 170
    for l in lines:
        s = "(" + l.replace("(", "\\(").replace(")", "\\)") + ")"
        ps.append("20 %d moveto %s show" % (y, s))
        y -= 18
    ps.append("showpage")
    src, png = os.path.join(tmp, name + ".ps"), os.path.join(tmp, name + ".png")
    with open(src, "wb") as f:
        f.write(("\n".join(ps) + "\n").encode("latin-1"))
    run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r%d" % dpi, "-o", png, src])
    return png


def img2pdf(png, tmp, name):
    dst = os.path.join(tmp, name + "-scan.pdf")
    run(["img2pdf", "--creationdate", "2024-03-11T09:30:00", "--moddate", "2024-03-11T09:30:00", "-o", dst, png])
    return open(dst, "rb").read()


def tesseract_pdf(png, tmp, name):
    base = os.path.join(tmp, name + "-ocr")
    run(["tesseract", png, base, "-l", "dan+eng", "pdf"], env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    return open(base + ".pdf", "rb").read()


def pandoc(md, to, tmp, name):
    src, dst = os.path.join(tmp, name + ".md"), os.path.join(tmp, name + "." + to)
    with open(src, "w") as f:
        f.write(md)
    args = ["pandoc", src, "-o", dst]
    if to == "html":
        args[1:1] = ["-s", "--metadata", "title=Notat"]
    run(args, env=dict(os.environ, SOURCE_DATE_EPOCH="1710149400"))
    return open(dst, "rb").read()
