package main

import (
	"context"
	"log/slog"
	"net"
	"net/smtp"
	"os"
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
// Notices are handed to the local MTA by SMTP ([notice] smtp) in the
// background, with the null envelope sender so that a notice never bounces
// back, and without an opt-out tag so that it is itself delivered with TLS
// required.
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
		if err := submit(pol.Config.Notice.SMTP, r.Sender, msg); err != nil {
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

// submit hands msg to the MTA at addr by SMTP for rcpt, with the null
// envelope sender. No STARTTLS: the MTA is local.
func submit(addr, rcpt string, msg []byte) error {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(noticeTimeout))
	host, _, _ := net.SplitHostPort(addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return err
	}
	if err := c.Mail(""); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
