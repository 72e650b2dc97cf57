package pdf

// Text outside page content streams: the document information dictionary
// and XMP metadata (PDF §14.3), bookmarks (§12.3.3), interactive form
// fields (§12.7) and annotations (§12.5) with their appearance streams,
// and embedded files (§7.11.4).

import (
	"bytes"
	"html"
)

const (
	maxTreeDepth = 64      // page tree, field tree and outline nesting
	maxNodes     = 1 << 17 // pages, fields, annotations or bookmarks
)

// emitString writes one text string on a line of its own.
func (x *extractor) emitString(v any) error {
	s, ok := x.resolve(v).(str)
	if !ok || len(s) == 0 {
		return nil
	}
	line := textString(make([]byte, 0, len(s)+2), s)
	return x.emit(append(line, '\n'))
}

// emitStrings writes the string values of d under keys, and the strings
// in array values (a choice field's /V and /Opt).
func (x *extractor) emitStrings(d dict, keys ...name) error {
	for _, k := range keys {
		v := x.resolve(d[k])
		if arr, ok := v.([]any); ok {
			for _, e := range arr {
				if sub, isArr := x.resolve(e).([]any); isArr {
					for _, s := range sub {
						if err := x.emitString(s); err != nil {
							return err
						}
					}
					continue
				}
				if err := x.emitString(e); err != nil {
					return err
				}
			}
			continue
		}
		if err := x.emitString(v); err != nil {
			return err
		}
	}
	return nil
}

// info writes every string of every document information dictionary,
// also those of earlier revisions (PDF §14.3.3; custom keys included).
func (x *extractor) info() error {
	for _, t := range x.trailer {
		d := x.dictOf(t["Info"])
		if !x.once(d) {
			continue
		}
		for _, v := range d {
			if err := x.emitString(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// outlines writes the titles of the bookmark tree, iteratively through
// the /First and /Next links, each item once.
func (x *extractor) outlines(root dict) error {
	type item struct {
		v     any
		depth int
	}
	todo := []item{{root["First"], 0}}
	for n := 0; len(todo) > 0 && n < maxNodes; n++ {
		it := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		d := x.dictOf(it.v)
		if !x.once(d) {
			continue
		}
		if err := x.emitString(d["Title"]); err != nil {
			return err
		}
		if d["Next"] != nil {
			todo = append(todo, item{d["Next"], it.depth})
		}
		if d["First"] != nil && it.depth < maxTreeDepth {
			todo = append(todo, item{d["First"], it.depth + 1})
		}
	}
	return nil
}

// fields writes the interactive form (PDF §12.7.3): names, tooltips and
// values of every field, and runs the fields' appearance streams. An XFA
// form's XML is read as text.
func (x *extractor) fields(form dict) error {
	res := x.dictOf(form["DR"])
	for _, f := range x.arrayOf(form["Fields"]) {
		if err := x.field(f, res, 0); err != nil {
			return err
		}
	}
	for _, v := range x.arrayOf(form["XFA"]) {
		if s := x.streamOf(v); s != nil {
			if err := x.xmlStream(s); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *extractor) field(v any, res dict, depth int) error {
	d := x.dictOf(v)
	if depth > maxTreeDepth || !x.once(d) {
		return nil
	}
	if err := x.emitStrings(d, "T", "TU", "TM", "V", "DV", "Opt"); err != nil {
		return err
	}
	if err := x.appearance(d, res); err != nil {
		return err
	}
	for _, k := range x.arrayOf(d["Kids"]) {
		if err := x.field(k, res, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// annotations writes the text of a page's annotations: contents, author,
// subject, rich text, a widget's field entries, and appearance streams.
func (x *extractor) annotations(page dict, res dict) error {
	for _, a := range x.arrayOf(page["Annots"]) {
		d := x.dictOf(a)
		if !x.once(d) {
			continue
		}
		if err := x.emitStrings(d, "Contents", "T", "Subj", "TU", "TM", "V", "DV", "Opt"); err != nil {
			return err
		}
		if rc, ok := x.resolve(d["RC"]).(str); ok {
			if err := x.xmlText(textString(nil, rc)); err != nil {
				return err
			}
		}
		if err := x.appearance(d, x.formResources(res)); err != nil {
			return err
		}
		if err := x.fileSpec(d["FS"]); err != nil {
			return err
		}
	}
	return nil
}

// formResources is what an appearance stream without its own resources
// uses: the form's default resources, else the page's.
func (x *extractor) formResources(page dict) dict {
	if dr := x.dictOf(x.dictOf(x.catalog["AcroForm"])["DR"]); dr != nil {
		return dr
	}
	return page
}

// appearance runs the appearance streams of an annotation or widget
// (PDF §12.5.5): each of /N, /R, /D is a stream or a dictionary of
// streams by state.
func (x *extractor) appearance(d dict, res dict) error {
	ap := x.dictOf(d["AP"])
	for _, k := range []name{"N", "R", "D"} {
		v := x.resolve(ap[k])
		var streams []*stream
		switch v := v.(type) {
		case *stream:
			streams = append(streams, v)
		case dict:
			for _, s := range v {
				if st := x.streamOf(s); st != nil {
					streams = append(streams, st)
				}
			}
		}
		for _, s := range streams {
			r := x.dictOf(s.dict["Resources"])
			if r == nil {
				r = res
			}
			if err := x.runForm(s, r, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// xmlStream reads an XML stream (XMP metadata, an XFA form) as text.
func (x *extractor) xmlStream(s *stream) error {
	if x.visited[s] {
		return nil
	}
	x.visited[s] = true
	dec, err := x.decode(s)
	if err != nil {
		return x.streamError(err)
	}
	return x.xmlText(dec)
}

// xmlText writes the character data and attribute values of XML (XMP
// writes properties as either), entities decoded.
func (x *extractor) xmlText(b []byte) error {
	var out []byte
	for len(b) > 0 {
		lt := bytes.IndexByte(b, '<')
		if lt < 0 {
			lt = len(b)
		}
		out = append(out, html.UnescapeString(string(b[:lt]))...)
		b = b[lt:]
		gt := bytes.IndexByte(b, '>')
		if gt < 0 {
			gt = len(b) - 1
		}
		if gt < 0 {
			break
		}
		out = attrValues(out, b[:gt])
		out = append(out, '\n')
		b = b[gt+1:]
	}
	return x.emit(out)
}

// attrValues appends the quoted values inside one tag.
func attrValues(dst, tag []byte) []byte {
	for {
		i := bytes.IndexAny(tag, `"'`)
		if i < 0 {
			return dst
		}
		q := tag[i]
		j := bytes.IndexByte(tag[i+1:], q)
		if j < 0 {
			return dst
		}
		dst = append(dst, html.UnescapeString(string(tag[i+1:i+1+j]))...)
		dst = append(dst, '\n')
		tag = tag[i+j+2:]
	}
}

// embeddedFiles walks the /EmbeddedFiles name tree (PDF §7.7.4, §7.9.6).
func (x *extractor) embeddedFiles(tree any) error {
	todo := []any{tree}
	for n := 0; len(todo) > 0 && n < maxNodes; n++ {
		d := x.dictOf(todo[len(todo)-1])
		todo = todo[:len(todo)-1]
		names := x.arrayOf(d["Names"])
		for i := 1; i < len(names); i += 2 {
			if err := x.fileSpec(names[i]); err != nil {
				return err
			}
		}
		todo = append(todo, x.arrayOf(d["Kids"])...)
	}
	return nil
}

// fileSpec hands the embedded file of a file specification to the
// caller.
func (x *extractor) fileSpec(v any) error {
	fs := x.dictOf(v)
	ef := x.dictOf(fs["EF"])
	for _, k := range []name{"UF", "F"} {
		s := x.streamOf(ef[k])
		if s == nil || x.visited[s] {
			continue
		}
		n := ""
		for _, nk := range []name{"UF", "F"} {
			if t, ok := x.resolve(fs[nk]).(str); ok && n == "" {
				n = string(textString(nil, t))
			}
		}
		if err := x.embedded(s, n); err != nil {
			return err
		}
	}
	return nil
}

// embedded hands each embedded file stream (PDF §7.11.4) to the caller,
// named by the file specification that points at it.
func (x *extractor) embedded(s *stream, fname string) error {
	x.visited[s] = true
	dec, err := x.decode(s)
	if err != nil {
		return x.streamError(err)
	}
	x.files++
	if x.file == nil {
		return nil
	}
	if fname == "" {
		fname = x.fileNames[s.num]
	}
	x.file(fname, dec)
	return nil
}

// nameFiles maps embedded file streams to the names their file
// specifications give (/UF, else /F).
func (x *extractor) nameFiles() {
	x.fileNames = map[int]string{}
	for _, loc := range x.objs {
		d, ok := loc.val.(dict)
		if !ok || d["EF"] == nil {
			continue
		}
		ef := x.dictOf(d["EF"])
		for _, k := range []name{"UF", "F"} {
			r, isRef := ef[k].(ref)
			if !isRef {
				continue
			}
			for _, nk := range []name{"UF", "F"} {
				if s, ok := x.resolve(d[nk]).(str); ok && x.fileNames[r.num] == "" {
					x.fileNames[r.num] = string(textString(nil, s))
				}
			}
		}
	}
}
