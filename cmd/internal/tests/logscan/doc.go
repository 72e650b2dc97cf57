// Package logscan holds the whole-suite log check: after every other test
// has run and left a copy of each log tlsgate wrote in $TLSGATE_LOG_DIR
// (cmd/internal/tests/testdaemon.KeepLog, and the milter package's own tests),
// TestSuiteLogs reads them all and fails on any CPR-shaped string, any
// sensitive term, or any line of a test message's text.
//
// .ci/run runs it as a second step, with TLSGATE_LOGSCAN=require:
//
//	TLSGATE_LOG_DIR=DIR go test ./...
//	TLSGATE_LOG_DIR=DIR TLSGATE_LOGSCAN=require go test -run TestSuiteLogs ./cmd/internal/tests/logscan
package logscan
