package milter

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The drain on SIGTERM (Server.Shutdown) must never close a connection
// between a message's decision and the MTA receiving it: Postfix would
// answer the client 451 at end of data while the audit log holds a record
// for a message never queued (issue #11, "Drain"). And closing connections
// that wait for the next message is the drain's job, not a protocol fault:
// go-milter logs what it takes for one through the standard logger, which
// the daemon counts in tlsgate_errors_total{kind="protocol"}.

// grantedReplies are the replies to the end of mailStart's message: the
// Subject without its tag, the routing header, accept.
const grantedReplies = "mha"

// captureGoMilterLog collects what go-milter writes to the standard logger
// until the test ends.
func captureGoMilterLog(t *testing.T) *syncWriter {
	t.Helper()
	w := &syncWriter{w: &bytes.Buffer{}}
	log.SetOutput(w)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return w
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.(*bytes.Buffer).String()
}

// dialRaw opens a milter connection to be driven packet by packet.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(60 * time.Second))
	return nc
}

// expectReplies reads len(want) replies and compares their command bytes.
func expectReplies(t *testing.T, nc net.Conn, want string) {
	t.Helper()
	var got []byte
	for len(got) < len(want) {
		code, err := readReply(nc)
		if err != nil {
			t.Fatalf("after replies %q, want %q: %v", got, want, err)
		}
		got = append(got, code)
	}
	if string(got) != want {
		t.Fatalf("replies %q, want %q", got, want)
	}
}

// expectServerClose asserts that the server closes nc without another reply.
func expectServerClose(t *testing.T, nc net.Conn) {
	t.Helper()
	code, err := readReply(nc)
	switch {
	case err == nil:
		t.Fatalf("unexpected reply %q, want the server to close the connection", code)
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.Fatalf("the server left the connection open: %v", err)
	}
}

func write(t *testing.T, nc net.Conn, b []byte) {
	t.Helper()
	if _, err := nc.Write(b); err != nil {
		t.Fatal(err)
	}
}

func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// TestDrainSendsDecidedReply holds a connection in the window between the
// decision at end of message and the write of its replies, runs a pass of
// the drain there, and then lets the replies go: they must reach the MTA
// before the connection is closed.
func TestDrainSendsDecidedReply(t *testing.T) {
	goMilterLog := captureGoMilterLog(t)
	var armed atomic.Bool
	reached, release := make(chan struct{}), make(chan struct{})
	passed := make(chan struct{})
	var passOnce sync.Once
	addr, _, srv := startServerWith(t, packetConfig, func(s *Server) {
		s.testBeforeFlush = func() {
			if armed.CompareAndSwap(true, false) {
				close(reached)
				<-release
			}
		}
		s.testDrainPass = func() { passOnce.Do(func() { close(passed) }) }
	})
	nc := dialRaw(t, addr)
	write(t, nc, mailStart())
	expectReplies(t, nc, mailStartReplies)

	armed.Store(true)
	write(t, nc, pkt('E'))
	wait(t, reached, "the end of the message to be decided")
	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		shutdown <- srv.Shutdown(ctx)
	}()
	wait(t, passed, "a pass of the drain")
	close(release)

	expectReplies(t, nc, grantedReplies)
	expectServerClose(t, nc)
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if s := goMilterLog.String(); s != "" {
		t.Errorf("the drain was logged as a protocol error:\n%s", s)
	}
}

// TestDrainWaitsForMessage drains a server with one connection waiting for
// its next message and one in the middle of a message: the first is closed
// at once and quietly, the second only after its message's replies.
func TestDrainWaitsForMessage(t *testing.T) {
	goMilterLog := captureGoMilterLog(t)
	addr, _, srv := startServer(t, packetConfig)
	idle := dialRaw(t, addr)
	write(t, idle, append(optneg(), connectPkt()...))
	expectReplies(t, idle, "Oc")
	busy := dialRaw(t, addr)
	write(t, busy, mailStart())
	expectReplies(t, busy, mailStartReplies)

	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		shutdown <- srv.Shutdown(ctx)
	}()
	expectServerClose(t, idle)
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned (%v) with a message in flight", err)
	default:
	}
	write(t, busy, pkt('E'))
	expectReplies(t, busy, grantedReplies)
	expectServerClose(t, busy)
	if err := <-shutdown; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if n := srv.InFlight(); n != 0 {
		t.Errorf("in flight after the drain: %d", n)
	}
	if s := goMilterLog.String(); s != "" {
		t.Errorf("the drain was logged as a protocol error:\n%s", s)
	}
}
