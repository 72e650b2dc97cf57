package office

import (
	"path"
	"strings"
)

// Role is what a member of a document is to a reader.
type Role uint8

// The roles.
const (
	// Skip: a part of the format that holds no text a person wrote or
	// sees (thumbnails, fonts, themes, printer and view settings, the
	// package's own bookkeeping), or a picture of the document (media).
	Skip Role = iota
	// Text: a part whose text Text reads.
	Text
	// File: a file of its own (an embedded workbook, an OLE object, a
	// macro project) or a member the format does not explain; the caller
	// inspects it as an attachment, so what it cannot read stays
	// uninspectable.
	File
)

// mode says which character data of an XML part is text.
type mode uint8

const (
	// modeOOXML: the character data of OOXML text elements (w:t, a:t,
	// the t and v of cells, deleted text, field codes, sheet headers),
	// the characters that elements stand for, and the attributes that
	// hold text (textAttrs).
	modeOOXML mode = iota
	// modeODF: all character data, joined across spans; elements that
	// stand for characters; attributes that hold text.
	modeODF
	// modeMarkup: all character data, every element boundary a
	// separator, and every attribute value: a part whose vocabulary is
	// not known to hold its text in particular places.
	modeMarkup
	// modeProps: all character data, element boundaries separate,
	// attributes that hold text (document properties, custom XML).
	modeProps
	// modeVML: Vector Markup Language drawings (behind comments and
	// legacy shapes), which Office writes as HTML rather than XML
	// (unclosed <br>, <![if ...]> sections): read with an HTML tokenizer,
	// all text and the alt and title attributes.
	modeVML
	// modeUTF16: a binary part that is a UTF-16LE string (ECMA-376 part
	// 1, 18.3.1.23, a worksheet's custom property data).
	modeUTF16
)

// Role says what member name is in a document of format d.Format.
func (d *Doc) Role(name string) Role {
	if strings.HasSuffix(name, "/") {
		return Skip
	}
	if d.Format == ODF {
		return odfRole(name)
	}
	return ooxmlRole(name)
}

// odfRole sorts the members of an OpenDocument package (ODF 1.3 part 2,
// and what LibreOffice writes beside it).
func odfRole(name string) Role {
	dir, file := path.Split(name)
	// An embedded object ("Object 1/"): a sub-document of its own,
	// with the same parts.
	if strings.HasPrefix(dir, "Object ") {
		_, inner, _ := strings.Cut(name, "/")
		return odfRole(inner)
	}
	switch {
	case name == "content.xml", name == "styles.xml", name == "meta.xml":
		return Text // styles.xml holds the headers and footers
	case name == "mimetype", name == "settings.xml", name == "manifest.rdf", name == "layout-cache",
		name == "META-INF/manifest.xml", name == "META-INF/documentsignatures.xml",
		name == "META-INF/macrosignatures.xml":
		return Skip
	case strings.HasPrefix(name, "Thumbnails/"), strings.HasPrefix(name, "Configurations2/"),
		strings.HasPrefix(name, "Pictures/"), strings.HasPrefix(name, "ObjectReplacements/"),
		strings.HasPrefix(name, "Media/"):
		return Skip
	case (strings.HasPrefix(name, "Basic/") || strings.HasPrefix(name, "Dialogs/")) && isXML(file):
		return Text // macros and dialogs, read as markup
	}
	return File
}

// ooxmlRole sorts the members of an Office Open XML package (ECMA-376
// part 1 and 2, and what Word, Excel, PowerPoint and LibreOffice write).
func ooxmlRole(name string) Role {
	lower := strings.ToLower(name)
	dir, file := path.Split(lower)
	switch {
	case lower == "[content_types].xml",
		strings.Contains(lower, "/media/"), strings.HasPrefix(lower, "media/"), strings.Contains(lower, "/fonts/"),
		strings.Contains(lower, "/theme/"), strings.Contains(lower, "/printersettings/"),
		strings.HasPrefix(file, "thumbnail."),
		file == "fonttable.xml", file == "websettings.xml", file == "calcchain.xml",
		file == "styles.xml" && dir == "xl/":
		return Skip
	case strings.Contains(lower, "/embeddings/"):
		return File
	case dir == "xl/" && strings.HasPrefix(file, "customproperty") && strings.HasSuffix(file, ".bin"):
		return Text // a worksheet's custom property: a UTF-16 string
	case isXML(file):
		return Text
	}
	return File // vbaProject.bin, ActiveX and custom property binaries, [trash]
}

// isXML says whether a member is XML by its name: .xml, relationships,
// and the VML drawings behind comments and legacy shapes.
func isXML(file string) bool {
	for _, ext := range []string{".xml", ".rels", ".vml", ".psmdcp"} {
		if strings.HasSuffix(file, ext) {
			return true
		}
	}
	return false
}

// modeOf says how the text of an XML member is read.
func (d *Doc) modeOf(name string) mode {
	if d.Format == ODF {
		_, file := path.Split(name)
		switch {
		case strings.HasPrefix(name, "Basic/") || strings.HasPrefix(name, "Dialogs/"):
			return modeMarkup
		case file == "meta.xml":
			return modeProps
		}
		return modeODF
	}
	lower := strings.ToLower(name)
	dir, file := path.Split(lower)
	switch {
	case strings.HasSuffix(file, ".vml"):
		return modeVML
	case strings.HasSuffix(file, ".bin"):
		return modeUTF16
	case dir == "docprops/", strings.HasPrefix(lower, "customxml/"), strings.HasSuffix(file, ".psmdcp"):
		return modeProps
	case known(d.Format, dir, file):
		return modeOOXML
	}
	return modeMarkup
}

// known says whether an XML member is one whose text lives in the OOXML
// text elements only (the rest of it being layout and numbers). Slide
// comments are not: the legacy form keeps its text in p:text (what
// LibreOffice writes), so they are read as markup, every text node.
func known(f Format, dir, file string) bool {
	switch {
	case strings.HasSuffix(file, ".rels"), dir == "word/", dir == "word/glossary/",
		dir == "xl/", dir == "xl/worksheets/", dir == "xl/chartsheets/", dir == "xl/drawings/",
		dir == "xl/threadedcomments/", dir == "xl/comments/", dir == "xl/persons/", dir == "xl/tables/",
		dir == "xl/pivotcache/", dir == "xl/pivottables/", dir == "xl/externallinks/",
		strings.HasPrefix(dir, "ppt/") && dir != "ppt/comments/", dir == "word/diagrams/", dir == "xl/diagrams/",
		dir == "word/charts/", dir == "xl/charts/":
		return true
	}
	return false
}
