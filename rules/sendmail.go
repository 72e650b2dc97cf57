package rules

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// Sendmail modes (SendmailConfig.Mode).
const (
	// SendmailOff: tlsgate adds its routing header, for Postfix.
	SendmailOff = "off"
	// SendmailEnvelope: for Sendmail, which cannot route on a header.
	// tlsgate adds no header; a granted opt-out is signalled by rewriting
	// every envelope recipient local@domain to local+TOKEN@domain, where
	// TOKEN is bound to the message's queue ID (see Token). The shipped
	// tlsgate-optout.mc asks tlsgate's token map whether a token belongs
	// to the queue ID at hand before it routes a recipient without TLS
	// enforcement, and strips the token before RCPT TO.
	SendmailEnvelope = "envelope"
)

// minKeyLen keeps the token key from being guessed.
const minKeyLen = 16

// SendmailConfig is the [sendmail] table.
type SendmailConfig struct {
	// Mode is "off" or "envelope".
	Mode string `toml:"mode"`
	// TokenKey is the per-installation secret that keys the tokens
	// (HMAC-SHA256). It never appears in mail, queue files or logs; only
	// tlsgate knows it. At least 16 characters.
	TokenKey string `toml:"token_key"`
	// MapListen is where tlsgate answers Sendmail's socket map lookups
	// ("is this token this queue ID's?"), in Postfix notation
	// (inet:127.0.0.1:8899). tlsgate-optout.mc's Ktlsgate line names the
	// same address in Sendmail's notation (inet:8899@127.0.0.1).
	MapListen string `toml:"map_listen"`
}

// sendmailProblems validates the [sendmail] table.
func sendmailProblems(c SendmailConfig) []problem {
	var ps []problem
	switch c.Mode {
	case SendmailOff:
	case SendmailEnvelope:
		if len(c.TokenKey) < minKeyLen {
			ps = append(ps, problem{"sendmail.token_key", fmt.Sprintf("expected a secret of at least %d characters with mode \"envelope\" (e.g. openssl rand -hex 16)", minKeyLen)})
		}
		if !loopbackInet(c.MapListen) {
			ps = append(ps, problem{"sendmail.map_listen", fmt.Sprintf("expected a loopback address like \"inet:127.0.0.1:8899\" with mode \"envelope\", got %q", c.MapListen)})
		}
	default:
		ps = append(ps, problem{"sendmail.mode", fmt.Sprintf("expected %q or %q, got %q", SendmailOff, SendmailEnvelope, c.Mode)})
	}
	return ps
}

// TokenPrefix starts every token, so that a token is one Sendmail word
// (letters and digits) that a ruleset and a person can tell apart from an
// ordinary "+detail".
const TokenPrefix = "tg"

// tokenLen is the length of a token: the prefix and 26 base32 characters
// (130 bits of the MAC).
const tokenLen = len(TokenPrefix) + 26

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Token is the opt-out token of the message with Sendmail queue ID qid:
// HMAC-SHA256 over the queue ID under the installation's key. It grants
// nothing to any other queue ID, so a token read from a bounce, a delay
// warning, mailq or a log is worthless: whatever way it re-enters (SMTP,
// an alias, a .forward file), the new message has a new queue ID.
func Token(key, qid string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("tlsgate sendmail opt-out\x00"))
	mac.Write([]byte(qid))
	return TokenPrefix + tokenEncoding.EncodeToString(mac.Sum(nil))[:tokenLen-len(TokenPrefix)]
}

// ValidToken reports whether token is qid's token under key.
func ValidToken(key, qid, token string) bool {
	if key == "" || qid == "" {
		return false
	}
	return hmac.Equal([]byte(token), []byte(Token(key, qid)))
}

// LooksLikeToken reports whether s has a token's shape, whatever queue ID
// it was made for.
func LooksLikeToken(s string) bool {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return false
	}
	_, err := tokenEncoding.DecodeString(s[len(TokenPrefix):])
	return err == nil
}

// loopbackInet reports whether listen is inet:HOST:PORT on a loopback
// address: the token map answers only Sendmail on this machine.
func loopbackInet(listen string) bool {
	network, addr, err := SplitListen(listen)
	return err == nil && network == "tcp" && checkLoopback(addr) == nil
}
