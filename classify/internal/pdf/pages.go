package pdf

// The page tree (PDF §7.7.3) with inherited resources, and the pass over
// every stream nothing referred to.

import "bytes"

// walkPages runs every page of the page tree, and its annotations.
func (x *extractor) walkPages() error {
	if x.catalog == nil {
		return nil
	}
	return x.pageNode(x.catalog["Pages"], nil, 0)
}

func (x *extractor) pageNode(v any, res dict, depth int) error {
	d := x.dictOf(v)
	if depth > maxTreeDepth || !x.once(d) {
		return nil
	}
	if r := x.dictOf(d["Resources"]); r != nil {
		res = r // PDF §7.7.3.4: inherited unless the node has its own
	}
	if kids, ok := x.resolve(d["Kids"]).([]any); ok && d["Type"] != name("Page") {
		for _, k := range kids {
			if err := x.pageNode(k, res, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := x.pageContent(d, res); err != nil {
		return err
	}
	return x.annotations(d, res)
}

// pageContent runs a page's content: one stream or an array of streams
// that together form one content stream (PDF §7.7.3.3).
func (x *extractor) pageContent(d dict, res dict) error {
	var content []byte
	for _, c := range x.arrayOf(d["Contents"]) {
		s := x.streamOf(c)
		if s == nil || x.visited[s] {
			continue
		}
		x.visited[s] = true
		dec, err := x.decode(s)
		if err != nil {
			if err := x.streamError(err); err != nil {
				return err
			}
			continue
		}
		content = append(append(content, dec...), '\n')
	}
	x.pageText, x.pageImage = false, false
	if err := x.runContent(content, res, 0); err != nil {
		return err
	}
	if x.pageImage && !x.pageText {
		x.imagePages++
	}
	return nil
}

// orphans handles every stream not reached from the catalog, in file
// order, older revisions included: embedded files go to the caller,
// metadata is read as XML, and anything else that shows text is run as
// content, with its own resources or the fonts of the whole document.
func (x *extractor) orphans() error {
	x.nameFiles()
	for _, s := range x.streams {
		if x.visited[s] {
			continue
		}
		if err := x.orphan(s); err != nil {
			return err
		}
	}
	return nil
}

func (x *extractor) orphan(s *stream) error {
	d := s.dict
	switch {
	case d["Type"] == name("EmbeddedFile"):
		return x.embedded(s, "")
	case d["Type"] == name("Metadata"), d["Subtype"] == name("XML"):
		return x.xmlStream(s)
	case skippedStream(d):
		return nil
	}
	x.visited[s] = true
	dec, err := x.decode(s)
	if err != nil {
		return x.streamError(err)
	}
	if bytes.Contains(dec, []byte("begincmap")) || !showsText(dec) {
		return nil
	}
	res := x.dictOf(d["Resources"])
	return x.runContent(dec, res, 1)
}

// skippedStream: images, font programs, object and cross-reference
// streams hold no text of their own.
func skippedStream(d dict) bool {
	switch {
	case d["Subtype"] == name("Image"), d["Type"] == name("XRef"), d["Type"] == name("ObjStm"):
		return true
	case d["Length1"] != nil, d["Length2"] != nil, d["Length3"] != nil:
		return true
	}
	switch d["Subtype"] {
	case name("Type1C"), name("CIDFontType0C"), name("OpenType"):
		return true
	}
	return false
}

// showsText is a cheap test for a text-showing operator.
func showsText(b []byte) bool {
	return bytes.Contains(b, []byte("Tj")) || bytes.Contains(b, []byte("TJ")) ||
		bytes.Contains(b, []byte("'")) || bytes.Contains(b, []byte(`"`))
}

// fallbackFont finds a font by resource name anywhere in the document,
// for content whose own resources are unknown (an orphan stream).
func (x *extractor) fallbackFont(n name) (any, bool) {
	if x.fallback == nil {
		x.fallback = dict{}
		for _, o := range x.offsets {
			var d dict
			switch v := x.objs[o.num].val.(type) {
			case dict:
				d = v
			case *stream:
				d = v.dict
			}
			for k, f := range x.dictOf(x.dictOf(d["Resources"])["Font"]) {
				if _, ok := x.fallback[k]; !ok {
					x.fallback[k] = f
				}
			}
		}
	}
	f, ok := x.fallback[n]
	return f, ok
}
