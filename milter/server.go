// Package milter is tlsgate's milter: it speaks the Sendmail milter protocol
// (through github.com/emersion/go-milter) to Postfix or Sendmail, builds a
// view of each outbound message, asks classify and rules for a decision and
// applies it: the routing header, the Subject without its tag, forged
// headers removed, or a 550 reply.
package milter

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/milter/audit"
	"github.com/tlsgate/tlsgate/rules"
)

// Server serves milter connections. go-milter v0.5.0 has no timeouts, no
// shutdown and replaces its handler object after every message, so Server
// wraps it: one go-milter server per connection, whose handler factory
// closes over that connection's facts, an idle timeout on every read, and a
// draining Shutdown.
type Server struct {
	log    *slog.Logger
	policy atomic.Pointer[rules.Policy]

	mu        sync.Mutex
	listeners map[net.Listener]bool
	conns     map[*connState]bool
	closing   bool
	wg        sync.WaitGroup

	inFlight atomic.Int64

	// Report, when set, is called once per message with its decision,
	// after the reply is decided. It must not block for long.
	Report func(Report)
	// Fault, when set, is called with a short kind ("panic") when a
	// message hits an internal error and is tempfailed.
	Fault func(kind string)

	// Test hooks, set before Serve: testBeforeFlush runs on a
	// connection's goroutine before held replies are written,
	// testDrainPass after each pass of Shutdown over the connections.
	testBeforeFlush func()
	testDrainPass   func()
}

// Report is what the server tells its owner about one message: the audit
// record, and the figures the metrics count.
type Report struct {
	// Outbound is false for mail that is not tlsgate's (not from a trusted
	// network nor authenticated): it passed at MAIL FROM and Record holds
	// only the queue ID and decision "pass".
	Outbound bool
	Record   audit.Record
	// Sender is the envelope sender without angle brackets ("" for the
	// null sender).
	Sender string
	// Scanned is true when the classifier read the message (an opt-out
	// was asked for); ScanTime and ScanBytes are its cost.
	Scanned   bool
	ScanTime  time.Duration
	ScanBytes int64
}

// NewServer returns a server applying p; log receives one line per message.
func NewServer(p *rules.Policy, log *slog.Logger) *Server {
	s := &Server{log: log, listeners: map[net.Listener]bool{}, conns: map[*connState]bool{}}
	s.policy.Store(p)
	return s
}

// SetPolicy replaces the policy; messages already started keep theirs.
func (s *Server) SetPolicy(p *rules.Policy) { s.policy.Store(p) }

// Policy returns the current policy.
func (s *Server) Policy() *rules.Policy { return s.policy.Load() }

// InFlight is the number of messages being processed now.
func (s *Server) InFlight() int64 { return s.inFlight.Load() }

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("milter: server closed")

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = true
	s.mu.Unlock()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			if closing {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// EMFILE and the like pass; keep serving the others.
			s.log.Warn("accept failed", "err", err)
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := s.track(nc)
		if c == nil {
			nc.Close()
			continue
		}
		go s.handle(c)
	}
}

func (s *Server) track(nc net.Conn) *connState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil
	}
	c := &connState{srv: s, conn: &idleConn{Conn: nc, br: bufio.NewReaderSize(nc, 16<<10), idle: s.Policy().Config.Server.IdleTimeout.Duration, closed: make(chan struct{}), beforeFlush: s.testBeforeFlush}}
	c.conn.open = &c.busy
	s.conns[c] = true
	s.wg.Add(1)
	return c
}

// handle runs go-milter's session loop on one connection.
func (s *Server) handle(c *connState) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.wg.Done()
	}()
	// go-milter ends its session loop without calling Abort when the
	// peer hangs up, goes silent past the idle timeout, sends a bad packet
	// or QUIT in the middle of a message: that message would stay counted
	// in flight and its scan goroutine would wait for input forever. So
	// the last handler go-milter made is aborted when go-milter closes the
	// connection. Both run on go-milter's goroutine for this connection
	// (the first NewMilter on this one, before that goroutine starts), so
	// last needs no lock.
	var last *session
	c.conn.ended = func() {
		if last != nil {
			last.Abort(nil)
		}
	}
	ms := &gomilter.Server{
		NewMilter: func() gomilter.Milter { last = newSession(c); return last },
		// Protocol version 2 action bits only: add and change headers,
		// and add and delete recipients (Sendmail mode, sendmail.go).
		Actions:  gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptAddRcpt | gomilter.OptRemoveRcpt,
		Protocol: gomilter.OptNoHelo,
	}
	ms.Serve(&oneConnListener{conn: c.conn})
}

// Shutdown stops accepting and drains: a connection waiting for its next
// message is closed at once, one in the middle of a message ends once the
// replies to its end of message have been written (idleConn.drain).
// Shutdown returns when all connections are gone, or when ctx ends: then
// the rest are closed and the MTA answers tempfail for their messages.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for ln := range s.listeners {
		ln.Close()
	}
	s.mu.Unlock()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		n := len(s.conns)
		for c := range s.conns {
			c.conn.drain()
		}
		s.mu.Unlock()
		if s.testDrainPass != nil {
			s.testDrainPass()
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			s.mu.Lock()
			for c := range s.conns {
				c.conn.serverClose()
			}
			s.mu.Unlock()
			s.wg.Wait()
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// connState is what one milter connection knows across its messages.
type connState struct {
	srv    *Server
	conn   *idleConn
	client netip.Addr
	name   string
	busy   atomic.Bool // a message is between MAIL and its decision
}

// idleConn ends a connection on which the MTA has been silent too long (a
// frozen or half-dead peer) and tells the listener when it is closed.
//
// The deadline is set when a packet is awaited, not at every read: a peer
// that trickles a large packet a byte at a time must still finish it
// within the idle timeout, or it could hold the packet's buffer (go-milter
// allows 1 MiB) and the connection for ever.
type idleConn struct {
	net.Conn
	br        *bufio.Reader // the MTA's packets often come several at once
	wbuf      []byte        // replies not yet sent: see Write
	idle      time.Duration
	hdr       int    // bytes of the current packet's 4-byte length read
	length    uint32 // the length being read
	left      uint32 // payload bytes of the current packet still to come
	closeOnce sync.Once
	closed    chan struct{}
	// ended runs when go-milter closes the connection, at the end of its
	// session loop and on its goroutine.
	ended func()
	// beforeFlush is Server.testBeforeFlush.
	beforeFlush func()

	// open is connState.busy: a message is open. Its replies are written
	// only at the next Read, so a connection is between messages, and
	// may be closed by a drain, only once open is false and Read has
	// written them (REFERENCE.md: never lose a message).
	open *atomic.Bool
	// mu guards the drain's view of the connection.
	mu sync.Mutex
	// draining: Shutdown has begun; the session ends at the next packet
	// boundary between messages, after its replies are written.
	draining bool
	// waiting: Read is blocked on the socket for the first packet of the
	// next message, with nothing left to write. Only then may the drain
	// close the connection under it.
	waiting bool
	// byServer: the server closed the socket (drain or shutdown deadline),
	// so a failing read or write is no protocol fault of the MTA.
	byServer atomic.Bool
}

// Read serves go-milter from a buffer: it reads each packet's length and
// then its payload, which would be two system calls per packet. Replies
// held by Write go out first: go-milter reads only once it has answered.
//
// During a drain, Read ends the session (io.EOF, which go-milter takes
// quietly) at the first packet boundary between messages, once the
// replies are written.
func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.flush(); err != nil {
		return 0, c.quiet(err)
	}
	if c.hdr == 0 && c.left == 0 && c.br.Buffered() == 0 {
		if !c.await() {
			return 0, io.EOF
		}
		defer c.awake()
		if c.idle > 0 {
			c.Conn.SetReadDeadline(time.Now().Add(c.idle))
		}
	}
	n, err := c.br.Read(p)
	c.frame(p[:n])
	if err != nil {
		err = c.quiet(err)
	}
	return n, err
}

// await is called before blocking on the socket for a new packet. It
// reports false when the drain has begun and no message is open: the
// session is to end. Between messages it marks the connection waiting, so
// that a drain starting meanwhile closes it.
func (c *idleConn) await() bool {
	if c.open.Load() {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.draining {
		return false
	}
	c.waiting = true
	return true
}

// awake ends what await began.
func (c *idleConn) awake() {
	c.mu.Lock()
	c.waiting = false
	c.mu.Unlock()
}

// drain is Shutdown's request to end the session between messages: a
// connection blocked waiting for the next message is closed now, any other
// ends itself at its next packet boundary between messages (Read).
func (c *idleConn) drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.draining = true
	if c.waiting {
		c.serverClose()
	}
}

// serverClose closes the connection on the server's behalf.
func (c *idleConn) serverClose() {
	c.byServer.Store(true)
	c.shut()
}

// quiet turns an error caused by the server's own close into io.EOF, which
// go-milter does not log: it is no protocol fault.
func (c *idleConn) quiet(err error) error {
	if c.byServer.Load() {
		return io.EOF
	}
	return err
}

// frame follows the milter framing (4-byte big-endian length, payload)
// over the bytes read, to know where packets begin.
func (c *idleConn) frame(b []byte) {
	for len(b) > 0 {
		if c.left > 0 {
			k := min(uint32(len(b)), c.left)
			c.left -= k
			b = b[k:]
			continue
		}
		c.length = c.length<<8 | uint32(b[0])
		c.hdr++
		b = b[1:]
		if c.hdr == 4 {
			c.left, c.hdr, c.length = c.length, 0, 0
		}
	}
}

// Write holds go-milter's packets until it next reads (or closes): it
// writes each one on its own, and the end of a message takes several (the
// Subject change, the routing header, accept), which would each be a
// system call and a wake-up of the MTA.
func (c *idleConn) Write(p []byte) (int, error) {
	c.wbuf = append(c.wbuf, p...)
	return len(p), nil
}

// flush sends the held replies; an MTA that stops reading them ends the
// connection after the idle timeout.
func (c *idleConn) flush() error {
	if len(c.wbuf) == 0 {
		return nil
	}
	if c.beforeFlush != nil {
		c.beforeFlush()
	}
	if c.idle > 0 {
		c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	}
	_, err := c.Conn.Write(c.wbuf)
	c.wbuf = c.wbuf[:0]
	return err
}

// Close is for go-milter only, which calls it once, last thing in its
// session loop; the server's own code calls shut.
func (c *idleConn) Close() error {
	c.flush()
	if c.ended != nil {
		c.ended()
	}
	return c.shut()
}

// shut closes the socket (go-milter's pending read fails, its loop ends)
// and releases the listener, so handle returns even if a callback is stuck.
func (c *idleConn) shut() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// oneConnListener hands go-milter's Serve a single connection, then blocks
// until that connection is closed, so Serve returns when the session ends.
type oneConnListener struct {
	conn *idleConn
	done bool
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if !l.done {
		l.done = true
		return l.conn, nil
	}
	<-l.conn.closed
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }
