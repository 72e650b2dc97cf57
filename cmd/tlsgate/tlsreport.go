package main

import (
	"io"

	"github.com/tlsgate/tlsgate/cmd/internal/tlsreport"
)

// tlsReport is "tlsgate tls-report", with the usage form every command
// shares.
func tlsReport(args []string, stdout, stderr io.Writer) int {
	return tlsreport.Run(newFlagSet("tls-report", stderr), args, stdout, stderr)
}
