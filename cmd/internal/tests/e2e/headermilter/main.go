// Command headermilter is the baseline milter for the end-to-end
// throughput test: it speaks the same milter protocol as tlsgate (go-milter
// v0.5.0, the same events and action bits) and adds the same routing header,
// "X-TLSGate-Policy: opportunistic", to every message, but parses and scans
// nothing. Postfix then does the same work as behind tlsgate, so the
// difference between the two runs is tlsgate's own work.
//
// Usage: headermilter -listen 127.0.0.1:PORT
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	gomilter "github.com/emersion/go-milter"
)

// headerMilter continues at every event and adds the header at the end.
type headerMilter struct{ gomilter.NoOpMilter }

func (headerMilter) Body(m *gomilter.Modifier) (gomilter.Response, error) {
	if err := m.AddHeader("X-TLSGate-Policy", "opportunistic"); err != nil {
		return nil, err
	}
	return gomilter.RespAccept, nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8899", "TCP address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv := &gomilter.Server{
		NewMilter: func() gomilter.Milter { return headerMilter{} },
		// As tlsgate's milter.Server: version 2 action bits, no HELO.
		Actions:  gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptAddRcpt | gomilter.OptRemoveRcpt,
		Protocol: gomilter.OptNoHelo,
	}
	fmt.Fprintln(os.Stderr, srv.Serve(ln))
	os.Exit(1)
}
