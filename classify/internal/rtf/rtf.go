// Package rtf reads the text of an RTF document (Microsoft RTF
// Specification 1.9.1).
package rtf

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// RTF (Microsoft RTF Specification 1.9.1): text is what is left when control
// words are dropped; \'hh is a byte in the document's code page (read as
// Windows-1252, the code page of Danish and English documents), \uN a
// UTF-16 unit followed by \ucN fallback characters to skip. Destinations
// that hold no text (font and colour tables, pictures) are skipped whole.
// An ignorable destination {\*\word ...} is skipped only when word is
// known to hold no text: readers that do not know one skip it, but
// LibreOffice and Word put footnotes ({\*\footnote}), comments
// ({\*\annotation}, {\*\atnauthor}), bookmarks and field instructions
// there, so an unknown one is read (fail closed: more text, never less).

// rtfSkip are destinations whose content is not document text.
var rtfSkip = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "pict": true, "listtable": true,
	"listoverridetable": true, "revtbl": true, "rsidtbl": true, "generator": true,
	"themedata": true, "colorschememapping": true, "datastore": true, "latentstyles": true,
	"filetbl": true, "xmlnstbl": true, "objdata": true, "blipuid": true, "fontemb": true,
}

// starSkip are ignorable destinations ({\*\word}) that hold no text, or
// only digits and hex that would look like numbers.
var starSkip = map[string]bool{
	"panose": true, "pgdsctbl": true, "pnseclvl": true, "wgrffmtfilter": true, "ftnsep": true,
	"ftnsepc": true, "aftnsep": true, "aftnsepc": true, "nonshppict": true, "defchp": true,
	"defpap": true, "mmathPr": true, "listpicture": true, "password": true, "passwordhash": true,
	"protusertbl": true, "pgptbl": true, "atndate": true, "atnparent": true, "atnref": true,
	"bkmkend": true, "fchars": true, "lchars": true,
}

// rtfBreaks are control words that separate text.
var rtfBreaks = map[string]bool{
	"par": true, "line": true, "tab": true, "cell": true, "row": true, "sect": true,
	"page": true, "emspace": true, "enspace": true, "qmspace": true,
}

// ErrSyntax is a document that is not well-formed RTF.
var ErrSyntax = errors.New("rtf: malformed document")

// ErrDepth is a document nested deeper than MaxDepth groups.
var ErrDepth = errors.New("rtf: groups nested too deep")

// MaxDepth bounds group nesting.
const MaxDepth = 1000

var errRTF = ErrSyntax

type rtfGroup struct {
	skip bool
	star bool // \* seen: the next control word says whether to skip
	dest bool // an ignorable destination that is read: a word break around it
	uc   int  // fallback characters after \uN
}

// Text writes the text of the RTF document in r to out. A read error of
// r is returned as it is.
func Text(r io.Reader, out io.Writer) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	st := []rtfGroup{{uc: 1}}
	var text []byte
	flush := func() {
		if len(text) > 0 {
			out.Write(text)
			text = text[:0]
		}
	}
	defer flush()
	skipFallback := 0
	emit := func(r rune) {
		if st[len(st)-1].skip {
			return
		}
		text = utf8.AppendRune(text, r)
		if len(text) > 4096 {
			flush()
		}
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch c {
		case '{':
			if len(st) >= MaxDepth {
				return ErrDepth
			}
			st = append(st, st[len(st)-1])
			st[len(st)-1].star, st[len(st)-1].dest = false, false
			skipFallback = 0
		case '}':
			if len(st) == 1 {
				return nil // end of document; trailing bytes are ignored
			}
			dest := st[len(st)-1].dest
			st = st[:len(st)-1]
			skipFallback = 0
			if dest {
				emit(' ')
			}
		case '\\':
			word, param, hasParam, sym, err := rtfControl(br)
			if err != nil {
				return err
			}
			g := &st[len(st)-1]
			if g.star && word != "" {
				g.star = false
				if starSkip[word] || rtfSkip[word] {
					g.skip = true
				} else {
					g.dest = true
					emit(' ')
				}
			}
			if skipFallback > 0 && (sym == '\'' || word != "") {
				skipFallback--
				if sym == '\'' {
					if _, err := rtfHex(br); err != nil {
						return err
					}
				}
				continue
			}
			switch {
			case sym == '*':
				g.star = true
			case sym == '\'':
				b, err := rtfHex(br)
				if err != nil {
					return err
				}
				emit(charmap.Windows1252.DecodeByte(b))
			case sym == '~':
				emit(' ')
			case sym == '_':
				emit('-')
			case sym == '\\' || sym == '{' || sym == '}':
				emit(rune(sym))
			case sym == '\n' || sym == '\r':
				emit(' ') // \<newline> is \par
			case sym != 0:
				// \- optional hyphen, \| and others: nothing visible.
			case word == "u" && hasParam:
				if param < 0 {
					param += 65536
				}
				emit(rune(param))
				skipFallback = g.uc
			case word == "uc" && hasParam:
				g.uc = param
			case word == "bin" && hasParam:
				if _, err := br.Discard(max(param, 0)); err != nil {
					return errRTF
				}
			case rtfSkip[word]:
				g.skip = true
			case rtfBreaks[word]:
				emit(' ')
			}
		case '\r', '\n', 0:
			// Line ends in RTF source are not text.
		default:
			if skipFallback > 0 {
				skipFallback--
				continue
			}
			if c < utf8.RuneSelf {
				emit(rune(c))
			} else {
				emit(charmap.Windows1252.DecodeByte(c))
			}
		}
	}
}

// rtfControl reads a control word (letters, optional signed number, an
// optional space delimiter) or a control symbol after a backslash.
func rtfControl(br *bufio.Reader) (word string, param int, hasParam bool, sym byte, err error) {
	c, err := br.ReadByte()
	if err != nil {
		return "", 0, false, 0, errRTF
	}
	if !isASCIILetter(c) {
		return "", 0, false, c, nil
	}
	var name []byte
	for isASCIILetter(c) && len(name) < 32 {
		name = append(name, c)
		if c, err = br.ReadByte(); err != nil {
			return string(name), 0, false, 0, nil
		}
	}
	neg := false
	if c == '-' {
		neg = true
		if c, err = br.ReadByte(); err != nil {
			return string(name), 0, false, 0, nil
		}
	}
	for c >= '0' && c <= '9' {
		hasParam = true
		if param < 1<<24 {
			param = param*10 + int(c-'0')
		}
		if c, err = br.ReadByte(); err != nil {
			break
		}
	}
	if neg {
		param = -param
	}
	if err == nil && c != ' ' {
		br.UnreadByte()
	}
	return string(name), param, hasParam, 0, nil
}

func rtfHex(br *bufio.Reader) (byte, error) {
	var b byte
	for i := 0; i < 2; i++ {
		c, err := br.ReadByte()
		if err != nil {
			return 0, errRTF
		}
		switch {
		case c >= '0' && c <= '9':
			b = b<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			b = b<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			b = b<<4 | (c - 'A' + 10)
		default:
			return 0, errRTF
		}
	}
	return b, nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
