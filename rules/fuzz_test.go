package rules

import (
	"strings"
	"testing"
)

// FuzzStripTag checks that StripTag never panics and that a Subject it
// found the tag in no longer carries it, decoded or not.
func FuzzStripTag(f *testing.F) {
	for _, s := range []string{"[unsecure] hej", "Re: =?UTF-8?Q?=5Bunsec?= =?UTF-8?Q?ure=5D?= x", "[UNSECURE][unsecure]", "=?utf-8?b?W3Vuc2VjdXJlXQ==?=", "=?bad?q?x?= [unsecure]", "[un[unsecure]secure]"} {
		f.Add(s)
	}
	tags := []string{"[unsecure]"}
	f.Fuzz(func(t *testing.T, raw string) {
		out, found, err := StripTag(raw, tags)
		if !found {
			return
		}
		check := out
		if err == nil {
			dec, derr := wordDecoder.DecodeHeader(out)
			if derr != nil {
				t.Fatalf("StripTag(%q) = %q: cannot decode: %v", raw, out, derr)
			}
			check = dec
		}
		if strings.Contains(strings.ToLower(check), tags[0]) {
			t.Fatalf("StripTag(%q) = %q still holds the tag", raw, out)
		}
	})
}
