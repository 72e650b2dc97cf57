// Package realcorpus holds the gate tests for the real-producer corpus in
// testdata/real: mail shaped as Outlook, Thunderbird and web systems write
// it, with attachments made by LibreOffice, Office-compatible Python
// libraries, PDF printers and OCR. The tests decide every message with the
// shipped default rules, once through classify and rules as the daemon
// does and once through the milter protocol, and hold the result to the
// bar of issue 10: every technique caught, at most 2% of harmless
// messages refused. It has no code of its own.
package realcorpus
