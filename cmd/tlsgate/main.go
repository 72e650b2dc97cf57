// Command tlsgate is an outbound milter for Postfix and Sendmail that makes
// the MTA deliver every message with TLS required, unless the sender typed
// an opt-out tag such as [unsecure] in the Subject and the message holds no
// CPR number, no sensitive term and nothing that could not be inspected.
//
// Usage:
//
//	tlsgate [-config FILE] [-listen ADDR]   run the milter
//	tlsgate -check-config [-config FILE]    validate, print every problem
//	tlsgate -version
//
// See README.md for the Postfix set-up.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/milter/audit"
	"github.com/tlsgate/tlsgate/rules"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes: 2 means the configuration is wrong, so systemd does not
// restart into the same error (RestartPreventExitStatus=2).
const (
	exitFailure = 1
	exitConfig  = 2
)

func main() {
	if len(os.Args) > 1 {
		if cmd, ok := subcommands[os.Args[1]]; ok {
			os.Exit(cmd(os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stderr))
}

// gcPercent is the daemon's GOGC unless the environment sets one. Most of
// the garbage per message is go-milter's (a 4 KiB buffer for every packet
// it writes, ~40 KiB for a small message), and the live heap is small (the
// term automaton, ~2 MiB), so with Go's default of 100 the collector ran
// every ~50 messages. 200 cuts that by half for ~8 MiB of resident memory:
// small-message milter throughput 81% -> 88% of a no-op go-milter server
// (README, "Speed, memory and faults").
const gcPercent = 200

// subcommands are the administrator's tools ("tlsgate check FILE.eml"); each
// lives in its own file and registers itself here from init.
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlsgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration `file` (TOML); built-in defaults when empty")
	listen := fs.String("listen", "", "milter socket, inet:HOST:PORT or unix:/path (overrides the config)")
	checkConfig := fs.Bool("check-config", false, "validate the configuration, print every problem, and exit")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return exitConfig
	}
	if *showVersion {
		fmt.Fprintln(os.Stdout, "tlsgate", version)
		return 0
	}
	cfg, err := loadConfig(*configPath, *listen)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitConfig
	}
	pol, err := rules.Compile(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", *configPath, err)
		return exitConfig
	}
	if *checkConfig {
		fmt.Fprintln(os.Stdout, "configuration OK")
		return 0
	}
	logger := newLogger(stderr, cfg.Log.Level)
	// go-milter reports protocol errors through the standard logger.
	log.SetFlags(0)
	log.SetOutput(slogWriter{logger, nil})

	// Signals are caught before the socket opens, so a SIGTERM right after
	// start drains instead of killing the process.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	ln, err := listenOn(cfg.Listen)
	if err != nil {
		logger.Error("cannot listen", "listen", cfg.Listen, "err", err)
		return exitFailure
	}
	srv := milter.NewServer(pol, logger)
	met := newMetrics(srv)
	log.SetOutput(slogWriter{logger, func() { met.fault("protocol") }})
	srv.Fault = met.fault
	var auditFile *audit.File
	if cfg.Audit.File != "" {
		if auditFile, err = audit.Open(cfg.Audit.File); err != nil {
			logger.Error("cannot open the audit log", "err", err)
			return exitFailure
		}
		defer auditFile.Close()
	}
	notices := newNotifier(srv.Policy, logger, func() { met.fault("notice") })
	srv.Report = func(r milter.Report) {
		met.report(r)
		if auditFile != nil && r.Outbound {
			if err := auditFile.Write(r.Record); err != nil {
				logger.Error("audit log write failed", "err", err)
				met.fault("audit")
			}
		}
		notices.report(r)
	}
	var metricsHTTP *http.Server
	if cfg.Metrics.Listen != "" {
		if metricsHTTP, err = met.serve(cfg.Metrics.Listen, logger); err != nil {
			logger.Error("cannot listen for metrics", "listen", cfg.Metrics.Listen, "err", err)
			return exitFailure
		}
		defer stopHTTP(metricsHTTP)
	}
	if cfg.Sendmail.Mode == rules.SendmailEnvelope {
		// Sendmail's token map (milter.TokenMap): without it no opt-out
		// token is accepted and TLS stays required for every message.
		mln, err := listenOn(cfg.Sendmail.MapListen)
		if err != nil {
			logger.Error("cannot listen for the Sendmail token map", "listen", cfg.Sendmail.MapListen, "err", err)
			return exitFailure
		}
		tm := milter.NewTokenMap(srv.Policy, logger)
		go tm.Serve(mln)
		defer tm.Close()
	}
	logger.Info("started", "version", version, "listen", cfg.Listen, "metrics", cfg.Metrics.Listen, "rules", pol.Version())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	for {
		select {
		case err := <-served:
			logger.Error("server stopped", "err", err)
			return exitFailure
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				if reload(srv, logger, *configPath, *listen, cfg) {
					met.reloads.WithLabelValues("ok").Inc()
				} else {
					met.reloads.WithLabelValues("failed").Inc()
				}
				if auditFile != nil {
					if err := auditFile.Reopen(); err != nil {
						logger.Error("audit log reopen failed; still writing the old file", "err", err)
					}
				}
				continue
			}
			logger.Info("stopping; draining messages in flight", "in_flight", srv.InFlight())
			ctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout.Duration)
			err := srv.Shutdown(ctx)
			notices.wait(ctx)
			cancel()
			if err != nil {
				logger.Warn("shutdown deadline passed; connections closed", "err", err)
			}
			logger.Info("stopped")
			return 0
		}
	}
}

// loadConfig reads the file (or the defaults) and applies -listen.
func loadConfig(path, listen string) (*rules.Config, error) {
	cfg := rules.Default()
	if path != "" {
		var err error
		if cfg, err = rules.Load(path); err != nil {
			return nil, err
		}
	}
	if listen != "" {
		if _, _, err := rules.SplitListen(listen); err != nil {
			return nil, fmt.Errorf("-listen: %w", err)
		}
		cfg.Listen = listen
	}
	return cfg, nil
}

// reload re-reads the configuration on SIGHUP. On any error the old rules
// stay. The socket and the audit file cannot move without a restart.
func reload(srv *milter.Server, logger *slog.Logger, path, listen string, running *rules.Config) bool {
	cfg, err := loadConfig(path, listen)
	switch {
	case err != nil:
	case cfg.Listen != running.Listen:
		err = fmt.Errorf("listen: changing the socket (%s to %s) needs a restart", running.Listen, cfg.Listen)
	case cfg.Audit.File != running.Audit.File:
		err = fmt.Errorf("audit.file: changing the audit file needs a restart")
	case cfg.Metrics.Listen != running.Metrics.Listen:
		err = fmt.Errorf("metrics.listen: changing the metrics endpoint needs a restart")
	case cfg.Sendmail.Mode != running.Sendmail.Mode || cfg.Sendmail.MapListen != running.Sendmail.MapListen:
		err = fmt.Errorf("sendmail.mode, sendmail.map_listen: changing the Sendmail channel needs a restart")
	}
	var pol *rules.Policy
	if err == nil {
		pol, err = rules.Compile(cfg)
	}
	if err != nil {
		logger.Error("reload failed; keeping the old rules", "err", err)
		return false
	}
	srv.SetPolicy(pol)
	logger.Info("reloaded", "rules", pol.Version())
	return true
}

// listenOn opens the milter socket. A stale unix socket is removed; the new
// one is group-writable so the MTA's group can connect.
func listenOn(addr string) (net.Listener, error) {
	network, address, err := rules.SplitListen(addr)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		if fi, err := os.Lstat(address); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(address)
		}
		old := syscall.Umask(0o007)
		defer syscall.Umask(old)
	}
	return net.Listen(network, address)
}

// newLogger writes text lines to w. Under systemd (JOURNAL_STREAM set) the
// time is left out: journald adds its own.
func newLogger(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if os.Getenv("JOURNAL_STREAM") != "" {
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// slogWriter routes the standard logger (go-milter's) into slog at warn;
// count, when set, counts each line (a milter session that ended in error).
type slogWriter struct {
	l     *slog.Logger
	count func()
}

func (w slogWriter) Write(p []byte) (int, error) {
	msg := string(p)
	if n := len(msg); n > 0 && msg[n-1] == '\n' {
		msg = msg[:n-1]
	}
	w.l.Warn("milter protocol", "detail", msg)
	if w.count != nil {
		w.count()
	}
	return len(p), nil
}
