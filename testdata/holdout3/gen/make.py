"""Writes the third held-out corpus: one .eml per case, LABELS.tsv and
PAYLOADS.tsv, into the directory above this one. Run through make.sh.
The producers, mail shapes and CPR helpers are the first round's
(testdata/holdout/gen), the quoted-printable fix the second round's
(testdata/holdout2/gen/r2_common.py); the cases are new."""

import os
import re
import shutil
import sys
import zipfile

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.join(_HERE, "..", "..", "holdout", "gen"))
sys.path.append(os.path.join(_HERE, "..", "..", "holdout2", "gen"))

import r3_sensitive  # noqa: E402,F401 (registers cases)
import r3_harmless  # noqa: E402,F401
import producers  # noqa: E402
import r2_common  # noqa: E402
from registry import CASES  # noqa: E402

_from_file = zipfile.ZipInfo.from_file


def _pinned(*args, **kw):
    zi = _from_file(*args, **kw)
    zi.date_time = (2024, 11, 5, 10, 0, 0)
    return zi


zipfile.ZipInfo.from_file = _pinned

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    r2_common.patch_mailshape()
    for f in os.listdir(OUT):
        if f.endswith(".eml"):
            os.remove(os.path.join(OUT, f))
    labels = ["file\texpect\tkind\ttechnique\tproducer"]
    payloads = ["file\tpayload"]
    for i, (expect, kind, technique, producer, build) in enumerate(CASES, 1):
        name = "%03d-%s-%s.eml" % (i, technique, re.sub(r"[^a-z0-9]+", "-", producer))
        raw, payload = build(i % 60)
        assert b"\r\n\r\n" in raw and not re.search(rb"(?<!\r)\n", raw), name
        assert len(raw) < 2 << 20, name
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(raw)
        labels.append("\t".join([name, expect, kind, technique, producer]))
        if payload:
            payloads.append("%s\t%s" % (name, payload))
        print(name, flush=True)
    for fn, rows in (("LABELS.tsv", labels), ("PAYLOADS.tsv", payloads)):
        with open(os.path.join(OUT, fn), "w") as f:
            f.write("\n".join(rows) + "\n")
    print("%d messages" % len(CASES))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(producers.WORK, ignore_errors=True)
