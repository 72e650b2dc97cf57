// Package holdout holds only tests: the held-out corpus of
// testdata/holdout, messages with attachments from real producers that no
// reader or vocabulary was tuned on, decided with the default rules and
// through the milter protocol. Its results are reported in
// testdata/holdout/RESULTS.md, not gated: a test fails only when a decision
// changes without RESULTS.md being regenerated (go test -update).
package holdout
