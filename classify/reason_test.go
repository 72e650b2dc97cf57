package classify

import "testing"

// TestReasonTable checks that every reason has a kind and a wire form that
// reads back to itself, and that the wire forms of the logs are unchanged.
func TestReasonTable(t *testing.T) {
	seen := map[string]Reason{}
	for r := FoundTerm + 1; r < numReasons; r++ {
		code := r.String()
		if code == "" || r.Kind() == KindNone {
			t.Errorf("reason %d: no entry in the table", r)
			continue
		}
		if old, ok := seen[code]; ok {
			t.Errorf("reasons %d and %d share %q", old, r, code)
		}
		seen[code] = r
		if c, ok := ParseCode(code); !ok || c.Reason != r {
			t.Errorf("ParseCode(%q) = %v, %v; want %d", code, c, ok, r)
		}
	}
	for _, tc := range []struct {
		c    Code
		want string
	}{
		{Code{Reason: FoundCPR, Count: 2}, "cpr:2"},
		{Code{Reason: FoundTerm, Category: "health"}, "term:health"},
		{Code{Reason: UninspectablePDFFont}, "uninspectable:pdf-font"},
		{Code{Reason: LimitDepth}, "limit:depth"},
		{Code{Reason: ContentEncrypted}, "content-encrypted"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
		if c, ok := ParseCode(tc.want); !ok || c != tc.c {
			t.Errorf("ParseCode(%q) = %+v, %v", tc.want, c, ok)
		}
	}
	for _, bad := range []string{"", "cpr:", "cpr:x", "cpr:0", "term:", "uninspectable:nothing", "limit"} {
		if IsReason(bad) {
			t.Errorf("IsReason(%q) = true", bad)
		}
	}
	if got := ParseCodes([]string{"nonsense"}); len(got) != 1 || got[0].Reason != ErrorInternal {
		t.Errorf("ParseCodes of an unknown code = %v, want error:internal", got)
	}
}
