package classify

import (
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// repeatReader streams n copies of s without holding them in memory.
type repeatReader struct {
	s    string
	n, i int
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		if r.i >= r.n {
			if total == 0 {
				return 0, io.EOF
			}
			return total, nil
		}
		k := copy(p, r.s[r.off:])
		p, total, r.off = p[k:], total+k, r.off+k
		if r.off == len(r.s) {
			r.off, r.i = 0, r.i+1
		}
	}
	return total, nil
}

// scanBounded scans r with the production defaults and reports the reasons
// and how much the heap grew while scanning.
func scanBounded(t *testing.T, r io.Reader) ([]string, uint64) {
	t.Helper()
	c, err := New(Options{Terms: testTerms, MaxDepth: 20, MaxParts: 1000, MaxHeaderBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	done := make(chan []string)
	go func() { done <- c.Scan(context.Background(), r).Reasons() }()
	var reasons []string
	for reasons == nil {
		select {
		case reasons = <-done:
			if reasons == nil {
				reasons = []string{}
			}
		default:
			runtime.ReadMemStats(&after)
			peak = max(peak, after.HeapInuse)
			runtime.Gosched()
		}
	}
	if peak < before.HeapInuse {
		return reasons, 0
	}
	return reasons, peak - before.HeapInuse
}

func TestResourceBombs(t *testing.T) {
	const budget = 64 << 20
	tests := []struct {
		name string
		r    func() io.Reader
		want string
	}{
		{"10000 parts", func() io.Reader {
			return io.MultiReader(strings.NewReader("Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"),
				&repeatReader{s: "--b\r\nContent-Type: text/plain\r\n\r\nhej\r\n", n: 10000},
				strings.NewReader("--b--\r\n"))
		}, "limit:parts"},
		{"nesting 1000", func() io.Reader {
			var b strings.Builder
			b.WriteString("Subject: x\r\n")
			for i := 0; i < 1000; i++ {
				b.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i%50) + "y" + strconv.Itoa(i) + "\r\n\r\n--b" + strings.Repeat("x", i%50) + "y" + strconv.Itoa(i) + "\r\n")
			}
			b.WriteString("Content-Type: text/plain\r\n\r\nhej\r\n")
			return strings.NewReader(b.String())
		}, "limit:depth"},
		{"nested messages 1000", func() io.Reader {
			return io.MultiReader(&repeatReader{s: "Subject: x\r\nContent-Type: message/rfc822\r\n\r\n", n: 1000},
				strings.NewReader("Subject: x\r\n\r\nhej\r\n"))
		}, "limit:depth"},
		{"50 MB header block", func() io.Reader {
			return io.MultiReader(strings.NewReader("Subject: x\r\n"),
				&repeatReader{s: "X-Filler: " + strings.Repeat("a", 500) + "\r\n", n: 50 << 20 / 512},
				strings.NewReader("\r\nhej\r\n"))
		}, "limit:header"},
		{"50 MB header line", func() io.Reader {
			return io.MultiReader(strings.NewReader("Subject: "),
				&repeatReader{s: strings.Repeat("a", 1024), n: 50 << 10},
				strings.NewReader("\r\n\r\nhej\r\n"))
		}, "limit:header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reasons, grew := scanBounded(t, tc.r())
			if !contains(reasons, tc.want) {
				t.Errorf("reasons %v, want %s among them (the opt-out must be refused)", reasons, tc.want)
			}
			if grew > budget {
				t.Errorf("heap grew by %d MB while scanning, budget %d MB", grew>>20, budget>>20)
			}
		})
	}
}
