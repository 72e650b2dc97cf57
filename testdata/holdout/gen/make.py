"""Writes the held-out corpus: one .eml per case, LABELS.tsv and
PAYLOADS.tsv, into the directory above this one. Run through make.sh."""

import os
import re
import shutil
import zipfile

import cases_cpr  # noqa: F401 (registers cases)
import cases_harmless  # noqa: F401
import cases_more  # noqa: F401
import cases_terms  # noqa: F401
import producers
from registry import CASES

# openpyxl writes worksheets through temporary files, and zipfile stamps
# such entries with the file's modification time, which faketime does not
# reach: pin it.
_from_file = zipfile.ZipInfo.from_file


def _pinned(*args, **kw):
    zi = _from_file(*args, **kw)
    zi.date_time = (2024, 3, 5, 9, 0, 0)
    return zi


zipfile.ZipInfo.from_file = _pinned

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    for f in os.listdir(OUT):
        if f.endswith(".eml"):
            os.remove(os.path.join(OUT, f))
    labels = ["file\texpect\tkind\ttechnique\tproducer"]
    payloads = ["file\tpayload"]
    for i, (expect, kind, technique, producer, build) in enumerate(CASES, 1):
        name = "%03d-%s-%s.eml" % (i, technique, re.sub(r"[^a-z0-9]+", "-", producer))
        raw, payload = build(i % 60)
        assert b"\r\n\r\n" in raw and not re.search(rb"(?<!\r)\n", raw), name
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(raw)
        labels.append("\t".join([name, expect, kind, technique, producer]))
        if payload:
            payloads.append("%s\t%s" % (name, payload))
    for fn, rows in (("LABELS.tsv", labels), ("PAYLOADS.tsv", payloads)):
        with open(os.path.join(OUT, fn), "w") as f:
            f.write("\n".join(rows) + "\n")
    print("%d messages" % len(CASES))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(producers.WORK, ignore_errors=True)
