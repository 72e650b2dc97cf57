package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/cmd/internal/tests/testdaemon"
)

// TestDrainIsNoFault stops the daemon with SIGTERM while one connection
// waits for its next message and another is in the middle of one. The
// drain closes the first at once, and that is no protocol fault: the
// counter tlsgate_errors_total{kind="protocol"} stays at 0 and the log has
// no "milter protocol" line, while the message in flight still completes.
// (milter/drain_test.go opens the window between a decision and its reply.)
func TestDrainIsNoFault(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	metricsAddr := testdaemon.FreePort(t)
	d := testdaemon.Start(t, testdaemon.Build(t), fmt.Sprintf("[metrics]\nlisten = %q\n", metricsAddr))

	// A connection that has finished a message and waits for the next,
	// as Postfix keeps one per SMTP session.
	done := clientSession(t, d.Addr)
	begin(t, done, "Referat")
	finish(t, done, "Referatet følger.\r\n")
	// One that has only negotiated, driven by hand to see the close.
	idle := negotiated(t, d.Addr)
	// One with a message in flight.
	busy := clientSession(t, d.Addr)
	begin(t, busy, "[unsecure] Frokost")
	if _, err := busy.BodyChunk([]byte("Vi ses ")); err != nil {
		t.Fatal(err)
	}

	d.Signal(t, syscall.SIGTERM)
	d.WaitLog(t, "stopping; draining messages in flight", 1)
	var b [1]byte
	if _, err := idle.Read(b[:]); !errors.Is(err, io.EOF) {
		t.Fatalf("idle connection during the drain: read %v, want the daemon to close it", err)
	}
	if got := scrape(t, metricsAddr)[`tlsgate_errors_total{kind="protocol"}`]; got != 0 {
		t.Errorf(`tlsgate_errors_total{kind="protocol"} = %v after the drain closed idle connections, want 0`, got)
	}
	if got := finish(t, busy, "kl. 12.\r\n"); got != (decision{"opportunistic", "Frokost"}) {
		t.Errorf("message in flight at SIGTERM: got %+v", got)
	}
	busy.Close()
	if err := d.WaitExit(t, 60*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}
	if log := testdaemon.ReadFile(d.LogPath); strings.Contains(log, "milter protocol") {
		t.Errorf("the drain was logged as a protocol fault:\n%s", log)
	}
}

// negotiated opens a milter connection and negotiates as Postfix does
// (protocol version 2), leaving the daemon waiting for the next packet.
func negotiated(t *testing.T, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(60 * time.Second))
	var p []byte
	p = binary.BigEndian.AppendUint32(p, 13) // command byte and three words
	p = append(p, 'O')
	p = binary.BigEndian.AppendUint32(p, 2)
	p = binary.BigEndian.AppendUint32(p, uint32(gomilter.OptAddHeader|gomilter.OptChangeHeader))
	p = binary.BigEndian.AppendUint32(p, 0)
	if _, err := nc.Write(p); err != nil {
		t.Fatal(err)
	}
	var n uint32
	if err := binary.Read(nc, binary.BigEndian, &n); err != nil || n == 0 || n > 1<<10 {
		t.Fatalf("negotiation reply: length %d, %v", n, err)
	}
	if _, err := io.CopyN(io.Discard, nc, int64(n)); err != nil {
		t.Fatalf("negotiation reply: %v", err)
	}
	return nc
}
