package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/tlsgate/tlsgate/milter"
)

// metrics are the Prometheus figures served on [metrics] listen: counts and
// times, never anything from a message beyond its reason codes.
type metrics struct {
	reg       *prometheus.Registry
	messages  *prometheus.CounterVec
	reasons   *prometheus.CounterVec
	scanTime  prometheus.Histogram
	scanBytes prometheus.Counter
	errors    *prometheus.CounterVec
	reloads   *prometheus.CounterVec
}

func newMetrics(srv *milter.Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tlsgate_messages_total",
			Help: "Messages decided, by decision (require, optout-granted, optout-refused, pass) and action (rejected, or empty).",
		}, []string{"decision", "action"}),
		reasons: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tlsgate_refusal_reasons_total",
			Help: "Reasons of refused opt-outs (cpr, term:CATEGORY, uninspectable:KIND, limit:KIND, subject:..., error:...), one count per message and reason.",
		}, []string{"reason"}),
		scanTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "tlsgate_scan_duration_seconds",
			Help:    "Time from the end of the headers until the classifier's result, for messages with an opt-out tag.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 9), // 0.5 ms to 33 s
		}),
		scanBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tlsgate_scanned_bytes_total",
			Help: "Message bytes (headers and body) handed to the classifier.",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tlsgate_errors_total",
			Help: "Errors by kind: panic (message tempfailed), protocol (milter session ended in error), audit (audit record not written), notice (sender notice not sent).",
		}, []string{"kind"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tlsgate_config_reloads_total",
			Help: "SIGHUP reloads by result (ok, failed).",
		}, []string{"result"}),
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tlsgate_build_info", Help: "Always 1; the version label is tlsgate's.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	info.Set(1)
	inFlight := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tlsgate_sessions_in_flight",
		Help: "Outbound messages being processed now (between MAIL FROM and the decision).",
	}, func() float64 { return float64(srv.InFlight()) })
	for _, kind := range []string{"panic", "protocol", "audit", "notice"} {
		m.errors.WithLabelValues(kind)
	}
	for _, r := range []string{"ok", "failed"} {
		m.reloads.WithLabelValues(r)
	}
	m.reg.MustRegister(m.messages, m.reasons, m.scanTime, m.scanBytes, m.errors, m.reloads, info, inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// report counts one message.
func (m *metrics) report(r milter.Report) {
	m.messages.WithLabelValues(r.Record.Decision, r.Record.Action).Inc()
	for _, reason := range r.Record.Reasons {
		m.reasons.WithLabelValues(reasonLabel(reason)).Inc()
	}
	if r.Scanned {
		m.scanTime.Observe(r.ScanTime.Seconds())
		m.scanBytes.Add(float64(r.ScanBytes))
	}
}

// reasonLabel drops a trailing count ("cpr:2" is "cpr"), so that a label's
// values stay few.
func reasonLabel(r string) string {
	if i := strings.LastIndexByte(r, ':'); i > 0 && strings.Trim(r[i+1:], "0123456789") == "" {
		return r[:i]
	}
	return r
}

func (m *metrics) fault(kind string) { m.errors.WithLabelValues(kind).Inc() }

// serve starts the HTTP endpoint on addr (a loopback address: checked by
// the configuration) and returns once it listens.
func (m *metrics) serve(addr string, logger *slog.Logger) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics endpoint stopped", "err", err)
		}
	}()
	return hs, nil
}

// stopHTTP closes the metrics endpoint, if any.
func stopHTTP(hs *http.Server) {
	if hs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	hs.Shutdown(ctx)
}
