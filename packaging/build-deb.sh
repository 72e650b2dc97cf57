#!/bin/sh
# Build the tlsgate Debian package:
#
#   packaging/build-deb.sh            → packaging/dist/tlsgate_<version>_<arch>.deb
#
# Environment: OUTDIR (default packaging/dist), GOARCH (default: the host's),
# SOURCE_DATE_EPOCH (default: the last commit's time, else the changelog's
# date), VERSION (default: the top entry of packaging/debian/changelog).
#
# Only Debian's own dpkg-deb is used (package dpkg, on every Debian system):
# no debhelper, no nfpm, no fakeroot (--root-owner-group makes every file
# root's). The package is small and fixed, and a source package would need
# Go modules packaged for Debian; a shell script the reader can follow
# replaces debian/rules. The maintainer scripts are what dh_installsystemd
# would generate. Builds are reproducible: same tree, same epoch → same .deb.
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
pkg=$top/packaging

version=${VERSION:-$(sed -n '1s/^tlsgate (\([^)]*\)).*/\1/p' "$pkg/debian/changelog")}
upstream=${version%-*}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || true)
	if [ -z "$SOURCE_DATE_EPOCH" ]; then
		SOURCE_DATE_EPOCH=$(date -d "$(sed -n 's/^ -- .*>  //p' "$pkg/debian/changelog" | head -1)" +%s)
	fi
fi
export SOURCE_DATE_EPOCH
goarch=${GOARCH:-$(go env GOARCH)}
case $goarch in
amd64 | arm64 | ppc64el | s390x | riscv64) arch=$goarch ;;
386) arch=i386 ;;
arm) arch=armhf ;;
*) echo "build-deb.sh: no Debian architecture known for GOARCH=$goarch" >&2; exit 1 ;;
esac
outdir=${OUTDIR:-$pkg/dist}
deb=$outdir/tlsgate_${version}_${arch}.deb

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
umask 022
root=$stage/root
doc=$root/usr/share/doc/tlsgate
mkdir -p "$root/DEBIAN" "$root/usr/sbin" "$root/etc/tlsgate" "$root/etc/logrotate.d" \
	"$root/lib/systemd/system" "$root/usr/share/man/man8" "$root/usr/share/man/man5" \
	"$doc/examples/postfix"

# Static, stripped and position-independent (static-pie: lintian's
# shared-library-lacks-prerequisites warning is a false positive for it; a
# non-PIE static binary is a lintian error, and linking with cgo would need
# a C toolchain and a libc6 dependency for nothing); -trimpath and an empty build ID
# keep machine paths and randomness out of the binary.
CGO_ENABLED=0 GOOS=linux GOARCH=$goarch go build -trimpath -buildvcs=false -buildmode=pie \
	-ldflags "-s -w -buildid= -X main.version=$upstream" \
	-o "$root/usr/sbin/tlsgate" ./cmd/tlsgate

install -m 0644 "$pkg/tlsgate.toml" "$root/etc/tlsgate/tlsgate.toml"
# Postfix's sender notices (main.cf bounce_template_file, the
# smtp-tls-required transport's smtp_delivery_status_filter): conffiles in
# /etc/tlsgate, since the package leaves /etc/postfix alone.
install -m 0644 "$pkg/postfix/tlsgate_bounce.cf" "$pkg/postfix/tlsgate_tls_status" "$root/etc/tlsgate/"
install -m 0644 "$pkg/debian/logrotate" "$root/etc/logrotate.d/tlsgate"
install -m 0644 "$pkg/tlsgate.service" "$root/lib/systemd/system/tlsgate.service"
gzip -9n <"$pkg/man/tlsgate.8" >"$root/usr/share/man/man8/tlsgate.8.gz"
gzip -9n <"$pkg/man/tlsgate.toml.5" >"$root/usr/share/man/man5/tlsgate.toml.5.gz"
install -m 0644 "$pkg/debian/copyright" "$doc/copyright"
mkdir -p "$root/usr/share/lintian/overrides"
install -m 0644 "$pkg/debian/lintian-overrides" "$root/usr/share/lintian/overrides/tlsgate"
gzip -9n <"$pkg/debian/changelog" >"$doc/changelog.Debian.gz"
for f in "$pkg"/postfix/*; do
	install -m 0644 "$f" "$doc/examples/postfix/"
done
chmod 0644 "$root"/usr/share/man/*/*.gz "$doc/changelog.Debian.gz"

for s in postinst prerm postrm; do
	install -m 0755 "$pkg/debian/$s" "$root/DEBIAN/$s"
done
install -m 0644 "$pkg/debian/conffiles" "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
	grep -v '^etc/' | xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	"$pkg/debian/control.in" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

# Reproducible mtimes: everything dates from SOURCE_DATE_EPOCH.
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$outdir"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
