#!/bin/sh
# Install test for the Debian package:
#
#   packaging/test-install.sh
#
# Builds the .deb with build-deb.sh, installs it with dpkg -i into a clean
# Debian 12 (bookworm) root made with debootstrap, and checks the files, the
# system user, the systemd unit (systemd-analyze verify), the installed
# binary against the installed configuration, the man pages, and removal and
# purge. Prints the unit's systemd-analyze security exposure score.
#
# Needs root (chroot, mount), debootstrap and, the first time, network access
# to a Debian mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian).
# The bootstrapped root is cached as a tarball in TLSGATE_CACHE (default
# $XDG_CACHE_HOME/tlsgate-ci, else /var/cache/tlsgate-ci for root), so later
# runs unpack it instead of bootstrapping; delete the tarball to refresh it.
# Without root, debootstrap or network the test is skipped with a message
# and exit status 0, unless TLSGATE_REQUIRE_INSTALL_TEST=1 (CI) makes that a
# failure.
set -eu

start=$(date +%s)
cd "$(dirname "$0")/.."

skip() {
	echo "SKIP: test-install.sh: $*" >&2
	if [ "${TLSGATE_REQUIRE_INSTALL_TEST:-}" = 1 ]; then
		exit 1
	fi
	exit 0
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ok() { echo "ok   $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (chroot and mount)"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed (apt-get install debootstrap)"
command -v systemd-analyze >/dev/null 2>&1 || skip "systemd-analyze is not installed (apt-get install systemd)"

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache=${TLSGATE_CACHE:-$XDG_CACHE_HOME/tlsgate-ci}
else
	cache=${TLSGATE_CACHE:-/var/cache/tlsgate-ci}
fi
# Packages the test itself uses inside the root: adduser and
# init-system-helpers and procps (the package's dependencies; procps has
# /bin/kill for ExecReload), systemd (systemd-analyze),
# man-db (the man pages), logrotate (its configuration is checked).
include=adduser,init-system-helpers,procps,systemd,man-db,logrotate
tarball=$cache/bookworm-minbase-$(dpkg --print-architecture)-$(echo "$include" | md5sum | cut -c1-8).tar.gz

work=$(mktemp -d)
root=$work/root
cleanup() {
	if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc"; fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# 1. Build the package.
deb=$(OUTDIR=$work/dist packaging/build-deb.sh)
ok "built $(basename "$deb") in $(($(date +%s) - start))s"
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error "$deb" >"$work/lintian.log" 2>&1 || {
		cat "$work/lintian.log" >&2
		fail "lintian reports errors"
	}
	ok "lintian: no errors ($(grep -c '^W:' "$work/lintian.log" || true) warnings: $(sed -n 's/^W: tlsgate: \([^ ]*\).*/\1/p' "$work/lintian.log" | tr '\n' ' '))"
else
	echo "note lintian is not installed; not run"
fi

# 2. A clean Debian 12 root, from the cache when possible.
if [ ! -s "$tarball" ]; then
	echo "bootstrapping Debian 12 into the cache $cache (once; a few minutes)"
	mkdir -p "$cache"
	boot=$work/boot
	if ! debootstrap --variant=minbase --include="$include" bookworm "$boot" "$mirror" >"$work/debootstrap.log" 2>&1; then
		tail -5 "$work/debootstrap.log" >&2
		skip "debootstrap failed (no network or mirror $mirror unreachable?); log above"
	fi
	rm -rf "$boot/var/cache/apt/archives"/*.deb "$boot/var/lib/apt/lists"/*_Packages
	tar -C "$boot" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	rm -rf "$boot"
fi
mkdir -p "$root"
tar -C "$root" -xzf "$tarball"
mount -t proc proc "$root/proc"
ok "clean Debian $(cat "$root/etc/debian_version") root ready ($(($(date +%s) - start))s)"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# A Postfix group, as on a relay with Postfix installed: postinst must add
# tlsgate to it.
in_root groupadd --system postfix

# 3. Install.
cp "$deb" "$root/tmp/"
in_root dpkg -i "/tmp/$(basename "$deb")" >"$work/dpkg.log" 2>&1 || {
	cat "$work/dpkg.log" >&2
	fail "dpkg -i failed"
}
ok "dpkg -i"

# 4. Files.
for f in /usr/sbin/tlsgate /etc/tlsgate/tlsgate.toml /lib/systemd/system/tlsgate.service \
	/etc/tlsgate/tlsgate_bounce.cf /etc/tlsgate/tlsgate_tls_status \
	/etc/logrotate.d/tlsgate /usr/share/man/man8/tlsgate.8.gz /usr/share/man/man5/tlsgate.toml.5.gz \
	/usr/share/doc/tlsgate/copyright /usr/share/doc/tlsgate/changelog.Debian.gz \
	/usr/share/doc/tlsgate/examples/postfix/main.cf.example \
	/usr/share/doc/tlsgate/examples/postfix/master.cf.example \
	/usr/share/doc/tlsgate/examples/postfix/tlsgate_milter_header_checks \
	/usr/share/doc/tlsgate/examples/postfix/tlsgate_strip \
	/usr/share/lintian/overrides/tlsgate; do
	[ -f "$root$f" ] || fail "$f is not installed"
done
[ -x "$root/usr/sbin/tlsgate" ] || fail "/usr/sbin/tlsgate is not executable"
in_root dpkg-query -W -f='${Conffiles}\n' tlsgate | grep -q '/etc/tlsgate/tlsgate.toml' ||
	fail "/etc/tlsgate/tlsgate.toml is not a conffile"
[ ! -e "$root/etc/postfix" ] || fail "the package created /etc/postfix"
ok "files installed; tlsgate.toml is a conffile; Postfix's files untouched"

# 5. The user.
pw=$(in_root getent passwd tlsgate) || fail "no user tlsgate"
uid=$(echo "$pw" | cut -d: -f3)
[ "$uid" -lt 1000 ] || fail "tlsgate is not a system user: $pw"
echo "$pw" | grep -q ':/nonexistent:/usr/sbin/nologin$' || fail "tlsgate has a home or a shell: $pw"
in_root getent group tlsgate >/dev/null || fail "no group tlsgate"
in_root id -nG tlsgate | grep -qw postfix || fail "tlsgate is not in group postfix: $(in_root id -nG tlsgate)"
ok "system user $pw, groups: $(in_root id -nG tlsgate)"

# 6. The unit.
[ -L "$root/etc/systemd/system/multi-user.target.wants/tlsgate.service" ] ||
	fail "tlsgate.service is not enabled"
if ! in_root systemd-analyze verify /lib/systemd/system/tlsgate.service >"$work/verify.log" 2>&1; then
	cat "$work/verify.log" >&2
	fail "systemd-analyze verify"
fi
[ ! -s "$work/verify.log" ] || {
	cat "$work/verify.log" >&2
	fail "systemd-analyze verify printed warnings"
}
ok "tlsgate.service enabled; systemd-analyze verify clean"
cp "$root/lib/systemd/system/tlsgate.service" "$work/tlsgate.service" # for step 10

# 7. The installed binary against the installed configuration.
out=$(in_root /usr/sbin/tlsgate -check-config -config /etc/tlsgate/tlsgate.toml 2>&1) ||
	fail "tlsgate -check-config: $out"
ok "tlsgate -check-config -config /etc/tlsgate/tlsgate.toml: $out"
v=$(in_root /usr/sbin/tlsgate -version)
case $v in "tlsgate "[0-9]*) ok "$v" ;; *) fail "-version printed $v" ;; esac
printf 'refused_action = "sometimes"\n' >"$root/tmp/bad.toml"
rc=0
in_root /usr/sbin/tlsgate -check-config -config /tmp/bad.toml >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a bad config exits $rc, want 2"
ok "a bad config exits 2 (RestartPreventExitStatus=2)"
# As the service runs it: user tlsgate, on a free loopback port, then SIGTERM.
port=$((20000 + $$ % 20000))
# chroot, env and setpriv each exec the next, so $! is the daemon's PID.
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=tlsgate --regid=tlsgate --init-groups \
	/usr/sbin/tlsgate -config /etc/tlsgate/tlsgate.toml -listen "inet:127.0.0.1:$port" >"$work/run.log" 2>&1 &
pid=$!
i=0
until grep -q started "$work/run.log" || [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5 # "started" is logged just before the signal handlers are set up
kill -TERM $pid
rc=0
wait $pid || rc=$?
grep -q started "$work/run.log" && [ "$rc" = 0 ] || {
	cat "$work/run.log" >&2
	fail "the daemon did not start as user tlsgate and stop cleanly on SIGTERM (exit $rc)"
}
ok "runs as user tlsgate, stops cleanly on SIGTERM"
pc=$(in_root /usr/sbin/tlsgate postfix-config) || fail "tlsgate postfix-config"
echo "$pc" | grep -q "smtpd_milters = inet:127.0.0.1:8898" || fail "postfix-config: $pc"
ok "tlsgate postfix-config"

# 8. Man pages and logrotate.
in_root man -w tlsgate >/dev/null 2>&1 && in_root man -w 5 tlsgate.toml >/dev/null 2>&1 || fail "man pages not found by man"
in_root logrotate -d /etc/logrotate.d/tlsgate >"$work/logrotate.log" 2>&1 || {
	cat "$work/logrotate.log" >&2
	fail "logrotate rejects /etc/logrotate.d/tlsgate"
}
ok "man tlsgate, man 5 tlsgate.toml; logrotate accepts its configuration"

# 9. Remove and purge: the configuration stays on remove, goes on purge; the
# user stays (Debian policy).
in_root dpkg -r tlsgate >/dev/null 2>&1 || fail "dpkg -r"
[ -f "$root/etc/tlsgate/tlsgate.toml" ] || fail "dpkg -r removed the conffile"
in_root dpkg -P tlsgate >/dev/null 2>&1 || fail "dpkg -P"
[ ! -e "$root/etc/tlsgate/tlsgate.toml" ] || fail "dpkg -P left the conffile"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/tlsgate.service" ] || fail "dpkg -P left the unit enabled"
in_root getent passwd tlsgate >/dev/null || fail "purge removed the user"
ok "dpkg -r keeps the config; dpkg -P removes it and keeps the user"

# 10. Exposure score of the unit as installed, on the host (no systemd
# running in the root): 0 is best, 10 worst.
score=$(systemd-analyze security --offline=true "$work/tlsgate.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for tlsgate.service: //p')
[ -n "$score" ] || fail "systemd-analyze security printed no score"
echo "systemd-analyze security tlsgate.service: $score"

echo "PASS: test-install.sh in $(($(date +%s) - start))s"
