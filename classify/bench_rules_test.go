package classify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tlsgate/tlsgate/rules"
)

// BenchmarkScanPlainDefaultTerms is BenchmarkScanPlain with the shipped
// term lists (rules.DefaultTerms, ~300 patterns), whose automaton is far
// larger than the test lists'.
func BenchmarkScanPlainDefaultTerms(b *testing.B) {
	pol, err := rules.Compile(rules.Default())
	if err != nil {
		b.Fatal(err)
	}
	c := pol.Classifier
	text := strings.Repeat("Hej Bente. Tak for mødet i går; faktura 2024-00123 på kr. 12.500,00 er betalt "+
		"til reg.nr. 1234 konto 0012345678. Ring på +45 33 12 34 56 hvis der er spørgsmål om ordren.\r\n", 6000)
	msg := "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if r := c.Scan(context.Background(), strings.NewReader(msg)); !r.Clean() {
			b.Fatalf("unexpected findings %v", r.Reasons())
		}
	}
}
