"""Flat ODF sources (.fodt, .fods, .fodp) written by hand, for LibreOffice to
convert: LibreOffice, not this script, writes the DOCX, XLSX, PPTX, ODF, RTF
and PDF files of the corpus. Each source puts one payload in one place."""

from xml.sax.saxutils import escape as esc

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"')

DATE = "2024-03-11T09:30:00"


def _meta(place, payload, title):
    m = {"title": title, "subject": "", "keywords": "", "author": "Sekretariatet", "custom": ""}
    for k in m:
        if place == k:
            m[k] = payload
    out = "<office:meta><meta:generator>tlsgate corpus</meta:generator>"
    out += "<dc:title>%s</dc:title>" % esc(m["title"])
    if m["subject"]:
        out += "<dc:subject>%s</dc:subject>" % esc(m["subject"])
    if m["keywords"]:
        out += "<meta:keyword>%s</meta:keyword>" % esc(m["keywords"])
    out += "<meta:initial-creator>%s</meta:initial-creator><dc:creator>%s</dc:creator>" % (esc(m["author"]), esc(m["author"]))
    out += "<meta:creation-date>%s</meta:creation-date><dc:date>%s</dc:date>" % (DATE, DATE)
    if m["custom"]:
        out += '<meta:user-defined meta:name="Sagsnotat">%s</meta:user-defined>' % esc(m["custom"])
    return out + "</office:meta>"


def _p(t):
    return "<text:p>%s</text:p>" % esc(t)


def fodt(place, payload, filler, title):
    """A text document with payload in place (body, table, header, footer,
    footnote, endnote, textbox, comment, tracked-ins, tracked-del, hidden,
    title, subject, keywords, author, custom, field) and filler paragraphs."""
    pl = esc(payload)
    styles = ('<office:automatic-styles><style:style style:name="Hid" style:family="text">'
              '<style:text-properties text:display="none"/></style:style>'
              '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
              'fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>'
              '<style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>')
    hdr = "<style:header>%s</style:header>" % _p(payload if place == "header" else "Side 1")
    ftr = "<style:footer>%s</style:footer>" % _p(payload if place == "footer" else "Intern")
    master = ('<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
              '%s%s</style:master-page></office:master-styles>') % (hdr, ftr)
    body = ""
    if place == "tracked-ins" or place == "tracked-del":
        kind = "insertion" if place == "tracked-ins" else "deletion"
        inner = _p(payload) if kind == "deletion" else ""
        body += ('<text:tracked-changes><text:changed-region xml:id="ct1" text:id="ct1"><text:%s><office:change-info>'
                 '<dc:creator>Sekretariatet</dc:creator><dc:date>%s</dc:date></office:change-info>%s</text:%s>'
                 '</text:changed-region></text:tracked-changes>') % (kind, DATE, inner, kind)
    body += "<text:h text:outline-level=\"1\">%s</text:h>" % esc(title)
    for i, f in enumerate(filler):
        extra = ""
        if i == 0:
            if place == "body":
                extra = " " + pl
            elif place == "footnote" or place == "endnote":
                cls = place
                extra = ('<text:note text:id="n1" text:note-class="%s"><text:note-citation>1</text:note-citation>'
                         '<text:note-body><text:p>%s</text:p></text:note-body></text:note>') % (cls, pl)
            elif place == "comment":
                extra = ('<office:annotation><dc:creator>Sekretariatet</dc:creator><dc:date>%s</dc:date>'
                         '<text:p>%s</text:p></office:annotation>') % (DATE, pl)
            elif place == "tracked-ins":
                extra = ' <text:change-start text:change-id="ct1"/>%s<text:change-end text:change-id="ct1"/>' % pl
            elif place == "tracked-del":
                extra = ' <text:change text:change-id="ct1"/>'
            elif place == "hidden":
                extra = ' <text:span text:style-name="Hid">%s</text:span>' % pl
            elif place == "field":
                extra = ' <text:text-input text:description="Bemærkning">%s</text:text-input>' % pl
        body += "<text:p>%s%s</text:p>" % (esc(f), extra)
    if place == "textbox":
        body += ('<text:p><draw:frame draw:name="Tekstfelt" text:anchor-type="paragraph" svg:width="12cm" svg:height="3cm">'
                 '<draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame></text:p>') % pl
    if place == "table" or place != "table":
        cells = [("Dato", "Emne"), ("12.03.2024", "Opfølgning"), ("19.03.2024", payload if place == "table" else "Status")]
        body += '<table:table table:name="Oversigt"><table:table-column table:number-columns-repeated="2"/>'
        for a, b in cells:
            body += "<table:table-row>"
            for c in (a, b):
                body += '<table:table-cell office:value-type="string">%s</table:table-cell>' % _p(c)
            body += "</table:table-row>"
        body += "</table:table>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s office:mimetype="application/vnd.oasis.opendocument.text">'
            '%s%s%s<office:body><office:text>%s</office:text></office:body></office:document>\n') % (
        NS, _meta(place, payload, title), styles, master, body)


def _cell(v):
    """v: str, ("cpr", digits) number shown through 000000-0000, ("date", iso), or a number."""
    if isinstance(v, tuple) and v[0] == "cpr":
        return ('<table:table-cell table:style-name="cprcell" office:value-type="float" office:value="%d"><text:p>%s</text:p>'
                '</table:table-cell>') % (int(v[1]), v[1][:6] + "-" + v[1][6:])
    if isinstance(v, tuple) and v[0] == "date":
        return ('<table:table-cell table:style-name="datecell" office:value-type="date" office:date-value="%s"><text:p>%s</text:p>'
                '</table:table-cell>') % (v[1], v[1])
    if isinstance(v, tuple) and v[0] == "comment":
        return ('<table:table-cell office:value-type="string"><office:annotation><dc:creator>Sekretariatet</dc:creator>'
                '<dc:date>%s</dc:date><text:p>%s</text:p></office:annotation><text:p>%s</text:p></table:table-cell>') % (
            DATE, esc(v[1]), esc(v[2]))
    if isinstance(v, (int, float)):
        return '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' % (v, v)
    return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % esc(v)


def fods(sheets, place, payload, title, header=None):
    """sheets: list of (name, hidden, rows); rows are lists of cell values."""
    styles = ('<office:automatic-styles>'
              '<number:number-style style:name="Ncpr"><number:number number:decimal-places="0" number:min-decimal-places="0" '
              'number:min-integer-digits="10"><number:embedded-text number:position="4">-</number:embedded-text>'
              '</number:number></number:number-style>'
              '<number:date-style style:name="Ndate"><number:day number:style="long"/><number:text>.</number:text>'
              '<number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>'
              '<style:style style:name="cprcell" style:family="table-cell" style:data-style-name="Ncpr"/>'
              '<style:style style:name="datecell" style:family="table-cell" style:data-style-name="Ndate"/>'
              '<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>'
              '<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>'
              '<style:style style:name="taH" style:family="table"><style:table-properties table:display="false"/></style:style>'
              '<style:page-layout style:name="pm1"><style:header-style><style:header-footer-properties fo:min-height="0.75cm" '
              'fo:margin-bottom="0.25cm"/></style:header-style><style:footer-style><style:header-footer-properties '
              'fo:min-height="0.75cm" fo:margin-top="0.25cm"/></style:footer-style></style:page-layout>'
              '</office:automatic-styles>')
    hdr = payload if place == "header" else "Intern"
    master = ('<office:master-styles><style:master-page style:name="Default" style:page-layout-name="pm1">'
              '<style:header><text:p>%s</text:p></style:header><style:footer><text:p>Side 1</text:p></style:footer>'
              '</style:master-page></office:master-styles>') % esc(hdr)
    body = ""
    for name, hidden, rows in sheets:
        body += '<table:table table:name="%s" table:style-name="%s">' % (esc(name), "taH" if hidden else "ta1")
        body += '<table:table-column table:style-name="co1" table:number-columns-repeated="%d"/>' % max(len(r) for r in rows)
        for r in rows:
            body += "<table:table-row>%s</table:table-row>" % "".join(_cell(v) for v in r)
        body += "</table:table>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '%s%s%s<office:body><office:spreadsheet>%s</office:spreadsheet></office:body></office:document>\n') % (
        NS, _meta(place, payload, title), styles, master, body)


def fodp(place, payload, filler, title):
    """A presentation: slide text, a text box, speaker notes, a comment, a
    hidden slide or the properties."""
    pl = esc(payload)
    styles = ('<office:automatic-styles><style:style style:name="dpHid" style:family="drawing-page">'
              '<style:drawing-page-properties presentation:visibility="hidden"/></style:style>'
              '<style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout>'
              '</office:automatic-styles>'
              '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/></office:master-styles>')

    def frame(text, y):
        return ('<draw:frame svg:x="2cm" svg:y="%dcm" svg:width="24cm" svg:height="2cm"><draw:text-box>'
                '<text:p>%s</text:p></draw:text-box></draw:frame>') % (y, text)

    s1 = frame(esc(title), 1)
    for i, f in enumerate(filler):
        s1 += frame(esc(f) + (" " + pl if place == "body" and i == 0 else ""), 4 + 2 * i)
    if place == "textbox":
        s1 += ('<draw:custom-shape svg:x="16cm" svg:y="11cm" svg:width="10cm" svg:height="3cm"><text:p>%s</text:p>'
               '<draw:enhanced-geometry draw:type="rectangle"/></draw:custom-shape>') % pl
    if place == "comment":
        s1 += ('<officeooo:annotation xmlns:officeooo="http://openoffice.org/2009/office" svg:x="1cm" svg:y="1cm">'
               '<dc:creator>Sekretariatet</dc:creator><dc:date>%s</dc:date><text:p>%s</text:p></officeooo:annotation>') % (DATE, pl)
    notes = ""
    if place == "notes":
        notes = ('<presentation:notes><draw:frame presentation:class="notes" svg:x="2cm" svg:y="14cm" svg:width="17cm" '
                 'svg:height="10cm"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame></presentation:notes>') % pl
    pages = '<draw:page draw:name="Slide1" draw:master-page-name="Default">%s%s</draw:page>' % (s1, notes)
    s2 = frame("Tak for i dag", 2)
    if place == "hidden-slide":
        pages += '<draw:page draw:name="Slide2" draw:style-name="dpHid" draw:master-page-name="Default">%s</draw:page>' % frame(pl, 4)
    elif place == "slide2":
        pages += '<draw:page draw:name="Slide2" draw:master-page-name="Default">%s</draw:page>' % frame(pl, 4)
    else:
        pages += '<draw:page draw:name="Slide2" draw:master-page-name="Default">%s</draw:page>' % s2
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document %s office:mimetype="application/vnd.oasis.opendocument.presentation">'
            '%s%s<office:body><office:presentation>%s</office:presentation></office:body></office:document>\n') % (
        NS, _meta(place, payload, title), styles, pages)


def odt_with_object(text, filler):
    """An ODT package holding an embedded spreadsheet object whose one cell
    is text: the source for LibreOffice to write DOCX (the object becomes
    word/embeddings/oleObject1.xlsx) or ODT (an "Object 1" sub-document)."""
    import io
    import zipfile
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s><office:body><office:text>%s'
               '<text:p><draw:frame draw:name="Objekt1" text:anchor-type="paragraph" svg:width="12cm" svg:height="2cm">'
               '<draw:object xlink:href="./Object 1" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
               '</draw:frame></text:p></office:text></office:body></office:document-content>\n') % (
        NS, "".join(_p(x) for x in filler))
    obj = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s><office:body><office:spreadsheet>'
           '<table:table table:name="Ark1"><table:table-row><table:table-cell office:value-type="string">%s'
           '</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>'
           '</office:document-content>\n') % (NS, _p(text))
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="Object 1/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="Object 1/content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>\n')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for name, data, method in (("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
                                   ("content.xml", content, zipfile.ZIP_DEFLATED),
                                   ("Object 1/content.xml", obj, zipfile.ZIP_DEFLATED),
                                   ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)):
            zi = zipfile.ZipInfo(name, date_time=(2024, 3, 11, 9, 30, 0))
            zi.compress_type = method
            z.writestr(zi, data)
    return b.getvalue()
