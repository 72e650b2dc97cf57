#!/bin/sh
# Install test for the Debian package:
#
#   packaging/test-install.sh
#
# Builds the .deb with build-deb.sh, installs it with dpkg -i into a clean
# Debian 12 (bookworm) root made with debootstrap by running the README's
# "first ten minutes" transcript there (its output must match the README),
# and checks the files and shipped docs, the system user and its groups, the
# audit log permissions (group adm reads them, after logrotate too), the
# systemd unit (systemd-analyze verify; its reload fails on a broken config
# before signalling), the installed binary against the installed
# configuration, the rendered man pages, and removal and purge. Prints the
# unit's systemd-analyze security exposure score.
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

# A Postfix group, as on a relay with Postfix installed: postinst must not
# add tlsgate to it.
in_root groupadd --system postfix

# 3. Install, as the README's transcript of an administrator's first ten
# minutes does: each "# command" line of the block runs as root in /root,
# and what it prints must be the lines below it ("..." stands for any
# lines). What changes with every edit of the shipped config or the term
# lists is compared masked: rules digests, line numbers in tlsgate.toml,
# the list of known categories. On a mismatch the transcript as run is
# printed, ready to paste into README.md.
cp "$deb" "$root/root/"
sed -n '/^<!-- transcript begin -->$/,/^<!-- transcript end -->$/p' README.md |
	sed -e '1,2d' -e '$d' | sed '$d' >"$work/transcript.want"
[ -s "$work/transcript.want" ] || fail "README.md has no transcript block"
: >"$work/transcript.got"
grep '^# ' "$work/transcript.want" | sed 's/^# //' >"$work/transcript.cmds"
while IFS= read -r cmd; do
	printf '# %s\n' "$cmd" >>"$work/transcript.got"
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
		sh -c "cd /root && $cmd" >>"$work/transcript.got" 2>&1 </dev/null || true
done <"$work/transcript.cmds"
mask() {
	sed -e 's/rules [a-p]\{12\}/rules DIGEST/g' -e 's/tlsgate\.toml:[0-9]*:/tlsgate.toml:LINE:/g' \
		-e 's/(known: [^;]*;/(known: CATEGORIES;/' "$1"
}
mask "$work/transcript.want" >"$work/want.masked"
mask "$work/transcript.got" >"$work/got.masked"
if ! awk -f packaging/transcript.awk "$work/want.masked" "$work/got.masked" >"$work/transcript.diff"; then
	cat "$work/transcript.diff" >&2
	echo "--- the transcript as run:" >&2
	cat "$work/transcript.got" >&2
	fail "the README transcript no longer matches what the installed package does"
fi
in_root dpkg-query -W -f='${Status}\n' tlsgate | grep -q 'install ok installed' || fail "the transcript did not install tlsgate"
ok "README transcript: $(wc -l <"$work/transcript.cmds") commands, output as in README.md (dpkg -i, postinst's next steps, check, -check-config)"

# 4. Files.
for f in /usr/sbin/tlsgate /etc/tlsgate/tlsgate.toml /lib/systemd/system/tlsgate.service \
	/etc/tlsgate/tlsgate_bounce.cf /etc/tlsgate/tlsgate_tls_status \
	/etc/logrotate.d/tlsgate /usr/share/man/man8/tlsgate.8.gz /usr/share/man/man5/tlsgate.toml.5.gz \
	/usr/share/doc/tlsgate/copyright /usr/share/doc/tlsgate/changelog.Debian.gz \
	/usr/share/doc/tlsgate/examples/postfix/main.cf.example \
	/usr/share/doc/tlsgate/examples/postfix/master.cf.example \
	/usr/share/doc/tlsgate/examples/postfix/tlsgate_milter_header_checks \
	/usr/share/doc/tlsgate/examples/postfix/tlsgate_strip \
	/usr/share/doc/tlsgate/README.md.gz /usr/share/doc/tlsgate/README.Debian \
	/usr/share/doc/tlsgate/examples/sendmail/README.md.gz \
	/usr/share/doc/tlsgate/examples/sendmail/tlsgate.mc \
	/usr/share/doc/tlsgate/examples/sendmail/tlsgate-optout.mc \
	/usr/share/doc/tlsgate/examples/sendmail/access.example \
	/usr/share/doc/tlsgate/examples/sendmail/access-optout.example \
	/usr/share/lintian/overrides/tlsgate; do
	[ -f "$root$f" ] || fail "$f is not installed"
done
[ -x "$root/usr/sbin/tlsgate" ] || fail "/usr/sbin/tlsgate is not executable"
in_root dpkg-query -W -f='${Conffiles}\n' tlsgate | grep -q '/etc/tlsgate/tlsgate.toml' ||
	fail "/etc/tlsgate/tlsgate.toml is not a conffile"
[ ! -e "$root/etc/postfix" ] || fail "the package created /etc/postfix"
zcat "$root/usr/share/doc/tlsgate/README.md.gz" | grep -q '^# tlsgate' || fail "README.md.gz is not the README"
grep -q 'First steps' "$root/usr/share/doc/tlsgate/README.Debian" || fail "README.Debian has no first steps"
in_root dpkg-query -W -f='${Recommends}\n' tlsgate | grep -qw logrotate || fail "tlsgate does not recommend logrotate"
ok "files installed (README, README.Debian, Sendmail recipe and .mc files); tlsgate.toml is a conffile; Postfix's files untouched"

# 5. The user.
pw=$(in_root getent passwd tlsgate) || fail "no user tlsgate"
uid=$(echo "$pw" | cut -d: -f3)
[ "$uid" -lt 1000 ] || fail "tlsgate is not a system user: $pw"
echo "$pw" | grep -q ':/nonexistent:/usr/sbin/nologin$' || fail "tlsgate has a home or a shell: $pw"
in_root getent group tlsgate >/dev/null || fail "no group tlsgate"
! in_root id -nG tlsgate | grep -qw postfix || fail "tlsgate was put in group postfix: $(in_root id -nG tlsgate)"
! in_root id -nG postfix 2>/dev/null | grep -qw tlsgate || fail "postfix was put in group tlsgate"
ok "system user $pw, groups: $(in_root id -nG tlsgate) (not postfix: for a unix socket postfix joins tlsgate, README.Debian)"

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

# 6b. systemctl reload runs the unit's ExecReload= lines in order, as the
# unit's user, and stops at the first that fails (no systemd runs in the
# root, so they are run here the same way): with a broken config the check
# fails and the daemon is never signalled.
grep '^ExecReload=' "$work/tlsgate.service" | sed 's/^ExecReload=//' >"$work/reload.cmds"
[ "$(wc -l <"$work/reload.cmds")" = 2 ] && tail -1 "$work/reload.cmds" | grep -q '^/bin/kill -HUP \$MAINPID$' ||
	fail "ExecReload= is not a check then kill -HUP: $(cat "$work/reload.cmds")"
as_tlsgate() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=tlsgate --regid=tlsgate --init-groups "$@"; }
check=$(head -1 "$work/reload.cmds")
cp "$root/etc/tlsgate/tlsgate.toml" "$work/good.toml"
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
as_tlsgate $check >"$work/reload.log" 2>&1 || fail "ExecReload's check fails on the shipped config: $(cat "$work/reload.log")"
sed -i -e '1i Refused_Action = "reject"' -e '/^\[limits\]/a max_parts = "many"' "$root/etc/tlsgate/tlsgate.toml"
rc=0
# shellcheck disable=SC2086
as_tlsgate $check >"$work/reload.log" 2>&1 || rc=$?
cp "$work/good.toml" "$root/etc/tlsgate/tlsgate.toml"
[ "$rc" = 2 ] && grep -q 'tlsgate.toml:[0-9]*: Refused_Action: unknown key' "$work/reload.log" &&
	grep -q 'tlsgate.toml:[0-9]*: limits.max_parts: expected a whole number' "$work/reload.log" || {
	cat "$work/reload.log" >&2
	fail "ExecReload's check passed a broken config (exit $rc)"
}
ok "systemctl reload with a broken config: '$check' exits 2 naming both problems, so kill -HUP never runs"

# 6c. The audit trail: tlsgate writes it, group adm reads it, before and
# after logrotate.
perms() { in_root stat -c "%U:%G %a" "/var/log/tlsgate/${1:-}" 2>/dev/null; }
[ "$(perms)" = "tlsgate:adm 2750" ] || fail "/var/log/tlsgate is $(perms), want tlsgate:adm 2750"
printf '[audit]\nfile = "/var/log/tlsgate/audit.log"\n' >"$root/etc/tlsgate/audit.toml"
out=$(as_tlsgate /usr/sbin/tlsgate -check-config -config /etc/tlsgate/audit.toml 2>&1) || fail "-check-config with the audit file: $out"
port=$((20000 + $$ % 20000))
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=tlsgate --regid=tlsgate --init-groups \
	/usr/sbin/tlsgate -config /etc/tlsgate/audit.toml -listen "inet:127.0.0.1:$((port + 1))" >"$work/audit-run.log" 2>&1 &
pid=$!
i=0
until grep -q started "$work/audit-run.log" || [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $pid
wait $pid || true
[ "$(perms audit.log)" = "tlsgate:adm 640" ] || fail "audit.log is $(perms audit.log), want tlsgate:adm 640; $(cat "$work/audit-run.log")"
echo '{"test":1}' >>"$root/var/log/tlsgate/audit.log"
in_root logrotate -f /etc/logrotate.d/tlsgate >"$work/logrotate.log" 2>&1 || {
	cat "$work/logrotate.log" >&2
	fail "logrotate -f /etc/logrotate.d/tlsgate"
}
rotated=$(cd "$root/var/log/tlsgate" && ls audit.log-* 2>/dev/null | head -1)
[ -n "$rotated" ] && [ "$(perms audit.log)" = "tlsgate:adm 640" ] && [ "$(perms "$rotated")" = "tlsgate:adm 640" ] ||
	fail "after logrotate: $(ls -l "$root/var/log/tlsgate")"
adm=$(in_root getent group adm | cut -d: -f3)
chroot "$root" setpriv --reuid=nobody --regid=nogroup --groups="$adm" cat /var/log/tlsgate/audit.log "/var/log/tlsgate/$rotated" >/dev/null ||
	fail "a member of group adm cannot read the audit trail"
! chroot "$root" setpriv --reuid=nobody --regid=nogroup --clear-groups cat "/var/log/tlsgate/$rotated" >/dev/null 2>&1 ||
	fail "anyone can read the audit trail"
rm -f "$root/etc/tlsgate/audit.toml"
ok "audit trail: /var/log/tlsgate tlsgate:adm 2750, audit.log and $rotated tlsgate:adm 0640 after logrotate; group adm reads them, others do not"

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
# Rendered as an admin reads them: the term patterns keep their '*', and
# tlsgate(8) names message_reject_characters and every command.
in_root env MANWIDTH=200 man 5 tlsgate.toml >"$work/toml.5.txt" 2>&1 || fail "man 5 tlsgate.toml: $(cat "$work/toml.5.txt")"
stars=$(sed -n '/^BUILT-IN TERM LISTS/,/^EXAMPLE/p' "$work/toml.5.txt" | grep -o '\*", ' | wc -l)
grep -qF '"cpr-nummer*"' "$work/toml.5.txt" && [ "$stars" -ge 50 ] ||
	fail "man 5 tlsgate.toml does not show the term patterns as written ($stars patterns ending in '*')"
in_root env MANWIDTH=200 man 8 tlsgate >"$work/tlsgate.8.txt" 2>&1 || fail "man 8 tlsgate"
for w in message_reject_characters 'tlsgate check' 'tlsgate help' postfix-check postfix-config tls-report; do
	grep -qF -- "$w" "$work/tlsgate.8.txt" || fail "man 8 tlsgate does not mention $w"
done
in_root logrotate -d /etc/logrotate.d/tlsgate >"$work/logrotate.log" 2>&1 || {
	cat "$work/logrotate.log" >&2
	fail "logrotate rejects /etc/logrotate.d/tlsgate"
}
ok "man tlsgate, man 5 tlsgate.toml ($stars built-in patterns shown ending in '*'); logrotate accepts its configuration"

# 9. Remove and purge: the configuration stays on remove, goes on purge; the
# user stays (Debian policy).
in_root dpkg -r tlsgate >/dev/null 2>&1 || fail "dpkg -r"
[ -f "$root/etc/tlsgate/tlsgate.toml" ] || fail "dpkg -r removed the conffile"
in_root dpkg -P tlsgate >"$work/purge.log" 2>&1 || fail "dpkg -P"
[ ! -e "$root/etc/tlsgate/tlsgate.toml" ] || fail "dpkg -P left the conffile"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/tlsgate.service" ] || fail "dpkg -P left the unit enabled"
in_root getent passwd tlsgate >/dev/null || fail "purge removed the user"
[ -f "$root/var/log/tlsgate/$rotated" ] && grep -q 'audit trail stays in /var/log/tlsgate' "$work/purge.log" ||
	fail "dpkg -P did not keep the audit trail (README.Debian): $(cat "$work/purge.log")"
ok "dpkg -r keeps the config; dpkg -P removes it, keeps the user and the audit trail, and says so"

# 10. Exposure score of the unit as installed, on the host (no systemd
# running in the root): 0 is best, 10 worst.
score=$(systemd-analyze security --offline=true "$work/tlsgate.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for tlsgate.service: //p')
[ -n "$score" ] || fail "systemd-analyze security printed no score"
echo "systemd-analyze security tlsgate.service: $score"

echo "PASS: test-install.sh in $(($(date +%s) - start))s"
