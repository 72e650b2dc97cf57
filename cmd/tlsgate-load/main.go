// Command tlsgate-load drives a milter with concurrent sessions, as an MTA
// would, and prints messages per second, latency percentiles and errors.
//
//	tlsgate-load -addr inet:127.0.0.1:8898 -c 8 -n 5000 testdata/corpus/*.eml
//	tlsgate-load -noop -c 8 -n 5000           # a no-op go-milter server (own process), for comparison
//	tlsgate-load -gen zip -size 50M -c 1 -rss $(pidof tlsgate)   # peak memory for one big message
//
// Each message is sent as Postfix does with protocol version 2: connect,
// MAIL and RCPT with macros, the header fields, the body in chunks, end of
// message. Without files, a small built-in message with the opt-out tag is
// used, so the classifier runs. -gen KIND -size N sends a generated message
// of N bytes instead (plain, b64text or zip: see gen.go), and -rss PID
// prints the daemon's resident memory at idle and its peak during the run
// (from /proc/PID/status). Every run ends with the decisions the milter
// took (the routing header's values).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/tlsgate/tlsgate/rules"
)

const builtin = "From: alice@example.dk\r\nTo: bob@example.com\r\nSubject: [unsecure] Frokost fredag\r\n\r\n" +
	"Hej Bob,\r\n\r\nSkal vi spise frokost fredag kl. 12? Faktura 2024-00123 er betalt.\r\n\r\nAlice\r\n"

type message struct {
	fields [][2]string
	body   []byte
}

func main() {
	addr := flag.String("addr", "inet:127.0.0.1:8898", "milter address")
	conc := flag.Int("c", 8, "concurrent sessions")
	total := flag.Int("n", 2000, "messages to send")
	perConn := flag.Int("per-conn", 10, "messages per milter connection")
	noop := flag.Bool("noop", false, "start a no-op go-milter server in a child process and drive that instead")
	serveNoop := flag.String("serve-noop", "", "(internal) be the no-op server on `host:port`")
	gen := flag.String("gen", "", "send a generated `kind` of message: plain, b64text or zip (with -size)")
	size := flag.String("size", "20M", "size of the generated message (-gen), e.g. 50M")
	rssPID := flag.Int("rss", 0, "report the resident memory of process `pid` (the milter) at idle and at peak")
	flag.Parse()
	if *serveNoop != "" {
		os.Exit(noopServer(*serveNoop))
	}
	nSet := false
	flag.Visit(func(f *flag.Flag) { nSet = nSet || f.Name == "n" })

	var msgs []message
	var err error
	if *gen != "" {
		var n int
		if n, err = parseSize(*size); err == nil {
			var m message
			m, err = genMessage(*gen, n)
			msgs = []message{m}
		}
		if !nSet {
			*total = *conc // one big message per session
		}
	} else {
		msgs, err = load(flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	network, address, err := rules.SplitListen(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *noop {
		// A process of its own, as tlsgate is, so both runs pay the same
		// cross-process wake-ups on the same two cores.
		stop, a, err := startNoop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "-noop:", err)
			os.Exit(1)
		}
		defer stop()
		network, address = "tcp", a
	}

	var probe *rssProbe
	if *rssPID != 0 {
		if probe, err = startRSS(*rssPID); err != nil {
			fmt.Fprintln(os.Stderr, "-rss:", err)
			os.Exit(2)
		}
	}

	var next, errs atomic.Int64
	lat := make([][]time.Duration, *conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := gomilter.NewClientWithOptions(network, address, gomilter.ClientOptions{
				ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
				ActionMask: gomilter.OptAddHeader | gomilter.OptChangeHeader,
			})
			for {
				sent, err := session(client, msgs, &next, int64(*total), *perConn, &lat[w])
				if err != nil {
					fmt.Fprintln(os.Stderr, "session:", err)
				}
				if err != nil {
					errs.Add(1)
				}
				if sent == 0 && next.Load() >= int64(*total) {
					return
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) == 0 {
		fmt.Println("no message completed; errors:", errs.Load())
		os.Exit(1)
	}
	pct := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
	fmt.Printf("messages=%d errors=%d elapsed=%s rate=%.0f msg/s p50=%s p99=%s max=%s concurrency=%d\n",
		len(all), errs.Load(), elapsed.Round(time.Millisecond), float64(len(all))/elapsed.Seconds(),
		pct(0.50), pct(0.99), all[len(all)-1], *conc)
	printDecisions()
	if probe != nil {
		if err := probe.report(); err != nil {
			fmt.Fprintln(os.Stderr, "-rss:", err)
			os.Exit(1)
		}
	}
	if errs.Load() > 0 {
		os.Exit(1)
	}
}

// session sends up to perConn messages over one milter connection.
func session(c *gomilter.Client, msgs []message, next *atomic.Int64, total int64, perConn int, lat *[]time.Duration) (int, error) {
	s, err := c.Session()
	if err != nil {
		return 0, err
	}
	defer s.Close()
	if _, err := s.Conn("client.example", gomilter.FamilyInet, 40000, "127.0.0.1"); err != nil {
		return 0, err
	}
	sent := 0
	for sent < perConn {
		i := next.Add(1) - 1
		if i >= total {
			return sent, nil
		}
		t0 := time.Now()
		if err := send(s, msgs[int(i)%len(msgs)], i); err != nil {
			return sent, err
		}
		*lat = append(*lat, time.Since(t0))
		sent++
	}
	return sent, nil
}

func send(s *gomilter.ClientSession, m message, i int64) error {
	qid := fmt.Sprintf("L%X", i)
	s.Macros(gomilter.CodeMail, "i", qid)
	if act, err := s.Mail("<alice@example.dk>", nil); err != nil {
		return err
	} else if act.Code != gomilter.ActContinue {
		return nil
	}
	if _, err := s.Rcpt("<bob@example.com>", nil); err != nil {
		return err
	}
	for _, f := range m.fields {
		if _, err := s.HeaderField(f[0], f[1]); err != nil {
			return err
		}
	}
	if _, err := s.HeaderEnd(); err != nil {
		return err
	}
	for b := m.body; len(b) > 0; {
		n := min(len(b), gomilter.MaxBodyChunk)
		if _, err := s.BodyChunk(b[:n]); err != nil {
			return err
		}
		b = b[n:]
	}
	s.Macros(gomilter.CodeEOB, "i", qid)
	mods, act, err := s.End()
	if err != nil {
		return err
	}
	switch act.Code {
	case gomilter.ActAccept:
		decision := "no-header"
		for _, m := range mods {
			if m.Code == gomilter.ActAddHeader {
				decision = strings.TrimSpace(m.HeaderValue)
			}
		}
		countDecision(decision)
	case gomilter.ActReplyCode:
		countDecision(fmt.Sprintf("reply-%d", act.SMTPCode))
	default:
		return fmt.Errorf("unexpected action %c", act.Code)
	}
	return nil
}

var decisions struct {
	sync.Mutex
	n map[string]int
}

func countDecision(d string) {
	decisions.Lock()
	defer decisions.Unlock()
	if decisions.n == nil {
		decisions.n = map[string]int{}
	}
	decisions.n[d]++
}

// printDecisions prints "decisions opportunistic=3 require=1", sorted.
func printDecisions() {
	decisions.Lock()
	defer decisions.Unlock()
	var ds []string
	for d, n := range decisions.n {
		ds = append(ds, fmt.Sprintf("%s=%d", d, n))
	}
	sort.Strings(ds)
	fmt.Println("decisions", strings.Join(ds, " "))
}

// load splits .eml files into header fields (as an MTA passes them:
// unfolded name, value with "\n" in folds) and body.
func load(files []string) ([]message, error) {
	raws := [][]byte{[]byte(builtin)}
	if len(files) > 0 {
		raws = nil
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			raws = append(raws, b)
		}
	}
	var out []message
	for _, raw := range raws {
		raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
		var m message
		for {
			line, err := r.ReadContinuedLine()
			if err != nil || line == "" {
				break
			}
			k, v, _ := strings.Cut(line, ":")
			m.fields = append(m.fields, [2]string{k, strings.TrimSpace(v)})
		}
		if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
			m.body = bytes.ReplaceAll(raw[i+2:], []byte("\n"), []byte("\r\n"))
		}
		out = append(out, m)
	}
	return out, nil
}

// startNoop runs this program as a no-op go-milter server on a free
// loopback port and returns a function that stops it.
func startNoop() (stop func(), addr string, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr = ln.Addr().String()
	ln.Close()
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(self, "-serve-noop", addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { cmd.Process.Kill(); cmd.Wait() }
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return stop, addr, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, "", fmt.Errorf("no-op server did not listen on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noopServer is the no-op milter: go-milter v0.5.0 with tlsgate's action
// and protocol bits, continuing at every step.
func noopServer(addr string) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv := &gomilter.Server{NewMilter: func() gomilter.Milter { return gomilter.NoOpMilter{} },
		Actions: gomilter.OptAddHeader | gomilter.OptChangeHeader, Protocol: gomilter.OptNoHelo}
	srv.Serve(ln)
	return 0
}
