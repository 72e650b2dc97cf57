#!/usr/bin/python3
"""Writes the real-producer fixtures of package office (run by make.sh).

Each file's name says what it holds: cpr-* carry the CPR number 010190-1234
(typed as the producer stores it), term-* a sensitive word, clean-* nothing
sensitive. Needs Debian's python3-openpyxl, python3-docx, python3-xlsxwriter.
"""
import datetime
import sys

import docx
import openpyxl
import xlsxwriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.comments import Comment

out = sys.argv[1] if len(sys.argv) > 1 else "."


def openpyxl_numfmt():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Medarbejdere"
    ws["A1"], ws["B1"] = "Navn", "Nummer"
    ws["A2"], ws["B2"] = "Hanne Jensen", 101901234  # as Excel stores a typed 010190-1234
    ws["B2"].number_format = "000000-0000"
    wb.save(f"{out}/cpr-openpyxl-numfmt.xlsx")


def openpyxl_comment():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Budget 2024"
    ws["A1"].comment = Comment("Ring til 010190-1234 om det", "Hanne")
    wb.save(f"{out}/cpr-openpyxl-comment.xlsx")


def openpyxl_clean():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Faktura"
    rows = [("Varenr", "Antal", "Beloeb", "Dato"),
            (4711, 3, 1234567.5, datetime.date(2024, 3, 1)),
            (80001234, 12, 45000, datetime.date(2024, 3, 15))]
    for r in rows:
        ws.append(r)
    for c in ws["C"][1:]:
        c.number_format = "#,##0.00"
    for c in ws["D"][1:]:
        c.number_format = "dd-mm-yyyy"
    ws["A1"].comment = Comment("Tjek varenumre med lageret", "Lager")
    ws2 = wb.create_sheet("Noter")
    ws2["A1"] = "Levering uge 12"
    wb.save(f"{out}/clean-openpyxl-invoice.xlsx")


def xlsxwriter_formats():
    wb = xlsxwriter.Workbook(f"{out}/cpr-xlsxwriter-numfmt.xlsx")
    ws = wb.add_worksheet("Ark1")
    ws.write("A1", "Medarbejder")
    ws.write_number("B1", 101901234, wb.add_format({"num_format": "000000\\-0000"}))
    ws.write("A2", "Telefon")
    ws.write_number("B2", 12345678, wb.add_format({"num_format": "00 00 00 00"}))
    wb.close()


def xlsxwriter_dates():
    # Dates with two-digit years beside four-digit amounts and postcodes,
    # amounts beside years: 01-03-24 1234 and 150390 2024 have the shape
    # of a CPR number, yet no reader takes such rows for one.
    wb = xlsxwriter.Workbook(f"{out}/clean-xlsxwriter-dates.xlsx")
    ws = wb.add_worksheet("Bilag")
    fmts = [wb.add_format({"num_format": c}) for c in ("dd-mm-yy", "dd.mm.yy", "ddmmyy", "yyyy-mm-dd")]
    ws.write_row("A1", ["Dato", "Beloeb", "Postnr"])
    for i, f in enumerate(fmts):
        ws.write_datetime(i + 1, 0, datetime.datetime(2024, 3, 1 + i), f)
        ws.write_number(i + 1, 1, 1234 + i)
        ws.write_number(i + 1, 2, 8000)
    ws.write_datetime(6, 0, datetime.datetime(2024, 3, 9), wb.add_format({"num_format": 14}))
    ws.write_number(6, 1, 4711)
    # Six-digit amounts beside years: 150390 2024 reads like 150390-2024.
    ws.write_row("A9", ["Konto", "Beloeb", "Aar"])
    for i, amount in enumerate((150390, 311289, 10203)):
        ws.write_number(9 + i, 0, 1010 + i)
        ws.write_number(9 + i, 1, amount)
        ws.write_number(9 + i, 2, 2024 - i)
    wb.close()


def xlsxwriter_sheetname():
    wb = xlsxwriter.Workbook(f"{out}/term-xlsxwriter-sheetname.xlsx")
    wb.add_worksheet("Sygemeldinger")
    ws = wb.add_worksheet("Ark2")
    ws.write("A1", "Oversigt")
    wb.close()


def xlsxwriter_clean():
    wb = xlsxwriter.Workbook(f"{out}/clean-xlsxwriter-budget.xlsx")
    ws = wb.add_worksheet("Budget")
    money = wb.add_format({"num_format": "#,##0"})
    ws.write_row("A1", ["Konto", "Q1", "Q2"])
    ws.write_row("A2", [1010, 250000, 310000], money)
    ws.write_row("A3", [2020, 1200000, 990000], money)
    ws.write_number("A4", 4512345678, wb.add_format({"num_format": "0"}))  # an order number
    ws.write_comment("A1", "Tal fra regnskabet")
    wb.close()


def nbhyphen(p, before, after):
    r = p.add_run(before)
    r._r.append(OxmlElement("w:noBreakHyphen"))
    t = OxmlElement("w:t")
    t.text = after
    r._r.append(t)


def docx_nbhyphen():
    d = docx.Document()
    d.add_paragraph("Vedr. medarbejder")
    p = d.add_paragraph("CPR: ")
    nbhyphen(p, "010190", "1234")
    d.save(f"{out}/cpr-docx-nobreakhyphen.docx")


def docx_places():
    d = docx.Document()
    d.core_properties.title = "Notat om sygdom"
    d.add_paragraph("Referat fra moedet")
    d.sections[0].header.paragraphs[0].text = "Personale"
    d.sections[0].footer.paragraphs[0].text = "010190-1234"
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "Navn"
    t.cell(0, 1).text = "Hanne"
    d.save(f"{out}/cpr-docx-footer.docx")


def docx_tab_split():
    # "Sygdom" split by a soft hyphen and "diagnose" after a tab: both read.
    d = docx.Document()
    p = d.add_paragraph()
    r = p.add_run("Syg")
    r._r.append(OxmlElement("w:softHyphen"))
    t = OxmlElement("w:t")
    t.text = "dom"
    r._r.append(t)
    d.save(f"{out}/term-docx-softhyphen.docx")


def docx_clean():
    d = docx.Document()
    d.core_properties.title = "Moedeindkaldelse"
    d.add_paragraph("Kære alle")
    p = d.add_paragraph("Vi mødes ")
    p.add_run().add_tab()
    p.add_run("kl. 10-12 i lokale 4")
    p = d.add_paragraph("Tlf. 12 34 56 78, faktura 2024")
    nbhyphen(p, " nr. 4711", "12")
    d.sections[0].footer.paragraphs[0].text = "Side 1"
    d.save(f"{out}/clean-docx-meeting.docx")


for f in (openpyxl_numfmt, openpyxl_comment, openpyxl_clean, xlsxwriter_formats, xlsxwriter_dates, xlsxwriter_sheetname,
          xlsxwriter_clean, docx_nbhyphen, docx_places, docx_tab_split, docx_clean):
    f()
