// Package e2e tests tlsgate end to end: the real daemon, built from
// ./cmd/tlsgate, behind a private Postfix instance configured with the
// shipped snippets in packaging/postfix, delivering to test receivers with
// and without STARTTLS (cmd/internal/tests/smtptest).
//
// The tests need root and Postfix (postfix, postconf, postqueue, sendmail); the system
// Postfix must not be bound to port 25 on all addresses, because the
// receivers listen on 127.0.0.2:25 and 127.0.0.3:25. Without root or
// Postfix, and with go test -short, they are skipped; set TLSGATE_E2E=require
// to make a missing prerequisite a failure instead (as CI does). Set
// TLSGATE_E2E_BIN to test an already built tlsgate binary instead of
// building ./cmd/tlsgate.
//
// On Debian:
//
//	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
//	DEBIAN_FRONTEND=noninteractive apt-get install -y postfix
//
// TestPostfixThroughput and TestPostfixFaults (throughput_test.go,
// fault_test.go) run a second private instance,
// $TMPDIR/tlsgate-e2e-postfix-load, with receivers on 127.0.0.6:25
// (STARTTLS), 127.0.0.7:25 (none) and smtp-sink on 127.0.0.8:25, and a
// tlsgate process they kill, stop, freeze and restart on one address. Each
// logs a SUMMARY line with its figures (FIGURES.md has a set); they assert
// only correctness, never speed. They need smtp-source and smtp-sink (in
// Debian's postfix package) and take about two minutes.
//
// TestOpenDKIM runs Debian's OpenDKIM (opendkim, opendkim-tools) as a
// second milter in a private instance and verifies the signatures the
// receivers get with python3-dkim, the public key handed over without DNS.
//
// The private instance lives in $TMPDIR/tlsgate-e2e-postfix; it is stopped
// when the test ends and removed unless the test failed, so its maillog can
// be read. Postfix's set-gid programs want a non-default configuration
// directory listed in the default main.cf's alternate_config_directories:
// the tests run in a private mount namespace (TestMain, testns) where
// /etc/postfix is a writable copy, so the machine's own configuration is
// never written and may be read-only.
package e2e
