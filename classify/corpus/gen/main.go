// Command gen writes the labelled classifier corpus: positives, one file per
// hiding technique and variant (pos-<technique>-NN.eml), ordinary business
// mail (neg-<kind>-NN.eml) and LABELS.tsv. Its output is deterministic, so
// the committed corpus can be regenerated and compared:
//
//	go run ./classify/corpus/gen -out testdata/corpus
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sample is one corpus message with its label.
type sample struct {
	name   string // file name without ".eml"
	class  string // technique, or "negative"
	expect string // reason prefix a positive must produce; "" for negatives
	msg    string // message with "\n" line ends; written with CRLF
}

func main() {
	out := flag.String("out", "testdata/corpus", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	r := rand.New(rand.NewPCG(2026, 11))
	var all []sample
	all = append(all, positives(r)...)
	all = append(all, negatives(r)...)
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	var labels strings.Builder
	labels.WriteString("file\tclass\texpect\n")
	for _, s := range all {
		f := s.name + ".eml"
		if err := os.WriteFile(filepath.Join(*out, f), []byte(crlf(s.msg)), 0o644); err != nil {
			log.Fatal(err)
		}
		expect := s.expect
		if expect == "" {
			expect = "-"
		}
		fmt.Fprintf(&labels, "%s\t%s\t%s\n", f, s.class, expect)
	}
	if err := os.WriteFile(filepath.Join(*out, "LABELS.tsv"), []byte(labels.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// crlf turns every line end into CRLF (RFC 5322 §2.1).
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// cprNumber is a date-valid CPR number as ten digits.
type cprNumber [10]byte

func (c cprNumber) String() string {
	b := make([]byte, 10)
	for i, d := range c {
		b[i] = '0' + d
	}
	return string(b)
}

// newCPR draws a date-valid CPR number. Century cycles through 1800s,
// 1900s and 2000s with the seventh digit the CPR rule gives for it;
// numbers from 2007 on (and every other one before) fail modulus 11, as
// real numbers issued since 2007 may.
func newCPR(r *rand.Rand, i int) cprNumber {
	var year, d7 int
	switch i % 5 {
	case 0:
		year, d7 = 1900+r.IntN(100), r.IntN(4) // 0–3: 1900–1999
	case 1:
		year, d7 = 2007+r.IntN(19), 4+5*r.IntN(2) // 4 or 9: 2000–2036
	case 2:
		year, d7 = 1858+r.IntN(42), 5+r.IntN(4) // 5–8, YY 58–99: 1858–1899
	case 3:
		year, d7 = 2008+r.IntN(18), 5+r.IntN(4) // 5–8, YY 00–57: 2000–2057
	default:
		year, d7 = 1937+r.IntN(63), 4 // 4, YY 37–99: 1937–1999
	}
	month := 1 + r.IntN(12)
	day := 1 + r.IntN(daysIn(month, year))
	if i%7 == 3 {
		// A leap day now and then: 29 February of a leap year.
		// YY 00 is skipped: with some seventh digits it means 1900.
		for year%4 != 0 || year%100 == 0 {
			year++
		}
		month, day = 2, 29
	}
	yy := year % 100
	wantMod11 := year < 2007 && i%2 == 0
	for {
		var c cprNumber
		put := func(k, v int) { c[k], c[k+1] = byte(v/10), byte(v%10) }
		put(0, day)
		put(2, month)
		put(4, yy)
		c[6] = byte(d7)
		for k := 7; k < 10; k++ {
			c[k] = byte(r.IntN(10))
		}
		sum := 0
		for k, w := range [10]int{4, 3, 2, 7, 6, 5, 4, 3, 2, 1} {
			sum += w * int(c[k])
		}
		if (sum%11 == 0) == wantMod11 {
			return c
		}
	}
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// format writes c in one of the usual shapes.
func (c cprNumber) format(style int) string {
	s := c.String()
	switch style % 5 {
	case 0:
		return s[:6] + "-" + s[6:]
	case 1:
		return s[:6] + " " + s[6:]
	case 2:
		return "CPR-nr. " + s // bare: a keyword stands before it
	case 3:
		return s[:2] + s[2:4] + s[4:6] + " - " + s[6:]
	default:
		return s[:6] + "-" + s[6:]
	}
}
