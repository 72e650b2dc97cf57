package rtf

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 01{\b 02}90\-12\_34\par}`, "01029012-34"}, // \- optional, \_ non-breaking hyphen
		{`{\rtf1\ansi\uc1 Hj\'e6rte\u115?ygdom\par}`, "Hjærtesygdom"},
		{`{\rtf1{\*\generator 010190-1234;}{\pict 0101901234}Hej}`, "Hej"},
		{`{\rtf1 010190\~1234 a\tab b}`, "010190 1234 a b"},
		// LibreOffice's footnotes and comments are ignorable destinations:
		// read; known non-text ones are not.
		{`{\rtf1 Tekst{\*\footnote \chftn Fodnote}{\*\atnid S}{\*\atnauthor Sekr}\chatn{\*\annotation Note}{\*\panose 02020603}}`, "Tekst Fodnote S Sekr Note"},
		{`{\rtf1 A{\*\unknowndest B}}`, "A B"},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		if err := Text(strings.NewReader(tc.in), &out); err != nil {
			t.Errorf("%s: %v", tc.in, err)
		}
		if got := strings.Join(strings.Fields(out.String()), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
	deep := strings.Repeat("{", MaxDepth+1)
	if err := Text(strings.NewReader(`{\rtf1`+deep), &bytes.Buffer{}); !errors.Is(err, ErrDepth) {
		t.Errorf("deep nesting: %v, want ErrDepth", err)
	}
	if err := Text(strings.NewReader(`{\rtf1 \'zz}`), &bytes.Buffer{}); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad hex: %v, want ErrSyntax", err)
	}
}
