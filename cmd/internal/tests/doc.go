// Package tests holds tlsgate's test infrastructure, apart from the product
// code: the real-Postfix (e2e) and real-Sendmail (e2esendmail) end-to-end
// tests, the loopback SMTP receivers they deliver to (smtptest), the helper
// that builds and runs the daemon (testdaemon) and the whole-suite scan of
// every log for personal data (logscan). Nothing here is shipped.
package tests
