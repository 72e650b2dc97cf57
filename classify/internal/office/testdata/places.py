#!/usr/bin/python3
"""Writes flat OpenDocument sources (.fodt, .fods) with a CPR number or a
health word in one place each; make.sh has LibreOffice turn each into ODF
and OOXML. Run by make.sh."""
import sys

out = sys.argv[1]
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink"')

CPR, TERM = "010190-1234", "sygemelding"


def fodt(name, body, meta="", styles="", auto=""):
    with open(f"{out}/{name}.fodt", "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
                f'office:mimetype="application/vnd.oasis.opendocument.text">'
                f'<office:meta>{meta}</office:meta><office:styles>{styles}</office:styles>'
                f'<office:automatic-styles>{auto}</office:automatic-styles>'
                f'<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
                f'{MASTER.get(name, "")}</style:master-page></office:master-styles>'
                f'<office:body><office:text>{body}</office:text></office:body></office:document>\n')


MASTER = {
    "cpr-place-footer": f'<style:footer><text:p>Sag {CPR}</text:p></style:footer>',
    "term-place-header": f'<style:header><text:p>Vedr. {TERM}</text:p></style:header>',
}
P = "<text:p>Referat fra mødet i afdelingen.</text:p>"
fodt("cpr-place-footer", P)
fodt("term-place-header", P)
fodt("cpr-place-footnote", f'<text:p>Se note<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
     f'<text:note-body><text:p>Nummer {CPR}</text:p></text:note-body></text:note>.</text:p>')
fodt("term-place-endnote", f'<text:p>Se note<text:note text:id="n1" text:note-class="endnote"><text:note-citation>i</text:note-citation>'
     f'<text:note-body><text:p>Om {TERM}</text:p></text:note-body></text:note>.</text:p>')
fodt("cpr-place-comment", f'<text:p><office:annotation><dc:creator>Hanne</dc:creator><dc:date>2024-03-01T10:00:00</dc:date>'
     f'<text:p>Tjek {CPR}</text:p></office:annotation>Budget</text:p>')
fodt("cpr-place-tracked-deletion", f'<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
     f'<office:change-info><dc:creator>Hanne</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>'
     f'<text:p>CPR {CPR}</text:p></text:deletion></text:changed-region></text:tracked-changes>'
     f'<text:p>Navn: Hanne<text:change text:change-id="ct1"/></text:p>')
fodt("term-place-textbox", f'<text:p><draw:frame draw:name="Ramme1" text:anchor-type="paragraph" svg:width="6cm" svg:height="2cm">'
     f'<draw:text-box><text:p>Om {TERM}</text:p></draw:text-box></draw:frame>Tekst</text:p>')
fodt("cpr-place-hidden", f'<text:p>Synlig <text:hidden-text text:condition="ooow:1" text:string-value="{CPR}" text:is-hidden="true"/></text:p>'
     f'<text:p text:style-name="Skjult">Skjult {CPR}</text:p>',
     auto='<style:style style:name="Skjult" style:family="paragraph"><style:text-properties text:display="none"/></style:style>')
fodt("term-place-title", P, meta=f"<dc:title>Notat om {TERM}</dc:title>")
fodt("cpr-place-keywords", P, meta=f"<meta:keyword>{CPR}</meta:keyword><meta:user-defined meta:name=\"Sag\">{CPR}</meta:user-defined>")
fodt("term-place-bookmark", f'<text:p><text:bookmark text:name="{TERM}"/>Tekst</text:p>')
fodt("cpr-place-table", f'<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>'
     f'<table:table-row><table:table-cell office:value-type="string"><text:p>010190</text:p></table:table-cell>'
     f'<table:table-cell office:value-type="string"><text:p>1234</text:p></table:table-cell></table:table-row></table:table>')
fodt("cpr-place-nbhyphen", f'<text:p>CPR: 010190\u20111234</text:p>')
fodt("cpr-place-spaces", f'<text:p>CPR: 010190<text:s text:c="2"/>1234</text:p>')
fodt("term-place-line-break", f'<text:p>Status<text:line-break/>{TERM}</text:p>')
fodt("cpr-place-form", f'<office:forms><form:form form:name="F"><form:text form:name="cpr" form:id="c1" form:current-value="{CPR}" form:value="{CPR}"/></form:form></office:forms>'
     f'<text:p><draw:control draw:control="c1" svg:width="4cm" svg:height="1cm" text:anchor-type="as-char"/></text:p>')
fodt("clean-place-letter", '<text:p>Kære kunde</text:p><text:p>Tak for ordre 4711-2024 af 01.03.2024.'
     '<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
     '<text:note-body><text:p>Levering inden for 10 hverdage.</text:p></text:note-body></text:note></text:p>'
     '<text:p>Tlf. 12 34 56 78, bank 1234 5678901234.</text:p>',
     meta="<dc:title>Ordrebekræftelse</dc:title><meta:keyword>ordre</meta:keyword>")


def fods(name, cells, styles=""):
    rows = "".join(f"<table:table-row>{r}</table:table-row>" for r in cells)
    with open(f"{out}/{name}.fods", "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
                f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
                f'<office:styles>{styles}</office:styles>'
                f'<office:body><office:spreadsheet><table:table table:name="Ark1">{rows}</table:table>'
                f'<table:table table:name="Ark2"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p>'
                f'</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document>\n')


NUMSTYLE = ('<number:number-style style:name="N1"><number:number number:decimal-places="0" '
            'number:min-integer-digits="10"><number:embedded-text number:position="4">-</number:embedded-text>'
            '</number:number></number:number-style>'
            '<style:style style:name="cpr" style:family="table-cell" style:data-style-name="N1"/>')
fods("cpr-place-calc-numfmt", ['<table:table-cell office:value-type="string"><text:p>Nummer</text:p></table:table-cell>'
                               '<table:table-cell table:style-name="cpr" office:value-type="float" office:value="101901234"/>'],
     NUMSTYLE)
fods("cpr-place-calc-comment", ['<table:table-cell office:value-type="string"><office:annotation><text:p>Ring '
                                f'{CPR}</text:p></office:annotation><text:p>Budget</text:p></table:table-cell>'])
fods("clean-place-calc", ['<table:table-cell office:value-type="float" office:value="1234567.5"><text:p>1234567.5</text:p></table:table-cell>'
                          '<table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>01.03.24</text:p></table:table-cell>'
                          '<table:table-cell office:value-type="float" office:value="4711"><text:p>4711</text:p></table:table-cell>'])
