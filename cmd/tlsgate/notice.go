package main

import (
	"bytes"
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

// notifier sends the optional sender notice ([notice] enable): when an
// opt-out was refused and the message went out with TLS required, the
// authenticated sender learns it, and which kinds of content caused it.
//
// Notices are handed to the local MTA's sendmail(1) in the background,
// with the null envelope sender so that a notice never bounces back, and
// without an opt-out tag so that it is itself delivered with TLS required.
// A notice that cannot be sent is logged and counted; the message it is
// about was accepted already and is not affected.
type notifier struct {
	policy func() *rules.Policy
	log    *slog.Logger
	fail   func()
	slots  chan struct{} // notices being handed over at once
	wg     sync.WaitGroup
}

const (
	noticeSlots   = 4
	noticeTimeout = 30 * time.Second
)

func newNotifier(policy func() *rules.Policy, log *slog.Logger, fail func()) *notifier {
	return &notifier{policy: policy, log: log, fail: fail, slots: make(chan struct{}, noticeSlots)}
}

// wants says whether r is a refused opt-out, delivered with TLS required
// (not rejected: the SMTP reply told the sender then), from an
// authenticated sender with an address to write to.
func wants(cfg *rules.Config, r milter.Report) bool {
	return cfg.Notice.Enable && r.Outbound && r.Record.Decision == string(rules.Refused) &&
		r.Record.Action == "" && r.Record.User != "" && r.Sender != "" && strings.Contains(r.Sender, "@")
}

func (n *notifier) report(r milter.Report) {
	pol := n.policy()
	if !wants(pol.Config, r) {
		return
	}
	select {
	case n.slots <- struct{}{}:
	default:
		n.log.Warn("sender notice not sent: too many pending", "queue_id", r.Record.QueueID)
		n.fail()
		return
	}
	n.wg.Add(1)
	go func() {
		defer func() { <-n.slots; n.wg.Done() }()
		msg := pol.Notice(rules.NoticeInfo{
			From: pol.Config.Notice.From, To: r.Sender, QueueID: r.Record.QueueID,
			RcptDomains: r.Record.RcptDomains, Reasons: r.Record.Reasons, Date: r.Record.Time,
		})
		if err := sendmail(pol.Config.Notice.Sendmail, r.Sender, msg); err != nil {
			n.log.Error("sender notice not sent", "queue_id", r.Record.QueueID, "err", err)
			n.fail()
			return
		}
		n.log.Info("sender notice sent", "queue_id", r.Record.QueueID, "user", r.Record.User)
	}()
}

// wait waits for notices being handed over, up to ctx.
func (n *notifier) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// sendmail hands msg to the MTA for rcpt, null envelope sender. "-i": a
// line holding only "." is not the end.
func sendmail(path, rcpt string, msg []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), noticeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-i", "-f", "<>", "--", rcpt)
	cmd.Stdin = bytes.NewReader(msg)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return &sendmailError{err: err, out: s}
		}
		return err
	}
	return nil
}

type sendmailError struct {
	err error
	out string
}

func (e *sendmailError) Error() string { return e.err.Error() + ": " + e.out }
func (e *sendmailError) Unwrap() error { return e.err }
