#!/bin/sh
# Regenerates testdata/holdout with Debian's python3 (openpyxl, python-docx,
# XlsxWriter, reportlab, pypdf, PIL), LibreOffice headless, ghostscript,
# img2pdf, tesseract-ocr(-dan) and pandoc. Dates inside documents are pinned
# where the producer allows (reportlab invariant); others vary per run.
set -e
cd "$(dirname "$0")"
exec /usr/bin/python3 make.py
