package milter

import (
	"testing"

	gomilter "github.com/emersion/go-milter"
)

// BenchmarkMessage runs small messages through one milter connection over
// loopback TCP, as the load tool does (cmd/tlsgate-load), for the cost per
// message and its allocations. The client's work (go-milter's) is counted
// too.
func BenchmarkMessage(b *testing.B) {
	for _, bc := range []struct {
		name    string
		subject string
	}{
		{"untagged", "Frokost fredag"},
		{"unsecure", "[unsecure] Frokost fredag"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			addr, _, _ := startServer(b, "")
			s := dial(b, addr)
			connect(b, s, "127.0.0.1")
			m := msg{
				headers: [][2]string{{"From", "alice@example.dk"}, {"To", "bob@example.com"}, {"Subject", bc.subject}},
				body:    "Hej Bob,\n\nSkal vi spise frokost fredag kl. 12? Jeg har booket et bord.\n\nAlice\n",
			}
			b.ReportAllocs()
			for b.Loop() {
				if r := send(b, s, m); r.act == nil || r.act.Code != gomilter.ActAccept {
					b.Fatalf("end of message: %+v", r.act)
				}
			}
		})
	}
}
