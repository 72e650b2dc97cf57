package classify

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testTerms = map[string][]string{
	"health":    {"helbred*", "*sygdom*", "sygemeld*", "hiv", "sick leave"},
	"union":     {"fagforening*", "*fagforening*"},
	CategoryCPR: {"cpr", "cpr-nr", "personnummer*"},
}

func newTest(t *testing.T) *Classifier {
	t.Helper()
	c, err := New(Options{Terms: testTerms, MaxDepth: 5, MaxParts: 50})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTerms(t *testing.T) {
	c := newTest(t)
	tests := []struct {
		in   string
		want map[string]int
	}{
		{"Dine helbredsoplysninger", map[string]int{"health": 1}},
		{"HELBRED", map[string]int{"health": 1}},
		{"kræftsygdom og sygdommen", map[string]int{"health": 2}},
		{"Hun er sygemeldt", map[string]int{"health": 1}},
		{"fagforeningskontingent", map[string]int{"union": 1}},
		{"Lokalfagforeningen", map[string]int{"union": 1}},
		{"arkivet hiv-test", map[string]int{"health": 1}},
		{"archive", nil},   // "hiv" inside a word is no hit
		{"uhelbredt", nil}, // stem needs a word start
		{"on sick\nleave", map[string]int{"health": 1}},
		{"on sick  \t leave", map[string]int{"health": 1}},
		{"h\u200belbred", map[string]int{"health": 1}},
		{"ＨＩＶ", map[string]int{"health": 1}},
		{"Faktura 1234 for kontorartikler", nil},
	}
	for _, tc := range tests {
		got := c.ScanText(tc.in).Terms
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ScanText(%q) terms (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestKeywordBeforeBareNumber(t *testing.T) {
	c := newTest(t)
	if got := c.ScanText("cpr-nr.: 0102851239").CPR; got != 1 {
		t.Errorf("bare number after keyword: CPR = %d, want 1", got)
	}
	if got := c.ScanText("ordre 0102851239").CPR; got != 0 {
		t.Errorf("bare number without keyword: CPR = %d, want 0", got)
	}
}

func scan(t *testing.T, msg string) *Result {
	t.Helper()
	msg = strings.ReplaceAll(msg, "\n", "\r\n")
	return newTest(t).Scan(context.Background(), strings.NewReader(msg))
}

func TestScanMessage(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want []string
	}{
		{"plain clean", "Subject: frokost\n\nVi ses kl. 12.\n", nil},
		{"cpr in body", "Subject: x\n\nNummer 010285-1234\n", []string{"cpr:1"}},
		{"cpr in subject", "Subject: 010285-1234\n\nhej\n", []string{"cpr:1"}},
		{"encoded subject term", "Subject: =?UTF-8?Q?fagforenings=C3=B8konomi?=\n\nhej\n", []string{"term:union"}},
		{"base64 body", "Subject: x\nContent-Transfer-Encoding: base64\n\nQ1BSIDAxMDI4NS0xMjM0Cg==\n", []string{"cpr:1", "term:cpr"}},
		{"qp soft break in number", "Subject: x\nContent-Transfer-Encoding: quoted-printable\n\n0102=\n85-12=\n34\n", []string{"cpr:1"}},
		{"latin1", "Subject: x\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nsygdom=E6\n", []string{"term:health"}},
		{"utf-16", "Subject: x\nContent-Type: text/plain; charset=utf-16le\nContent-Transfer-Encoding: base64\n\nMAAxADAAMgA4ADUALQAxADIAMwA0AA==\n", []string{"cpr:1"}},
		{"html tags between digits", "Subject: x\nContent-Type: text/html\n\n<p>01<b>02</b>85&#45;1234</p>\n", []string{"cpr:1"}},
		{"html script ignored", "Subject: x\nContent-Type: text/html\n\n<script>var hiv=1</script><p>Hej</p>\n", nil},
		{"attachment uninspectable", "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhej\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\n--b--\n", []string{"uninspectable:attachment"}},
		{"filename", "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; name*=utf-8''sygdom.txt\n\nhej\n--b--\n", []string{"term:health"}},
		{"nested rfc822", "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nSubject: inner\n\nCPR 010285-1234\n--b--\n", []string{"cpr:1", "term:cpr"}},
		{"unknown charset", "Subject: x\nContent-Type: text/plain; charset=x-klingon\n\nhej\n", []string{"uninspectable:charset"}},
		{"unknown encoding", "Subject: x\nContent-Transfer-Encoding: x-rot13\n\nhej\n", []string{"uninspectable:encoding"}},
		{"multipart without boundary", "Subject: x\nContent-Type: multipart/mixed\n\nhej\n", []string{"uninspectable:parse"}},
		{"unterminated multipart", "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhej\n", []string{"uninspectable:parse"}},
		{"wrong charset label hides number", "Subject: x\nContent-Type: text/plain; charset=utf-16le\n\n010285-1234\n", []string{"cpr:1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scan(t, tc.msg).Reasons()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("Subject: deep\n")
	for i := 0; i < 30; i++ {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i) + "\n\n--b" + strings.Repeat("x", i) + "\n")
	}
	b.WriteString("Content-Type: text/plain\n\nhej\n")
	got := scan(t, b.String()).Reasons()
	if !contains(got, "limit:depth") {
		t.Errorf("30 levels deep: reasons %v, want limit:depth", got)
	}

	b.Reset()
	b.WriteString("Subject: many\nContent-Type: multipart/mixed; boundary=b\n\n")
	for i := 0; i < 100; i++ {
		b.WriteString("--b\nContent-Type: text/plain\n\nhej\n")
	}
	b.WriteString("--b--\n")
	if got := scan(t, b.String()).Reasons(); !contains(got, "limit:parts") {
		t.Errorf("100 parts: reasons %v, want limit:parts", got)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
