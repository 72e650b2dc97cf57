#!/bin/sh
# Regenerate the real-producer corpus on Debian 12. Needs:
#   apt-get install libreoffice-writer libreoffice-calc libreoffice-impress \
#     python3-docx python3-openpyxl python3-xlsxwriter python3-reportlab python3-pypdf \
#     ghostscript img2pdf tesseract-ocr tesseract-ocr-dan pandoc fonts-dejavu-core faketime
# Debian's own Python (/usr/bin/python3) has these modules; a python3 earlier
# on PATH (pyenv, venv) may not. The producers stamp the time into zip
# entries and document properties, and few honour SOURCE_DATE_EPOCH, so the
# whole run sees a clock that stands almost still at 2024-03-11 09:30 UTC
# (faketime): the output is then the same from run to run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export SOURCE_DATE_EPOCH=1710149400 TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0
exec faketime -f "@2024-03-11 09:30:00 x0.001" /usr/bin/python3 "$here/make.py" "$here/.."
