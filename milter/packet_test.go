package milter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/google/go-cmp/cmp"
)

// These tests speak the milter protocol by hand, badly, the way a broken or
// hostile peer on the milter socket could: each bad connection must end
// alone, leaving the server serving, no goroutine behind and no message
// counted in flight (issue #5, "Robust server").
//
// What go-milter v0.5.0 does with such input (session.go readPacket and
// Process): a length above 1 MiB (maxPacketSize) or zero is refused before
// anything is allocated; an unknown command byte, SMFIC_QUIT, a malformed
// connect or an empty macro packet end the session; everything else is
// passed on. None of these calls Abort, so the server itself must forget a
// message the peer abandons (server.go, idleConn.Close).

// packetConfig gives the idle timeout its smallest value, so the "silent
// peer" case ends in about a second.
const packetConfig = "[server]\nidle_timeout = \"1s\"\n"

// pkt builds one milter packet: 4-byte big-endian length, command, data.
func pkt(code byte, data ...string) []byte {
	body := string(code) + strings.Join(data, "")
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(body)))
	b.WriteString(body)
	return b.Bytes()
}

// rawLen is a length prefix alone, with what follows it.
func rawLen(n uint32, rest string) []byte {
	b := binary.BigEndian.AppendUint32(nil, n)
	return append(b, rest...)
}

// optneg is what Postfix sends first: version 2, the v2 action bits, no
// protocol exclusions.
func optneg() []byte {
	var d []byte
	d = binary.BigEndian.AppendUint32(d, 2)
	d = binary.BigEndian.AppendUint32(d, uint32(gomilter.OptAddHeader|gomilter.OptChangeHeader))
	d = binary.BigEndian.AppendUint32(d, 0)
	return pkt('O', string(d))
}

func connectPkt() []byte { return pkt('C', "client.example\x00", "4", "\x9c\x40", "127.0.0.1\x00") }

// mailStart is a whole message up to and including its first body packet:
// after it the server has a message in flight and a scan running.
// mailStartReplies are the replies to mailStart: negotiation, then
// continue for connect, MAIL, RCPT, the header, EOH and the body chunk.
const mailStartReplies = "Occcccc"

func mailStart() []byte {
	var b []byte
	for _, p := range [][]byte{
		optneg(), connectPkt(),
		pkt('D', "M", "i\x00Q1\x00"), pkt('M', "<a@example.dk>\x00"),
		pkt('R', "<b@example.com>\x00"),
		pkt('L', "Subject\x00[unsecure] hej\x00"), pkt('N'),
		pkt('B', "Vi ses.\r\n"),
	} {
		b = append(b, p...)
	}
	return b
}

// packetCase is one bad peer. send writes its bytes; then, with
// serverCloses, the server must close the connection on its own (after the
// idle timeout at most), otherwise the peer itself hangs up after reading
// the replies it expects.
type packetCase struct {
	name         string
	send         []byte
	replies      string // command bytes of the replies expected first, in order
	serverCloses bool
}

var packetCases = []packetCase{
	{name: "length far above the maximum", send: rawLen(0xFFFFFFF0, "O\x00\x00\x00\x02"), serverCloses: true},
	{name: "length just above 1 MiB", send: rawLen(1<<20+1, "B"), serverCloses: true},
	{name: "zero length", send: rawLen(0, ""), serverCloses: true},
	{name: "zero length mid-message", send: append(mailStart(), rawLen(0, "")...), replies: mailStartReplies, serverCloses: true},
	// The peer says 1000 bytes follow, sends 10 and hangs up.
	{name: "truncated then close", send: append(mailStart(), rawLen(1000, "Bsome text")...), replies: mailStartReplies},
	// The same, and then silence: only the idle timeout ends it.
	{name: "truncated then silence", send: append(mailStart(), rawLen(1000, "Bsome text")...), replies: mailStartReplies, serverCloses: true},
	{name: "truncated length prefix then silence", send: append(optneg(), 0, 0), replies: "O", serverCloses: true},
	{name: "unknown command byte", send: append(optneg(), pkt('Z', "whatever")...), replies: "O", serverCloses: true},
	{name: "unknown command mid-message", send: append(mailStart(), pkt('Z')...), replies: mailStartReplies, serverCloses: true},
	{name: "QUIT mid-message", send: append(mailStart(), pkt('Q')...), replies: mailStartReplies, serverCloses: true},
	{name: "HTTP request before negotiation", send: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), serverCloses: true},
	{name: "small garbage packet before negotiation", send: pkt('x', "\xff\xfe garbage"), serverCloses: true},
	// Without connect the client is unknown: not outbound, accepted as is.
	{name: "MAIL before negotiation and connect", send: pkt('M', "<a@example.dk>\x00"), replies: "a"},
	{name: "body chunk before MAIL", send: append(append(optneg(), connectPkt()...), pkt('B', "stray body")...), replies: "Occ"},
	{name: "end of message before MAIL", send: append(append(optneg(), connectPkt()...), pkt('E')...), replies: "Oca"},
	{name: "headers and EOH before MAIL", send: append(append(optneg(), connectPkt()...), append(pkt('L', "Subject\x00[unsecure] x\x00"), pkt('N')...)...), replies: "Occc"},
	{name: "empty macro packet", send: append(optneg(), pkt('D')...), replies: "O", serverCloses: true},
	{name: "macros with odd content", send: bytes.Join([][]byte{
		optneg(),
		pkt('D', "C", "{client_addr}\x00not an address\x00j"),           // odd count, no final NUL
		pkt('D', "M", "{auth_authen}\x00\xff\xfe\x00i\x00\x00\x00\x00"), // invalid UTF-8, empty names
		pkt('D', "M", strings.Repeat("k", 100000)),                      // one long name, no value
		pkt('D', "\x00"), // stage alone
		connectPkt(),
		pkt('D', "M", "{auth_authen}\x00alice\x00{client_addr}\x00[::ffff:not]\x00"),
		pkt('M', "<a@example.dk>\x00"),
		pkt('L', "Subject\x00[unsecure] x\x00extra\x00fields\x00"), // three strings: ignored by go-milter
		pkt('L', "Subject"),                                        // no NUL at all
		pkt('N'),
		pkt('E'),
	}, nil), replies: "Occccc" + "ha"}, // connect, MAIL, two headers, EOH; the routing header, accept
	{name: "malformed connect", send: append(optneg(), pkt('C', "hostonly")...), replies: "O", serverCloses: true},
	{name: "connect without port", send: append(optneg(), pkt('C', "h\x00", "4")...), replies: "Ot"},
	{name: "connect with unknown family", send: append(optneg(), pkt('C', "h\x00", "?", "whatever\x00")...), replies: "Oc"},
}

// runPacketCase plays one bad peer against addr and checks the replies and
// who closed the connection.
func runPacketCase(t *testing.T, addr string, tc packetCase) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// Write in the background: the server may hang up before reading it all.
	go func() {
		nc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		nc.Write(tc.send)
	}()
	// Generous: the machine is shared; the idle timeout is 1s.
	nc.SetReadDeadline(time.Now().Add(60 * time.Second))
	var got []byte
	for len(got) < len(tc.replies) {
		code, err := readReply(nc)
		if err != nil {
			t.Fatalf("after replies %q, want %q: %v", got, tc.replies, err)
		}
		got = append(got, code)
	}
	if string(got) != tc.replies {
		t.Fatalf("replies %q, want %q", got, tc.replies)
	}
	if !tc.serverCloses {
		return
	}
	code, err := readReply(nc)
	switch {
	case err == nil:
		t.Fatalf("unexpected reply %q, want the server to close the connection", code)
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.Fatalf("the server left the connection open: %v", err)
	}
}

// readReply reads one milter packet and returns its command byte.
func readReply(r io.Reader) (byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return 0, err
	}
	if n == 0 || n > 1<<20 {
		return 0, fmt.Errorf("bad reply length %d", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, err
	}
	return b[0], nil
}

// checkHealthy asserts that the server still decides correctly on a new
// connection.
func checkHealthy(t *testing.T, addr string) {
	t.Helper()
	r := run(t, addr, msg{headers: [][2]string{{"Subject", "[unsecure] hej"}}, body: "hej\n"})
	if diff := cmp.Diff([]change{{"change", "Subject", 1, "hej"}, add("opportunistic")}, changes(r.mods)); diff != "" {
		t.Errorf("a normal message afterwards (-want +got):\n%s", diff)
	}
}

// checkNoLeak waits until the server holds no connection, no message and
// no more goroutines than base (plus slack for the runtime's own).
func checkNoLeak(t *testing.T, srv *Server, base int) {
	t.Helper()
	var conns, g int
	ok := poll(30*time.Second, func() bool {
		srv.mu.Lock()
		conns = len(srv.conns)
		srv.mu.Unlock()
		g = runtime.NumGoroutine()
		return conns == 0 && srv.InFlight() == 0 && g <= base+2
	})
	if !ok {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("connections = %d (want 0), in flight = %d (want 0), goroutines = %d (base %d)\n%s",
			conns, srv.InFlight(), g, base, buf)
	}
}

func poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// baseGoroutines is the goroutine count of an idle server, measured once
// the test's earlier connections have gone.
func baseGoroutines(t *testing.T, srv *Server) int {
	t.Helper()
	poll(10*time.Second, func() bool {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return len(srv.conns) == 0
	})
	time.Sleep(50 * time.Millisecond)
	return runtime.NumGoroutine()
}

func TestBadPackets(t *testing.T) {
	addr, _, srv := startServer(t, packetConfig)
	base := baseGoroutines(t, srv)
	for _, tc := range packetCases {
		t.Run(tc.name, func(t *testing.T) {
			runPacketCase(t, addr, tc)
			checkNoLeak(t, srv, base)
			t.Run("healthy", func(t *testing.T) { checkHealthy(t, addr) })
			checkNoLeak(t, srv, base)
		})
	}
}

// TestBadPacketsConcurrent runs every bad peer many times at once, with
// normal messages among them.
func TestBadPacketsConcurrent(t *testing.T) {
	addr, _, srv := startServer(t, packetConfig)
	base := baseGoroutines(t, srv)
	const rounds = 4
	var wg sync.WaitGroup
	for i := 0; i < rounds; i++ {
		for _, tc := range packetCases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.Run(fmt.Sprintf("%s/%d", tc.name, i), func(t *testing.T) { runPacketCase(t, addr, tc) })
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(fmt.Sprintf("healthy/%d", i), func(t *testing.T) { checkHealthy(t, addr) })
		}()
	}
	wg.Wait()
	checkNoLeak(t, srv, base)
	t.Run("healthy after", func(t *testing.T) { checkHealthy(t, addr) })
	checkNoLeak(t, srv, base)
}

// A peer that trickles a packet a byte at a time, each byte well within the
// idle timeout, must still finish the packet within it: otherwise it holds
// the packet's buffer and the connection for ever.
func TestTrickledPacket(t *testing.T) {
	addr, _, srv := startServer(t, packetConfig) // idle timeout 1s
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := nc.Write(append(mailStart(), rawLen(1000, "B")...)); err != nil {
		t.Fatal(err)
	}
	nc.SetReadDeadline(time.Now().Add(60 * time.Second))
	for range mailStartReplies {
		if _, err := readReply(nc); err != nil {
			t.Fatal(err)
		}
	}
	closed := make(chan struct{})
	go func() {
		var b [1]byte
		nc.Read(b[:]) // returns when the server hangs up
		close(closed)
	}()
	// 40 bytes, one every 250ms: 10s in all, ten times the idle timeout.
	for i := 0; i < 40; i++ {
		select {
		case <-closed:
			if n := srv.InFlight(); n != 0 {
				// The abort runs as go-milter's loop ends; give it a moment.
				time.Sleep(500 * time.Millisecond)
				if n = srv.InFlight(); n != 0 {
					t.Errorf("in flight after the hang-up: %d", n)
				}
			}
			return
		case <-time.After(250 * time.Millisecond):
		}
		nc.Write([]byte("x"))
	}
	t.Fatal("the server kept a trickled packet open for 10s with a 1s idle timeout")
}
