package postfixcheck

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsgate/tlsgate/milter"
	"github.com/tlsgate/tlsgate/rules"
)

// startTlsgate runs tlsgate's own milter server on ln.
func startTlsgate(t *testing.T, ln net.Listener) {
	t.Helper()
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		t.Fatal(err)
	}
	srv := milter.NewServer(pol, slog.New(slog.NewTextHandler(io.Discard, nil)))
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
}

func TestProbeMilter(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	startTlsgate(t, tcp)
	sock := filepath.Join(t.TempDir(), "tlsgate.sock")
	unix, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	startTlsgate(t, unix)
	if err := ProbeMilter("tcp", tcp.Addr().String()); err != nil {
		t.Errorf("tlsgate over TCP: %v", err)
	}
	if err := ProbeMilter("unix", sock); err != nil {
		t.Errorf("tlsgate over a unix socket: %v", err)
	}

	// A port where nothing listens.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	if err := ProbeMilter("tcp", closedAddr); err == nil {
		t.Errorf("closed port: probe succeeded")
	}
	// Something that accepts connections but speaks SMTP, not milter.
	smtp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer smtp.Close()
	go func() {
		for {
			c, err := smtp.Accept()
			if err != nil {
				return
			}
			io.WriteString(c, "220 mx.example.dk ESMTP\r\n")
			time.Sleep(100 * time.Millisecond)
			c.Close()
		}
	}()
	if err := ProbeMilter("tcp", smtp.Addr().String()); err == nil {
		t.Errorf("SMTP server: probe succeeded")
	}
	// Something that accepts and then says nothing: the probe gives up.
	defer func(d time.Duration) { ProbeTimeout = d }(ProbeTimeout)
	ProbeTimeout = 200 * time.Millisecond
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	if err := ProbeMilter("tcp", silent.Addr().String()); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("silent server: got %v, want a timeout", err)
	}
}

// Check probes tlsgate where the chrooted smtpd finds it: under the queue
// directory.
func TestCheckProbesChrootPath(t *testing.T) {
	queue := t.TempDir()
	var probed []string
	in := caseInput(t, checkCase{dir: "good-unix-socket"})
	in.Main["queue_directory"] = queue
	in.Listen = "unix:" + queue + "/tlsgate/tlsgate.sock"
	in.Probe = func(network, addr string) error {
		probed = append(probed, network+" "+addr)
		return ProbeMilter(network, addr)
	}
	fs := Check(in)
	want := "unix " + queue + "/tlsgate/tlsgate.sock"
	if len(probed) != 1 || probed[0] != want {
		// tlsgate is named unix:/tlsgate/tlsgate.sock in main.cf
		t.Errorf("probed %q, want [%s]", probed, want)
	}
	if Problems(fs) != 1 || !strings.Contains(fmt.Sprint(fs), "PROBLEM milter unix:"+want[5:]+": nothing answers the milter protocol") {
		t.Errorf("with nothing listening: %v", fs)
	}
	if err := os.Mkdir(queue+"/tlsgate", 0o755); err != nil {
		t.Fatal(err)
	}
	unix, err := net.Listen("unix", queue+"/tlsgate/tlsgate.sock")
	if err != nil {
		t.Skipf("cannot listen at %s: %v", queue, err)
	}
	startTlsgate(t, unix)
	if fs := Check(in); Problems(fs) != 0 {
		t.Errorf("with tlsgate listening: %v", fs)
	}
}
