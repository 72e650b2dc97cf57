// Package holdout holds only tests: the held-out corpora of
// testdata/holdout and testdata/holdout2, messages with attachments from
// real producers that no reader or vocabulary was tuned on when they were
// written (each round written after the one before was measured), decided
// with the default rules and through the milter protocol. Their results are
// reported in each corpus's RESULTS.md, not gated: a test fails only when a
// decision changes without RESULTS.md being regenerated (go test -update).
package holdout
