package office

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Spreadsheet number format codes (ECMA-376 part 1, 18.8.31; the same
// language Calc shows in its format dialog). A number typed into a cell is
// stored as a number and shown through the cell's format: 101901234 with
// format 000000-0000 is what the reader sees as 010190-1234. The subset
// here is what changes the digits a reader sees: digit placeholders (0 # ?)
// with literals between them, grouping and scaling commas, decimals,
// percent, dates and times; scientific and fraction formats fall back to
// the General form.

// numFmt is a parsed format code; nil is General.
type numFmt struct {
	sections []section
}

type tokKind uint8

const (
	tokLit tokKind = iota
	tokDigit
	tokPoint
	tokDate
	tokAMPM
	tokGeneral
	tokText
)

type tok struct {
	kind tokKind
	s    string // literal text, date code ("yyyy", "mm", "[h]"), or placeholder
}

type section struct {
	toks     []tok
	date     bool
	general  bool
	grouping bool
	other    bool // scientific or fraction: shown as General
	percent  int
	scale    int // trailing commas: thousands
	ampm     bool
}

// maxFormat bounds a format code; a longer one is General.
const maxFormat = 255

// parseNumFmt parses a format code. It never fails: what it does not know
// is literal text.
func parseNumFmt(code string) *numFmt {
	if code == "" || len(code) > maxFormat || strings.EqualFold(code, "General") {
		return nil
	}
	f := &numFmt{}
	sec := section{}
	afterPoint := false
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == ';':
			f.sections = append(f.sections, sec.finish())
			sec, afterPoint = section{}, false
			i++
		case c == '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				j = len(code) - i - 1
			}
			sec.lit(code[i+1 : i+1+j])
			i += j + 2
		case c == '\\' || c == '_' || c == '*':
			next := code[i+1:]
			_, n := utf8.DecodeRuneInString(next)
			if c == '\\' {
				sec.lit(next[:n])
			} else if c == '_' {
				sec.lit(" ")
			}
			i += 1 + n
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				j = len(code) - i
			}
			sec.bracket(code[i+1 : i+j])
			i += j + 1
		case c == '0' || c == '#' || c == '?':
			sec.toks = append(sec.toks, tok{kind: tokDigit, s: code[i : i+1]})
			i++
		case c == '.' && !afterPoint && !sec.date:
			afterPoint = true
			sec.toks = append(sec.toks, tok{kind: tokPoint})
			i++
		case c == ',':
			if i+1 < len(code) && strings.IndexByte("0#?", code[i+1]) >= 0 && !afterPoint {
				sec.grouping = true
			} else if !sec.date {
				sec.scale++
			} else {
				sec.lit(",")
			}
			i++
		case c == '%':
			sec.percent++
			sec.lit("%")
			i++
		case (c == 'E' || c == 'e') && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-'):
			sec.other = true
			i += 2
		case c == '/' && len(sec.toks) > 0 && sec.toks[len(sec.toks)-1].kind == tokDigit:
			sec.other = true
			i++
		case c == '@':
			sec.toks = append(sec.toks, tok{kind: tokText})
			i++
		case hasPrefixFold(code[i:], "General"):
			sec.general = true
			sec.toks = append(sec.toks, tok{kind: tokGeneral})
			i += len("General")
		case hasPrefixFold(code[i:], "AM/PM"), hasPrefixFold(code[i:], "A/P"):
			n := 5
			if hasPrefixFold(code[i:], "A/P") {
				n = 3
			}
			sec.ampm, sec.date = true, true
			sec.toks = append(sec.toks, tok{kind: tokAMPM, s: code[i : i+n]})
			i += n
		case strings.IndexByte("yYmMdDhHsS", c) >= 0:
			j := i
			for j < len(code) && (code[j]|0x20) == (c|0x20) {
				j++
			}
			sec.date = true
			sec.toks = append(sec.toks, tok{kind: tokDate, s: strings.ToLower(code[i:j])})
			i = j
		default:
			_, n := utf8.DecodeRuneInString(code[i:])
			sec.lit(code[i : i+n])
			i += n
		}
	}
	f.sections = append(f.sections, sec.finish())
	return f
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

func (s *section) lit(t string) {
	if n := len(s.toks); n > 0 && s.toks[n-1].kind == tokLit {
		s.toks[n-1].s += t
		return
	}
	s.toks = append(s.toks, tok{kind: tokLit, s: t})
}

// bracket reads [..]: elapsed time ([h], [mm]), a currency and locale
// ([$kr-406]: "kr" is shown); colours and conditions show nothing.
func (s *section) bracket(b string) {
	lb := strings.ToLower(b)
	switch {
	case lb != "" && strings.Trim(lb, "hms") == "":
		s.date = true
		s.toks = append(s.toks, tok{kind: tokDate, s: "[" + lb[:1] + "]"})
	case strings.HasPrefix(b, "$"):
		sym, _, _ := strings.Cut(b[1:], "-")
		s.lit(sym)
	}
}

// finish settles what the placeholders mean once the section is read: a
// date section's 0s are fractions of a second and its '.' literal.
func (s section) finish() section {
	if s.date {
		for i, t := range s.toks {
			if t.kind == tokDigit || t.kind == tokPoint {
				s.toks[i] = tok{kind: tokLit, s: map[bool]string{true: ".", false: "0"}[t.kind == tokPoint]}
			}
		}
	}
	return s
}

// show formats v as the format shows it.
func (f *numFmt) show(v float64, date1904 bool) string {
	if f == nil {
		return general(v)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return general(v)
	}
	sec, neg := f.pick(v)
	switch {
	case sec.date:
		t, ok := serialTime(v, date1904)
		if !ok {
			return general(v)
		}
		return sec.showDate(t, v)
	case sec.other:
		return general(v)
	}
	s := sec.showNumber(math.Abs(v))
	if neg {
		s = "-" + s
	}
	return s
}

// pick chooses the section for v (positive; negative; zero; text) and
// whether a minus sign is to be written: a negative section shows its own.
func (f *numFmt) pick(v float64) (section, bool) {
	n := len(f.sections)
	if n == 4 || (n > 1 && isTextSection(f.sections[n-1])) {
		n--
	}
	switch {
	case v < 0 && n >= 2:
		return f.sections[1], false
	case v == 0 && n >= 3:
		return f.sections[2], false
	}
	return f.sections[0], v < 0
}

func isTextSection(s section) bool {
	for _, t := range s.toks {
		if t.kind == tokText {
			return true
		}
	}
	return false
}

// general is the General format: the number's shortest form, as a cell
// shows it (up to 11 characters, then scientific).
func general(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e11 {
		return strconv.FormatInt(int64(v), 10)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) <= 11 {
		return s
	}
	return strconv.FormatFloat(v, 'G', 10, 64)
}

// showNumber writes the digits of v >= 0 through the placeholders, with
// the literals where they stand.
func (s section) showNumber(v float64) string {
	for i := 0; i < s.percent; i++ {
		v *= 100
	}
	for i := 0; i < s.scale; i++ {
		v /= 1000
	}
	var intPH, fracPH []byte
	point := -1
	for i, t := range s.toks {
		switch {
		case t.kind == tokPoint:
			point = i
		case t.kind == tokDigit && point < 0:
			intPH = append(intPH, t.s[0])
		case t.kind == tokDigit:
			fracPH = append(fracPH, t.s[0])
		}
	}
	if v >= 1e15 {
		return general(v) // past float64's exact integers
	}
	digits := strconv.FormatFloat(v, 'f', len(fracPH), 64)
	intDigits, fracDigits, _ := strings.Cut(digits, ".")
	if intDigits == "0" && strings.IndexByte(string(intPH), '0') < 0 {
		intDigits = ""
	}
	ints := fillInt(intPH, intDigits, s.grouping)
	fracs := fillFrac(fracPH, fracDigits)
	if len(intPH)+len(fracPH) == 0 && isTextSection(s) {
		return general(v) // '@' shows a number as General
	}
	var b strings.Builder
	ii, fi := 0, 0
	for _, t := range s.toks {
		switch t.kind {
		case tokLit:
			b.WriteString(t.s)
		case tokGeneral:
			b.WriteString(general(v))
		case tokPoint:
			b.WriteByte('.')
		case tokDigit:
			if fi < len(fracs) && ii >= len(ints) {
				b.WriteString(fracs[fi])
				fi++
				continue
			}
			if ii < len(ints) {
				b.WriteString(ints[ii])
				ii++
			}
		}
	}
	return b.String()
}

// fillInt gives each integer placeholder, left to right, what it shows;
// the first takes any digits the others have no room for.
func fillInt(ph []byte, digits string, grouping bool) []string {
	out := make([]string, len(ph))
	if len(ph) == 0 {
		return out
	}
	if grouping {
		// Grouped: all digits, zero-padded to the 0 placeholders, at
		// the first placeholder.
		zeros := strings.Count(string(ph), "0")
		for len(digits) < zeros {
			digits = "0" + digits
		}
		out[0] = group(digits)
		return out
	}
	d := len(digits)
	for i := len(ph) - 1; i >= 0; i-- {
		if d > 0 {
			d--
			out[i] = digits[d : d+1]
			continue
		}
		switch ph[i] {
		case '0':
			out[i] = "0"
		case '?':
			out[i] = " "
		}
	}
	out[0] = digits[:d] + out[0]
	return out
}

// group writes thousands separators into a run of digits.
func group(d string) string {
	if len(d) <= 3 {
		return d
	}
	var b strings.Builder
	for i := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

// fillFrac gives each decimal placeholder what it shows: trailing zeros
// are dropped where the placeholder is # or ?.
func fillFrac(ph []byte, digits string) []string {
	out := make([]string, len(ph))
	last := len(ph) - 1
	for i := range ph {
		if i < len(digits) {
			out[i] = digits[i : i+1]
		}
	}
	for i := last; i >= 0 && out[i] == "0" && ph[i] != '0'; i-- {
		if ph[i] == '?' {
			out[i] = " "
		} else {
			out[i] = ""
		}
	}
	return out
}

// builtinFormats are the format ids ECMA-376 part 1, 18.8.30 defines
// without writing them into styles.xml. 14 to 17 and 22 follow the
// regional settings; these are Danish Excel's.
var builtinFormats = map[int]string{
	1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
	12: "# ?/?", 13: "# ??/??", 14: "dd-mm-yyyy", 15: "dd-mmm-yy", 16: "dd-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "dd-mm-yyyy hh:mm",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
	40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
