// Package e2esendmail holds the end-to-end test of tlsgate behind a real
// Sendmail 8.17 (Debian 12's packages, unpacked into a private directory by
// packaging/sendmail/fetch-debian.sh, never installed): both shipped
// recipes (fail-closed, and the envelope channel for granted opt-outs), the
// real tlsgate daemon, and loopback receivers with and without STARTTLS.
//
// The package has only tests. They need root (Sendmail's daemon mode binds
// and changes user), unshare(1), m4, libwrap0 and liblockfile1, and either a
// fetched Sendmail (see TLSGATE_SENDMAIL_DIR) or apt-get to fetch one. When
// something is missing they skip, unless TLSGATE_E2E=require, which turns
// every skip into a failure so CI cannot pass without running them.
package e2esendmail
