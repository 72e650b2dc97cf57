package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"regexp"
	"strings"
	"time"
)

// smtpError is a reply the submitting client did not expect, with the
// stage of the transaction at which it came.
type smtpError struct {
	Stage string
	Code  int
	Text  string
}

func (e *smtpError) Error() string {
	return fmt.Sprintf("%s: %d %s", e.Stage, e.Code, e.Text)
}

var queuedAs = regexp.MustCompile(`queued as ([0-9A-Za-z]+)`)

// smtpClient is the submitting side of an SMTP session, as a mail client
// on the relay host (127.0.0.1, so Postfix and tlsgate treat its mail as
// outbound). A refusal is returned as *smtpError.
type smtpClient struct {
	conn net.Conn
	c    *textproto.Conn
}

// dialSMTP connects, reads the greeting and says EHLO; the whole session
// must end within limit.
func dialSMTP(addr string, limit time.Duration) (*smtpClient, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(limit))
	s := &smtpClient{conn: conn, c: textproto.NewConn(conn)}
	if _, err := s.step("greeting", 2, ""); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := s.step("EHLO", 2, "EHLO client.tlsgate-e2e.test"); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

// step sends one command (none when format is empty) and reads its reply,
// which must be in the want hundreds.
func (s *smtpClient) step(stage string, want int, format string, args ...any) (string, error) {
	if format != "" {
		if err := s.c.PrintfLine(format, args...); err != nil {
			return "", err
		}
	}
	_, text, err := s.c.ReadResponse(want)
	var perr *textproto.Error
	if errors.As(err, &perr) {
		return "", &smtpError{Stage: stage, Code: perr.Code, Text: perr.Msg}
	}
	return text, err
}

// send runs one transaction and returns Postfix's queue ID from the final
// 250 reply.
func (s *smtpClient) send(from string, to []string, msg string) (string, error) {
	if _, err := s.step("MAIL", 2, "MAIL FROM:<%s>", from); err != nil {
		return "", err
	}
	for _, r := range to {
		if _, err := s.step("RCPT", 2, "RCPT TO:<%s>", r); err != nil {
			return "", err
		}
	}
	if _, err := s.step("DATA", 3, "DATA"); err != nil {
		return "", err
	}
	w := s.c.DotWriter()
	if _, err := w.Write([]byte(msg)); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	text, err := s.step("end of data", 2, "")
	if err != nil {
		return "", err
	}
	m := queuedAs.FindStringSubmatch(text)
	if m == nil {
		return "", fmt.Errorf("no queue ID in %q", text)
	}
	return m[1], nil
}

// close says QUIT and hangs up.
func (s *smtpClient) close() {
	s.step("QUIT", 2, "QUIT")
	s.conn.Close()
}

// submit sends one message in a session of its own and returns its queue
// ID. Longer than milter_connect_timeout would matter only if the milter
// hung; a refused milter connection answers at once.
func submit(addr, from string, to []string, msg string) (string, error) {
	s, err := dialSMTP(addr, 60*time.Second)
	if err != nil {
		return "", err
	}
	defer s.close()
	return s.send(from, to, msg)
}

// buildMessage makes an RFC 5322 message with CRLF line endings. extra
// header lines go after the standard ones.
func buildMessage(messageID, to, subject, body string, extra ...string) string {
	h := []string{
		"From: Alice <alice@sender.tlsgate-e2e.test>",
		"To: " + to,
		"Subject: " + subject,
		"Date: " + time.Now().Format(time.RFC1123Z),
		"Message-ID: " + messageID,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
	}
	h = append(h, extra...)
	body = strings.ReplaceAll(body, "\r\n", "\n")
	return strings.Join(h, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
}
