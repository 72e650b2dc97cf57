// Package smtptest is an SMTP receiver for tests: it stands in for the
// remote mail servers that Postfix delivers to, with or without STARTTLS,
// and records every message it accepts so a test can assert on what really
// arrived and how (in clear or over TLS, and which TLS version).
//
// It speaks just enough SMTP for an MTA's client (RFC 5321 EHLO/HELO, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT, and RFC 3207 STARTTLS) and accepts every
// sender and every recipient but those whose local part is "reject"
// (RejectLocal), which get 550, so that a test can make a bounce. It is not a mail server: no size limits beyond a
// fixed line length, no authentication, no queue.
package smtptest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// RejectLocal is the local part of recipients the receiver refuses with
// "550 5.1.1" at RCPT.
const RejectLocal = "reject"

// maxLine bounds one command or data line (RFC 5321 4.5.3.1.6 asks for 1000
// octets including CRLF; a little slack costs nothing in a test).
const maxLine = 4096

// idleTimeout ends a session whose client has gone quiet, so a stuck test
// does not leave a goroutine behind forever.
const idleTimeout = 2 * time.Minute

// Message is one message the receiver accepted.
type Message struct {
	// From is the envelope sender (MAIL FROM), without angle brackets.
	From string
	// To are the envelope recipients (RCPT TO), without angle brackets.
	To []string
	// Data is the message as received after dot-unstuffing, with CRLF line
	// endings, ending with the final CRLF before the terminating dot.
	Data []byte
	// TLS tells whether the message came over a STARTTLS-protected session.
	TLS bool
	// TLSVersion is the negotiated version (tls.VersionTLS12, ...) when TLS
	// is true, and 0 otherwise.
	TLSVersion uint16
	// Received is when the end of data was acknowledged.
	Received time.Time
}

// Server is a running receiver. Its methods are safe for concurrent use.
type Server struct {
	ln      net.Listener
	tlsConf *tls.Config // nil: STARTTLS is not advertised

	mu       sync.Mutex
	msgs     []Message
	changed  chan struct{} // closed and replaced on every new message
	conns    map[net.Conn]struct{}
	closed   bool
	sessions sync.WaitGroup
}

// Start listens on addr (for example "127.0.0.2:25") and serves SMTP until
// Close. With withSTARTTLS the server advertises STARTTLS using a freshly
// generated self-signed certificate and accepts TLS 1.2 or later only;
// without it, STARTTLS is neither advertised nor accepted.
func Start(addr string, withSTARTTLS bool) (*Server, error) {
	s := &Server{
		changed: make(chan struct{}),
		conns:   make(map[net.Conn]struct{}),
	}
	if withSTARTTLS {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("smtptest: address %q: %w", addr, err)
		}
		cert, err := selfSignedCert(host)
		if err != nil {
			return nil, fmt.Errorf("smtptest: certificate: %w", err)
		}
		s.tlsConf = &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtptest: %w", err)
	}
	s.ln = ln
	go s.serve()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Messages returns a copy of all messages received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor returns the first received message for which match is true,
// waiting up to timeout for one to arrive. The bool is false on timeout.
func (s *Server) WaitFor(match func(Message) bool, timeout time.Duration) (Message, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, m := range s.msgs {
			if match(m) {
				s.mu.Unlock()
				return m, true
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			return Message{}, false
		}
	}
}

// Close stops listening, ends open sessions and waits for them to finish.
// Messages received before Close stay available.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.sessions.Wait()
	return err
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // listener closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.sessions.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.sessions.Done()
			sess := &session{srv: s, conn: c}
			sess.run()
			s.mu.Lock()
			delete(s.conns, sess.conn)
			delete(s.conns, c)
			s.mu.Unlock()
			sess.conn.Close()
		}()
	}
}

// record stores an accepted message and wakes WaitFor callers.
func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// track replaces a plain connection by its TLS wrapper in the set that Close
// shuts down.
func (s *Server) track(old, new net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, old)
	s.conns[new] = struct{}{}
}

// session is one SMTP connection.
type session struct {
	srv  *Server
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer

	greeted    bool
	tlsVersion uint16 // 0 until STARTTLS completed
	from       string
	hasFrom    bool
	rcpts      []string
}

var errLineTooLong = errors.New("line too long")

func (ss *session) run() {
	ss.r = bufio.NewReaderSize(ss.conn, maxLine)
	ss.w = bufio.NewWriter(ss.conn)
	ss.reply("220 smtptest.invalid ESMTP test receiver")
	for {
		line, err := ss.readLine()
		if errors.Is(err, errLineTooLong) {
			ss.reply("500 5.5.2 Line too long")
			continue
		}
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if !ss.command(strings.ToUpper(verb), strings.TrimSpace(arg)) {
			return
		}
	}
}

// command handles one command line; it returns false when the session ends.
func (ss *session) command(verb, arg string) bool {
	switch verb {
	case "EHLO":
		ss.resetTransaction()
		ss.greeted = true
		lines := []string{"smtptest.invalid greets " + arg, "8BITMIME", "PIPELINING"}
		if ss.srv.tlsConf != nil && ss.tlsVersion == 0 {
			lines = append(lines, "STARTTLS")
		}
		ss.multiReply(250, lines)
	case "HELO":
		ss.resetTransaction()
		ss.greeted = true
		ss.reply("250 smtptest.invalid")
	case "STARTTLS":
		return ss.startTLS()
	case "MAIL":
		ss.mail(arg)
	case "RCPT":
		ss.rcpt(arg)
	case "DATA":
		return ss.data()
	case "RSET":
		ss.resetTransaction()
		ss.reply("250 2.0.0 Ok")
	case "NOOP":
		ss.reply("250 2.0.0 Ok")
	case "QUIT":
		ss.reply("221 2.0.0 Bye")
		return false
	default:
		ss.reply("502 5.5.1 Command not implemented")
	}
	return true
}

// startTLS upgrades the connection (RFC 3207 4.2: the client must start
// over with EHLO and the server forgets everything said before).
func (ss *session) startTLS() bool {
	if ss.srv.tlsConf == nil || ss.tlsVersion != 0 {
		ss.reply("502 5.5.1 STARTTLS not available")
		return true
	}
	if ss.r.Buffered() > 0 {
		// Commands pipelined after STARTTLS would be an injection attack
		// (CVE-2011-0411); refuse rather than carry them into TLS.
		ss.reply("554 5.5.0 Pipelining after STARTTLS")
		return false
	}
	ss.reply("220 2.0.0 Ready to start TLS")
	tc := tls.Server(ss.conn, ss.srv.tlsConf)
	tc.SetDeadline(time.Now().Add(idleTimeout))
	if err := tc.Handshake(); err != nil {
		return false
	}
	ss.srv.track(ss.conn, tc)
	ss.conn = tc
	ss.tlsVersion = tc.ConnectionState().Version
	ss.r = bufio.NewReaderSize(tc, maxLine)
	ss.w = bufio.NewWriter(tc)
	ss.greeted = false
	ss.resetTransaction()
	return true
}

func (ss *session) mail(arg string) {
	addr, ok := pathArg(arg, "FROM:")
	switch {
	case !ss.greeted:
		ss.reply("503 5.5.1 Send EHLO first")
	case ss.hasFrom:
		ss.reply("503 5.5.1 Nested MAIL command")
	case !ok:
		ss.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
	default:
		ss.from, ss.hasFrom = addr, true
		ss.reply("250 2.1.0 Ok")
	}
}

func (ss *session) rcpt(arg string) {
	addr, ok := pathArg(arg, "TO:")
	switch {
	case !ss.hasFrom:
		ss.reply("503 5.5.1 Need MAIL first")
	case !ok || addr == "":
		ss.reply("501 5.5.4 Syntax: RCPT TO:<address>")
	case strings.HasPrefix(addr, RejectLocal+"@") || strings.HasPrefix(addr, RejectLocal+"+"):
		ss.reply("550 5.1.1 No such user here")
	default:
		ss.rcpts = append(ss.rcpts, addr)
		ss.reply("250 2.1.5 Ok")
	}
}

// data reads the message up to the lone dot, undoing dot-stuffing
// (RFC 5321 4.5.2), and records it.
func (ss *session) data() bool {
	if len(ss.rcpts) == 0 {
		ss.reply("503 5.5.1 Need RCPT first")
		return true
	}
	ss.reply("354 End data with <CR><LF>.<CR><LF>")
	var body []byte
	tooLong := false
	for {
		line, err := ss.readLine()
		if errors.Is(err, errLineTooLong) {
			tooLong = true // keep reading to the dot, then refuse
			continue
		}
		if err != nil {
			return false
		}
		if line == "." {
			break
		}
		line = strings.TrimPrefix(line, ".")
		body = append(body, line...)
		body = append(body, '\r', '\n')
	}
	if tooLong {
		ss.resetTransaction()
		ss.reply("500 5.5.2 Line too long")
		return true
	}
	ss.srv.record(Message{
		From:       ss.from,
		To:         ss.rcpts,
		Data:       body,
		TLS:        ss.tlsVersion != 0,
		TLSVersion: ss.tlsVersion,
		Received:   time.Now(),
	})
	ss.resetTransaction()
	ss.reply("250 2.0.0 Ok: queued")
	return true
}

func (ss *session) resetTransaction() {
	ss.from, ss.hasFrom, ss.rcpts = "", false, nil
}

// readLine returns one line without its CRLF (a bare LF is accepted too).
func (ss *session) readLine() (string, error) {
	ss.conn.SetReadDeadline(time.Now().Add(idleTimeout))
	line, err := ss.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// Skip the rest of the overlong line.
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = ss.r.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", errLineTooLong
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	s := strings.TrimSuffix(string(line), "\n")
	return strings.TrimSuffix(s, "\r"), nil
}

func (ss *session) reply(line string) {
	ss.w.WriteString(line + "\r\n")
	ss.w.Flush()
}

func (ss *session) multiReply(code int, lines []string) {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		fmt.Fprintf(ss.w, "%d%s%s\r\n", code, sep, l)
	}
	ss.w.Flush()
}

// pathArg parses "FROM:<addr> PARAMS" or "TO:<addr> PARAMS" (case-insensitive
// keyword, optional space after the colon as some clients send) and returns
// addr without the angle brackets. ESMTP parameters are ignored.
func pathArg(arg, keyword string) (string, bool) {
	if len(arg) < len(keyword) || !strings.EqualFold(arg[:len(keyword)], keyword) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(keyword):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}
