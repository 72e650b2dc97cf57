package classify

import (
	"sort"
	"strconv"
	"strings"
)

// Kind is what sort of reason a reason code gives: the part of its wire
// form before the colon.
type Kind uint8

// The kinds of reason. KindCPR and KindTerm are findings; the others say
// that something could not be read (or was not), which refuses an opt-out
// as surely as a finding.
const (
	KindNone          Kind = iota
	KindCPR                // cpr:N
	KindTerm               // term:CATEGORY
	KindUninspectable      // uninspectable:WHAT
	KindLimit              // limit:WHAT
	KindError              // error:WHAT
	KindSubject            // subject:WHAT
	KindNote               // a remark on a granted opt-out (content-encrypted)
)

var kindNames = [...]string{"", "cpr", "term", "uninspectable", "limit", "error", "subject", ""}

// String is the kind's wire prefix ("uninspectable").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// Reason is one entry of the table of reason codes. The decision, the
// audit record, the log line and the metrics all read it; its wire form
// (String) is what logs and tests have always shown.
type Reason uint8

// The reason codes. FoundCPR and FoundTerm carry a count or a category in a
// Code; every other reason is complete in itself.
const (
	ReasonNone Reason = iota
	FoundCPR
	FoundTerm

	SubjectMultiple
	SubjectUndecodable

	UninspectableAttachment
	UninspectableImage
	UninspectableTNEF
	UninspectableOLE
	UninspectableZip
	UninspectableEncryptedZip
	UninspectableOffice
	UninspectableRTF
	UninspectableCalendar
	UninspectableUUEncode
	UninspectablePDF
	UninspectableEncryptedPDF
	UninspectablePDFNoText
	UninspectablePDFFont
	UninspectableEncryptedMIME
	UninspectableEncryptedLabel
	UninspectableContentEncrypted
	UninspectableParse
	UninspectableEncoding
	UninspectableCharset
	UninspectableHeaderCharset

	LimitDepth
	LimitParts
	LimitHeader
	LimitSize
	LimitTimeout
	LimitAttachmentSize
	LimitZipRatio
	LimitZipSize
	LimitZipEntries
	LimitRTFDepth
	LimitXMLDepth
	LimitHTMLToken

	ErrorInternal
	ErrorSpool
	ErrorNotScanned
	ErrorNoQueueID

	ContentEncrypted

	numReasons
)

// reasonTable is the one table of reason codes: kind and wire form.
var reasonTable = [numReasons]struct {
	kind Kind
	code string
}{
	FoundCPR:  {KindCPR, "cpr"},
	FoundTerm: {KindTerm, "term"},

	SubjectMultiple:               {KindSubject, "subject:multiple"},               // several Subject fields
	SubjectUndecodable:            {KindSubject, "subject:undecodable"},            // a Subject that does not decode
	UninspectableAttachment:       {KindUninspectable, "uninspectable:attachment"}, // unknown binary
	UninspectableImage:            {KindUninspectable, "uninspectable:image"},      // may be a scanned document
	UninspectableTNEF:             {KindUninspectable, "uninspectable:tnef"},       // application/ms-tnef, winmail.dat
	UninspectableOLE:              {KindUninspectable, "uninspectable:ole"},        // legacy Office or encrypted OOXML
	UninspectableZip:              {KindUninspectable, "uninspectable:zip"},        // corrupt zip archive
	UninspectableEncryptedZip:     {KindUninspectable, "uninspectable:encrypted-zip"},
	UninspectableOffice:           {KindUninspectable, "uninspectable:office"}, // OOXML/ODF that does not parse
	UninspectableRTF:              {KindUninspectable, "uninspectable:rtf"},
	UninspectableCalendar:         {KindUninspectable, "uninspectable:calendar"}, // iCalendar/vCard that does not parse
	UninspectableUUEncode:         {KindUninspectable, "uninspectable:uuencode"},
	UninspectablePDF:              {KindUninspectable, "uninspectable:pdf"},
	UninspectableEncryptedPDF:     {KindUninspectable, "uninspectable:encrypted-pdf"},
	UninspectablePDFNoText:        {KindUninspectable, "uninspectable:pdf-no-text"},     // a scan
	UninspectablePDFFont:          {KindUninspectable, "uninspectable:pdf-font"},        // glyph codes without a map
	UninspectableEncryptedMIME:    {KindUninspectable, "uninspectable:encrypted-mime"},  // S/MIME or PGP/MIME below the top
	UninspectableEncryptedLabel:   {KindUninspectable, "uninspectable:encrypted-label"}, // labelled encrypted, is not
	UninspectableContentEncrypted: {KindUninspectable, "uninspectable:content-encrypted"},
	UninspectableParse:            {KindUninspectable, "uninspectable:parse"},
	UninspectableEncoding:         {KindUninspectable, "uninspectable:encoding"},
	UninspectableCharset:          {KindUninspectable, "uninspectable:charset"},
	UninspectableHeaderCharset:    {KindUninspectable, "uninspectable:header-charset"},

	LimitDepth:          {KindLimit, "limit:depth"},
	LimitParts:          {KindLimit, "limit:parts"},
	LimitHeader:         {KindLimit, "limit:header"},
	LimitSize:           {KindLimit, "limit:size"},
	LimitTimeout:        {KindLimit, "limit:timeout"},
	LimitAttachmentSize: {KindLimit, "limit:attachment-size"},
	LimitZipRatio:       {KindLimit, "limit:zip-ratio"},
	LimitZipSize:        {KindLimit, "limit:zip-size"},
	LimitZipEntries:     {KindLimit, "limit:zip-entries"},
	LimitRTFDepth:       {KindLimit, "limit:rtf-depth"},
	LimitXMLDepth:       {KindLimit, "limit:xml-depth"},
	LimitHTMLToken:      {KindLimit, "limit:html-token"},

	ErrorInternal:   {KindError, "error:internal"},
	ErrorSpool:      {KindError, "error:spool"},
	ErrorNotScanned: {KindError, "error:not-scanned"},
	ErrorNoQueueID:  {KindError, "error:no-queue-id"}, // Sendmail envelope mode: no token without a queue ID

	ContentEncrypted: {KindNote, "content-encrypted"},
}

// String is the reason's wire form ("uninspectable:pdf-font"); for
// FoundCPR and FoundTerm only the kind, see Code.
func (r Reason) String() string {
	if r < numReasons {
		return reasonTable[r].code
	}
	return ""
}

// Kind is the reason's kind.
func (r Reason) Kind() Kind {
	if r < numReasons {
		return reasonTable[r].kind
	}
	return KindNone
}

// Code is a reason as the decision and the logs carry it: a Reason, with
// the number of CPR numbers (FoundCPR) or the term category (FoundTerm).
type Code struct {
	Reason   Reason
	Count    int    // FoundCPR
	Category string // FoundTerm
}

// Kind is the code's kind.
func (c Code) Kind() Kind { return c.Reason.Kind() }

// String is the wire form: "cpr:2", "term:health", "limit:depth".
func (c Code) String() string {
	switch c.Reason {
	case FoundCPR:
		return "cpr:" + strconv.Itoa(c.Count)
	case FoundTerm:
		return "term:" + c.Category
	}
	return c.Reason.String()
}

// Label is the wire form without a CPR count ("cpr"), for a metric label
// whose values must stay few.
func (c Code) Label() string {
	if c.Reason == FoundCPR {
		return c.Reason.String()
	}
	return c.String()
}

// Codes is a list of reason codes.
type Codes []Code

// Strings returns the wire forms, in order.
func (cs Codes) Strings() []string {
	if cs == nil {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

// Sort orders the codes by wire form, the order of the audit record.
func (cs Codes) Sort() {
	sort.Slice(cs, func(i, j int) bool { return cs[i].String() < cs[j].String() })
}

// Of makes codes of reasons that stand alone.
func Of(rs ...Reason) Codes {
	cs := make(Codes, len(rs))
	for i, r := range rs {
		cs[i] = Code{Reason: r}
	}
	return cs
}

// byCode finds a reason by its wire form.
var byCode = func() map[string]Reason {
	m := make(map[string]Reason, numReasons)
	for r := FoundTerm + 1; r < numReasons; r++ {
		m[reasonTable[r].code] = r
	}
	return m
}()

// ParseCode reads a reason code back from its wire form, as an audit
// record holds it. Only a record read back from a log needs it; within the
// daemon reasons travel as Codes.
func ParseCode(s string) (Code, bool) {
	if r, ok := byCode[s]; ok {
		return Code{Reason: r}, true
	}
	if n, ok := strings.CutPrefix(s, "cpr:"); ok {
		c, err := strconv.Atoi(n)
		return Code{Reason: FoundCPR, Count: c}, err == nil && c > 0
	}
	if cat, ok := strings.CutPrefix(s, "term:"); ok && cat != "" {
		return Code{Reason: FoundTerm, Category: cat}, true
	}
	return Code{}, false
}

// ParseCodes reads back the codes of an audit record; a code it does not
// know counts as content that could not be checked (error:internal), so
// nothing read back turns into less than was logged.
func ParseCodes(ss []string) Codes {
	cs := make(Codes, 0, len(ss))
	for _, s := range ss {
		c, ok := ParseCode(s)
		if !ok {
			c = Code{Reason: ErrorInternal}
		}
		cs = append(cs, c)
	}
	return cs
}

// IsReason reports whether s is a well-formed reason code.
func IsReason(s string) bool {
	_, ok := ParseCode(s)
	return ok
}
