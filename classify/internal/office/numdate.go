package office

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Dates and times in spreadsheet number formats: a cell holds a day count
// (the serial) and its format's y, m, d, h and s letters show it.

// serialTime turns a date serial into a time: days since 1899-12-30 (the
// 1900 system, counting Excel's phantom 29 February 1900) or since
// 1904-01-01.
func serialTime(v float64, date1904 bool) (time.Time, bool) {
	if v < 0 || v > 2958465 { // 9999-12-31
		return time.Time{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case v < 61:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), true
}

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// showDate writes t through a date and time section.
func (s section) showDate(t time.Time, v float64) string {
	var b strings.Builder
	for i, tk := range s.toks {
		switch tk.kind {
		case tokLit:
			b.WriteString(tk.s)
		case tokAMPM:
			am := t.Hour() < 12
			switch {
			case strings.EqualFold(tk.s, "A/P") && am:
				b.WriteString("A")
			case strings.EqualFold(tk.s, "A/P"):
				b.WriteString("P")
			case am:
				b.WriteString("AM")
			default:
				b.WriteString("PM")
			}
		case tokDate:
			b.WriteString(s.dateField(tk.s, i, t, v))
		}
	}
	return b.String()
}

// dateField writes one run of date letters; m is minutes after an hour or
// before seconds, else the month.
func (s section) dateField(code string, i int, t time.Time, v float64) string {
	two := func(n int) string {
		if len(code) >= 2 {
			return pad2(n)
		}
		return strconv.Itoa(n)
	}
	switch code[0] {
	case 'y':
		if len(code) <= 2 {
			return pad2(t.Year() % 100)
		}
		return strconv.Itoa(t.Year())
	case 'd':
		switch {
		case len(code) == 3:
			return t.Weekday().String()[:3]
		case len(code) >= 4:
			return t.Weekday().String()
		}
		return two(t.Day())
	case 'h':
		h := t.Hour()
		if s.ampm {
			h = (h+11)%12 + 1
		}
		return two(h)
	case 's':
		return two(t.Second())
	case '[':
		return strconv.Itoa(int(v * map[byte]float64{'h': 24, 'm': 1440, 's': 86400}[code[1]]))
	}
	// m: minutes or month
	if s.minutes(i) {
		return two(t.Minute())
	}
	switch len(code) {
	case 1, 2:
		return two(int(t.Month()))
	case 3:
		return monthNames[t.Month()-1][:3]
	case 5:
		return monthNames[t.Month()-1][:1]
	}
	return monthNames[t.Month()-1]
}

// minutes says whether the m run at toks[i] is minutes.
func (s section) minutes(i int) bool {
	for j := i - 1; j >= 0; j-- {
		if t := s.toks[j]; t.kind == tokDate {
			return t.s[0] == 'h' || t.s == "[h]"
		}
	}
	for _, t := range s.toks[i+1:] {
		if t.kind == tokDate {
			return t.s[0] == 's'
		}
	}
	return false
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
