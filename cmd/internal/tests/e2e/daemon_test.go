package e2e

import (
	"testing"

	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// daemonConfig is the whole tlsgate configuration for these tests: defaults
// everywhere, and a refused opt-out is delivered with TLS required.
const daemonConfig = "refused_action = \"enforce\"\n"

// The daemon and the waiting helpers are shared with the other end-to-end
// package: see cmd/internal/tests/testdaemon.
type daemon = testdaemon.Daemon

var (
	buildDaemon   = testdaemon.Build
	moduleRoot    = testdaemon.ModuleRoot
	readFile      = testdaemon.ReadFile
	freePort      = testdaemon.FreePort
	waitListening = testdaemon.WaitListening
	poll          = testdaemon.Poll
	writeFile     = testdaemon.WriteFile
)

func startDaemon(t *testing.T, bin string) *daemon {
	return testdaemon.Start(t, bin, daemonConfig)
}

// shipped reads a file of packaging/SUBDIR, so the test runs what is
// shipped.
func shipped(t *testing.T, subdir, name string) string {
	return testdaemon.Shipped(t, subdir, name)
}
