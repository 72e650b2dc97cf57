#!/bin/sh
# Regenerates testdata/holdout with Debian's python3 (openpyxl, python-docx,
# XlsxWriter, reportlab, pypdf, PIL), LibreOffice headless (a private
# profile), ghostscript, img2pdf, tesseract-ocr(-dan) and pandoc. faketime
# sets the clock to a fixed moment so that the dates producers write
# into documents stay the same; the output still differs from run to run
# (document IDs of LibreOffice, Ghostscript, tesseract, python-docx), so
# regenerate only to change the corpus and commit what the run wrote.
set -e
cd "$(dirname "$0")"
if command -v faketime >/dev/null; then
	exec faketime '2024-03-05 09:00:00' /usr/bin/python3 make.py
fi
exec /usr/bin/python3 make.py
