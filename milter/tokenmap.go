package milter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tlsgate/tlsgate/rules"
)

// TokenMap answers Sendmail's socket map lookups for the envelope channel
// ([sendmail] mode = "envelope"; sendmail(8) "socket" maps, netstring
// requests "MAP KEY", replies "OK VALUE" or "NOTFOUND ").
//
// tlsgate-optout.mc asks it two things:
//
//   - "QID:TOKEN" while Sendmail parses a recipient local+TOKEN@domain of
//     the message with queue ID QID ($&i): when tlsgate adds the recipient
//     and again at every queue run. The answer is OK OPTOUT only when TOKEN
//     is rules.Token of QID, so only the message tlsgate granted goes out
//     without TLS enforcement; the same address in any other message (a
//     bounce re-sent, an alias, a .forward file) has another queue ID.
//   - "shape:TOKEN" in check_rcpt, so that an SMTP client that writes a
//     token into RCPT TO is refused outright.
//
// It keeps no state: tokens are MACs, so they survive restarts of tlsgate
// and of Sendmail.
type TokenMap struct {
	log    *slog.Logger
	policy func() *rules.Policy

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]bool
	closing bool
	wg      sync.WaitGroup
}

// Token map answers (the values the .mc's rules match on).
const (
	mapOptOut = "OPTOUT"
	mapToken  = "TOKEN"
)

// mapIdle bounds how long a Sendmail process may keep an idle lookup
// connection; it reconnects when it needs one.
const mapIdle = 5 * time.Minute

// maxNetstring bounds one request: a map name, a queue ID and a token.
const maxNetstring = 512

// NewTokenMap returns a map that reads the token key from policy at each
// lookup, so a reload takes effect at once.
func NewTokenMap(policy func() *rules.Policy, log *slog.Logger) *TokenMap {
	return &TokenMap{log: log, policy: policy, conns: map[net.Conn]bool{}}
}

// Serve answers lookups on ln until Close.
func (tm *TokenMap) Serve(ln net.Listener) error {
	tm.mu.Lock()
	if tm.closing {
		tm.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	tm.ln = ln
	tm.mu.Unlock()
	for {
		c, err := ln.Accept()
		if err != nil {
			tm.mu.Lock()
			closing := tm.closing
			tm.mu.Unlock()
			if closing {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			tm.log.Warn("token map: accept failed", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		tm.mu.Lock()
		if tm.closing {
			tm.mu.Unlock()
			c.Close()
			return ErrServerClosed
		}
		tm.conns[c] = true
		tm.wg.Add(1)
		tm.mu.Unlock()
		go tm.serveConn(c)
	}
}

// Close stops accepting and closes every lookup connection; Sendmail
// treats a lookup that fails as a temporary failure, which the .mc routes
// with TLS required.
func (tm *TokenMap) Close() {
	tm.mu.Lock()
	tm.closing = true
	if tm.ln != nil {
		tm.ln.Close()
	}
	for c := range tm.conns {
		c.Close()
	}
	tm.mu.Unlock()
	tm.wg.Wait()
}

func (tm *TokenMap) serveConn(c net.Conn) {
	defer func() {
		c.Close()
		tm.mu.Lock()
		delete(tm.conns, c)
		tm.mu.Unlock()
		tm.wg.Done()
	}()
	br := bufio.NewReader(c)
	for {
		c.SetDeadline(time.Now().Add(mapIdle))
		req, err := readNetstring(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				tm.log.Warn("token map: bad request", "err", err)
			}
			return
		}
		if _, err := io.WriteString(c, netstring(tm.answer(req))); err != nil {
			return
		}
	}
}

// answer is the reply to one request "MAP KEY". It logs the outcome, never
// the token (a queue ID is not personal data, and helps the admin follow
// a message).
func (tm *TokenMap) answer(req string) string {
	_, key, ok := strings.Cut(req, " ")
	if !ok {
		return "PERM expected \"map key\""
	}
	sc := tm.policy().Config.Sendmail
	if sc.Mode != rules.SendmailEnvelope {
		return "NOTFOUND "
	}
	if tok, ok := strings.CutPrefix(key, "shape:"); ok {
		if rules.LooksLikeToken(tok) {
			return "OK " + mapToken
		}
		return "NOTFOUND "
	}
	qid, tok, ok := strings.Cut(key, ":")
	if !ok || !rules.LooksLikeToken(tok) {
		return "NOTFOUND "
	}
	if rules.ValidToken(sc.TokenKey, qid, tok) {
		tm.log.Info("token map: opt-out token accepted", "queue_id", qid)
		return "OK " + mapOptOut
	}
	tm.log.Warn("token map: token does not belong to this message; TLS stays required", "queue_id", qid)
	return "NOTFOUND "
}

// readNetstring reads "LEN:DATA," (djb's netstrings, as Sendmail's socket
// map speaks them).
func readNetstring(br *bufio.Reader) (string, error) {
	head, err := br.ReadString(':')
	if err != nil {
		return "", err
	}
	n, err := strconv.Atoi(strings.TrimSuffix(head, ":"))
	if err != nil || n < 0 || n > maxNetstring {
		return "", fmt.Errorf("bad netstring length %q", head)
	}
	buf := make([]byte, n+1)
	if _, err := io.ReadFull(br, buf); err != nil {
		return "", err
	}
	if buf[n] != ',' {
		return "", errors.New("netstring not terminated by ','")
	}
	return string(buf[:n]), nil
}

func netstring(s string) string { return strconv.Itoa(len(s)) + ":" + s + "," }
