package classify

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkWirePassBase64 is the wire-form CPR pass alone over a base64
// attachment's lines (see nextCPRStart): random bytes encoded, so that the
// digits fall as in any base64 body.
func BenchmarkWirePassBase64(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 5))
	raw := make([]byte, 1<<20)
	for i := range raw {
		raw[i] = byte(r.Uint32())
	}
	p := []byte(base64Lines(raw))
	res := &Result{}
	t := newTextScanner(nil, res)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		t.Write(p)
		t.end()
	}
	if res.CPR != 0 {
		b.Fatalf("%d CPR numbers in random base64", res.CPR)
	}
}
