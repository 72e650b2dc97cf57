#!/bin/sh
# fetch-debian.sh DIR: downloads Debian 12's Sendmail 8.17 packages and
# unpacks them into DIR/root, without installing them (Sendmail conflicts
# with the postfix package). Used by cmd/internal/tests/e2esendmail; nothing here is
# committed. Needs apt-get and dpkg, and these installed for the binary's
# libraries and for building .cf files:
#   apt-get install -y libwrap0 liblockfile1 m4
set -eu
dir=${1:?usage: fetch-debian.sh DIR}
mkdir -p "$dir/debs"
cd "$dir/debs"
apt-get download sendmail-bin sendmail-base sendmail-cf
rm -rf "$dir/root.new"
mkdir "$dir/root.new"
for f in ./*.deb; do dpkg -x "$f" "$dir/root.new"; done
rm -rf "$dir/root"
mv "$dir/root.new" "$dir/root"
echo "sendmail unpacked in $dir/root"
