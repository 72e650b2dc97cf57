#!/bin/sh
# Regenerates the real-producer fixtures of package office in this
# directory: python-docx, openpyxl and XlsxWriter files (make.py), what
# LibreOffice (soffice --headless) makes of them and of slides.fodp, and
# LibreOffice's ODF and OOXML of the flat sources places.py writes (one
# place text can live in per file: footnote, comment, tracked deletion,
# text box, hidden text, form field, properties, bookmark, cells...). Needs
# Debian's python3-docx, python3-openpyxl, python3-xlsxwriter and
# libreoffice-{writer,calc,impress}. Tests need none of them.
set -eu
cd "$(dirname "$0")"
/usr/bin/python3 make.py .
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
lo() { soffice -env:UserInstallation="file://$profile" --headless --convert-to "$@" >/dev/null 2>&1; }
tmp=$(mktemp -d)
# LibreOffice's own ODF and OOXML: each Python-made file read and written
# again by Writer or Calc (lo- prefix).
for f in cpr-openpyxl-numfmt cpr-openpyxl-comment cpr-xlsxwriter-numfmt clean-openpyxl-invoice clean-xlsxwriter-dates term-xlsxwriter-sheetname; do
	lo ods --outdir "$tmp" "$f.xlsx"
	cp "$tmp/$f.ods" "lo-$f.ods"
	lo xlsx --outdir "$tmp/x" "$tmp/$f.ods"
	cp "$tmp/x/$f.xlsx" "lo-$f.xlsx"
done
for f in cpr-docx-nobreakhyphen cpr-docx-footer clean-docx-meeting term-docx-softhyphen; do
	lo odt --outdir "$tmp" "$f.docx"
	cp "$tmp/$f.odt" "lo-$f.odt"
	lo docx --outdir "$tmp/x" "$tmp/$f.odt"
	cp "$tmp/x/$f.docx" "lo-$f.docx"
done
lo odp --outdir "$tmp" slides.fodp
cp "$tmp/slides.odp" lo-cpr-slides-notes.odp
lo pptx --outdir "$tmp" slides.fodp
cp "$tmp/slides.pptx" lo-cpr-slides-notes.pptx
/usr/bin/python3 places.py "$tmp"
lo odt --outdir "$tmp/p" "$tmp"/*.fodt
lo docx --outdir "$tmp/p" "$tmp"/*.fodt
lo ods --outdir "$tmp/p" "$tmp"/*.fods
lo xlsx --outdir "$tmp/p" "$tmp"/*.fods
# Writer exports a form field to DOCX as an ActiveX control, whose value
# sits in an OLE2 binary: not read, so the file must be uninspectable.
mv "$tmp/p/cpr-place-form.docx" "$tmp/p/uninspectable-place-form.docx"
cp "$tmp"/p/* .
rm -rf "$tmp"
