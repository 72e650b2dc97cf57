#!/bin/sh
# Regenerates testdata/holdout3 (the third held-out round) with Debian's
# python3 and the producers of the first round: the generator reuses
# testdata/holdout/gen/{producers,mailshape,cpr,registry}.py and
# testdata/holdout2/gen/r2_common.py and holds only its own cases. faketime
# pins the dates producers write into documents; document IDs still differ
# from run to run, so regenerate only to change the corpus and commit what
# the run wrote.
set -e
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")"
if command -v faketime >/dev/null; then
	exec faketime '2024-11-05 10:00:00' /usr/bin/python3 make.py
fi
exec /usr/bin/python3 make.py
