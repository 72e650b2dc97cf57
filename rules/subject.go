package rules

import (
	"errors"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // charsets for RFC 2047 words

	"github.com/tlsgate/tlsgate/classify"
)

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// ErrUndecodable is returned for a Subject whose RFC 2047 words cannot be
// decoded; such a message gets no opt-out.
var ErrUndecodable = errors.New("subject cannot be decoded")

// StripTag looks for any of tags in a raw Subject value (as the MTA passed
// it: RFC 2047 encoded, possibly folded). The tag is matched
// case-insensitively after decoding, so "=?UTF-8?Q?=5Bunsec?=
// =?UTF-8?Q?ure=5D?=" is the tag (RFC 2047 §6.2 joins adjacent words).
//
// When a tag is found, out is the Subject without it: every occurrence of
// every tag removed, white space tidied, and the text encoded again (RFC 2047
// Q or B, UTF-8) if it needs it. When the value cannot be decoded, tags
// written plainly are still removed from the raw value, and err is
// ErrUndecodable.
func StripTag(raw string, tags []string) (out string, found bool, err error) {
	dec, derr := wordDecoder.DecodeHeader(raw)
	if derr != nil {
		out, found = removeTags(raw, tags)
		return tidy(out), found, ErrUndecodable
	}
	out, found = removeTags(dec, tags)
	if !found {
		return raw, false, nil
	}
	out = tidy(out)
	if needsEncoding(out) {
		out = mime.QEncoding.Encode("utf-8", out)
	}
	return out, true, nil
}

// removeTags removes every case-insensitive occurrence of each tag.
func removeTags(s string, tags []string) (string, bool) {
	found := false
	for _, tag := range tags {
		for {
			i := indexFold(s, tag)
			if i < 0 {
				break
			}
			found = true
			s = s[:i] + " " + s[i+len(tag):]
		}
	}
	return s, found
}

// indexFold is strings.Index ignoring case, for tags whose folded form has
// the same length (all ASCII tags).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// tidy collapses runs of white space (folding included) and trims.
func tidy(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// needsEncoding reports whether s has bytes a header may not carry raw, or
// text that would be read as an encoded word.
func needsEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] < ' ' {
			return true
		}
	}
	return strings.Contains(s, "=?")
}

// Subject is one Subject field of a message after StripTag.
type Subject struct {
	Stripped    string // the value without the tag
	Tagged      bool   // the tag was there
	Undecodable bool   // the value could not be decoded
}

// ParseSubject runs StripTag on one Subject field value.
func ParseSubject(raw string, tags []string) Subject {
	out, found, err := StripTag(raw, tags)
	return Subject{Stripped: out, Tagged: found, Undecodable: err != nil}
}

// SubjectInput is what a message's Subject fields say for Decide: whether
// an opt-out was asked for, and the problems that refuse it whatever the
// body says (several Subject fields: a receiver may show another one than
// was checked; one that cannot be decoded: the tag's meaning is unknown).
func SubjectInput(subjects []Subject) (tagged bool, problems []classify.Reason) {
	undecodable := false
	for _, s := range subjects {
		tagged = tagged || s.Tagged
		undecodable = undecodable || s.Undecodable
	}
	if len(subjects) > 1 {
		problems = append(problems, classify.SubjectMultiple)
	}
	if undecodable {
		problems = append(problems, classify.SubjectUndecodable)
	}
	return tagged, problems
}
