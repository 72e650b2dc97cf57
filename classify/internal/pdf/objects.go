package pdf

// The object index. The cross-reference table is not trusted: mail
// attachments are often damaged, and an incremental update (PDF §7.5.6)
// only appends. Every "N G obj" in the file is parsed in file order, so a
// later definition replaces an earlier one, which is what the newest
// cross-reference section would say; objects inside object streams
// (PDF §7.5.7) count as written where their stream is.

import (
	"bytes"
	"sort"
	"strconv"
)

// stream is a stream object: its dictionary and raw (still encoded) bytes.
type stream struct {
	dict dict
	raw  []byte
	num  int // object number, 0 if unknown
}

// located is an object and the file offset its definition counts from.
type located struct {
	off int
	val any
}

const (
	maxObjects  = 1 << 20 // objects indexed
	maxObjStms  = 1 << 14 // object streams expanded
	maxResolves = 32      // reference chains followed
	maxTrailers = 4096    // trailer dictionaries read (one per update)
)

// index parses every indirect object in the file, then the objects held
// in object streams, and collects the trailer dictionaries.
func (x *extractor) index() error {
	x.objs = map[int]located{}
	x.bodyAt = map[int]int{}
	for _, o := range findObjects(x.data) {
		if len(x.offsets) >= maxObjects {
			return ErrLimit
		}
		x.offsets = append(x.offsets, o)
		x.bodyAt[o.num] = o.body
	}
	// Parse in order; /Length may refer to a later object, hence bodyAt
	// above. An "obj" inside a stream already read (an uncompressed
	// embedded PDF, say) belongs to that stream, not to this file.
	kept := x.offsets[:0]
	end := 0
	for _, o := range x.offsets {
		if o.start < end {
			continue
		}
		kept = append(kept, o)
		p := parser{b: x.data, i: o.body}
		v, _ := p.value(0)
		if d, ok := v.(dict); ok {
			if s, next := x.streamAfter(d, p.i, o.num); s != nil {
				v = s
				end = next
				x.streams = append(x.streams, s)
			}
		}
		x.objs[o.num] = located{o.start, v}
	}
	x.offsets = kept
	x.trailers()
	return x.objectStreams()
}

// findObjects finds every "N G obj" (PDF §7.3.10) by looking for the
// keyword and reading the two numbers before it.
func findObjects(b []byte) []objAt {
	var out []objAt
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("obj"))
		if j < 0 {
			return out
		}
		k := i + j
		i = k + 3
		if i < len(b) && !isSpace(b[i]) && !isDelim(b[i]) {
			continue
		}
		gen, p := digitsBefore(b, skipSpaceBefore(b, k))
		if gen < 0 {
			continue
		}
		num, start := digitsBefore(b, skipSpaceBefore(b, p))
		if num <= 0 || num >= maxObjects {
			continue
		}
		out = append(out, objAt{num, start, i})
	}
}

func skipSpaceBefore(b []byte, p int) int {
	for p > 0 && isSpace(b[p-1]) {
		p--
	}
	return p
}

// digitsBefore reads the decimal number ending at p; -1 if none.
func digitsBefore(b []byte, p int) (int, int) {
	start := p
	for start > 0 && start > p-8 && b[start-1] >= '0' && b[start-1] <= '9' {
		start--
	}
	if start == p || (start > 0 && b[start-1] >= '0' && b[start-1] <= '9') {
		return -1, p
	}
	n, _ := strconv.Atoi(string(b[start:p]))
	return n, start
}

// objAt is where one "N G obj" was found.
type objAt struct {
	num, start, body int
}

// streamAfter returns the stream whose dictionary d ends at i and the
// offset after its data, or nil when no "stream" keyword follows.
func (x *extractor) streamAfter(d dict, i, num int) (*stream, int) {
	p := parser{b: x.data, i: i}
	p.skipSpace()
	if !bytes.HasPrefix(x.data[p.i:], []byte("stream")) {
		return nil, 0
	}
	body, next := x.streamBody(d, p.i+len("stream"))
	return &stream{dict: d, raw: body, num: num}, next
}

// streamBody returns the raw bytes of a stream whose keyword ends at pos,
// and the offset after them. PDF §7.3.8.1: "stream" is followed by CRLF
// or LF; /Length is trusted only when "endstream" follows it.
func (x *extractor) streamBody(d dict, pos int) ([]byte, int) {
	b := x.data
	if pos < len(b) && b[pos] == '\r' {
		pos++
	}
	if pos < len(b) && b[pos] == '\n' {
		pos++
	}
	if n, ok := x.length(d); ok && n >= 0 && pos+n <= len(b) {
		end := pos + n
		rest := bytes.TrimLeft(b[end:min(len(b), end+32)], " \r\n\t\f\x00")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return b[pos:end], end
		}
	}
	i := bytes.Index(b[pos:], []byte("endstream"))
	if i < 0 {
		return b[pos:], len(b)
	}
	end := pos + i
	body := bytes.TrimSuffix(b[pos:end], []byte("\n"))
	body = bytes.TrimSuffix(body, []byte("\r"))
	return body, end
}

// length reads /Length, following an indirect reference to a number
// written anywhere in the file (it may not be parsed yet).
func (x *extractor) length(d dict) (int, bool) {
	switch v := d["Length"].(type) {
	case float64:
		return int(v), true
	case ref:
		if at, ok := x.bodyAt[v.num]; ok {
			p := parser{b: x.data, i: at}
			f, _ := p.value(0)
			n, isNum := f.(float64)
			return int(n), isNum
		}
	}
	return 0, false
}

// trailers collects the trailer dictionaries (after "trailer", and the
// dictionaries of cross-reference streams), oldest first.
func (x *extractor) trailers() {
	type at struct {
		off int
		d   dict
	}
	var all []at
	for i := 0; len(all) < maxTrailers; {
		j := bytes.Index(x.data[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		p := parser{b: x.data, i: i + j + len("trailer")}
		if v, _ := p.value(0); v != nil {
			if d, ok := v.(dict); ok {
				all = append(all, at{i + j, d})
			}
		}
		i += j + len("trailer")
	}
	for _, o := range x.offsets {
		if s, ok := x.objs[o.num].val.(*stream); ok && s.dict["Type"] == name("XRef") {
			all = append(all, at{o.start, s.dict})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].off < all[j].off })
	for _, a := range all {
		x.trailer = append(x.trailer, a.d)
	}
}

// objectStreams expands every object stream (PDF §7.5.7). Its objects
// replace earlier definitions and are replaced by later ones.
func (x *extractor) objectStreams() error {
	n := 0
	for _, o := range x.offsets {
		loc := x.objs[o.num]
		s, ok := loc.val.(*stream)
		if !ok || loc.off != o.start || s.dict["Type"] != name("ObjStm") {
			continue
		}
		if n++; n > maxObjStms {
			return ErrLimit
		}
		dec, err := x.decode(s)
		if err == ErrLimit {
			return err
		}
		if err != nil {
			continue
		}
		x.expand(s, dec, o.start)
	}
	return nil
}

// expand adds the objects of one decoded object stream found at off.
func (x *extractor) expand(s *stream, dec []byte, off int) {
	count, _ := s.dict["N"].(float64)
	first, _ := s.dict["First"].(float64)
	if count < 0 || first < 0 || int(first) > len(dec) || count > maxItems {
		return
	}
	hdr := parser{b: dec[:int(first)]}
	for range int(count) {
		nv, ok1 := hdr.value(0)
		ov, ok2 := hdr.value(0)
		num, isNum := nv.(float64)
		rel, isRel := ov.(float64)
		if !ok1 || !ok2 || !isNum || !isRel || num <= 0 || num >= maxObjects {
			return
		}
		at := int(first) + int(rel)
		if at < 0 || at >= len(dec) {
			continue
		}
		if old, ok := x.objs[int(num)]; ok && old.off > off {
			continue
		}
		p := parser{b: dec, i: at}
		v, _ := p.value(0)
		x.objs[int(num)] = located{off, v}
	}
}

// resolve follows references to the object they name.
func (x *extractor) resolve(v any) any {
	for range maxResolves {
		r, ok := v.(ref)
		if !ok {
			return v
		}
		v = x.objs[r.num].val
	}
	return nil
}

// dictOf resolves v to a dictionary, also a stream's dictionary.
func (x *extractor) dictOf(v any) dict {
	switch v := x.resolve(v).(type) {
	case dict:
		return v
	case *stream:
		return v.dict
	}
	return nil
}

// arrayOf resolves v to an array; a single value is a one-item array.
func (x *extractor) arrayOf(v any) []any {
	switch v := x.resolve(v).(type) {
	case []any:
		return v
	case nil:
		return nil
	default:
		return []any{v}
	}
}

// streamOf resolves v to a stream, or nil.
func (x *extractor) streamOf(v any) *stream {
	s, _ := x.resolve(v).(*stream)
	return s
}
