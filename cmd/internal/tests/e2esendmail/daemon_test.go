package e2esendmail

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

func startDaemon(t *testing.T, bin, config string) *daemon {
	return testdaemon.Start(t, bin, config)
}

// shippedFile reads a file of packaging/sendmail, so the test runs what is
// shipped.
func shippedFile(t *testing.T, name string) string {
	return testdaemon.Shipped(t, "sendmail", name)
}
