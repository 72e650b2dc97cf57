// Package corpus holds the labelled classifier corpus tests: recall per
// hiding technique and false positives on ordinary business mail, measured
// over testdata/corpus (written by ./gen), and the monotonicity property.
// It has no code of its own.
package corpus
