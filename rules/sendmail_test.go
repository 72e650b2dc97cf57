package rules

import (
	"strings"
	"testing"
)

func TestSendmailConfig(t *testing.T) {
	const key = "token_key = \"abcdefgh-12345678\"\n"
	tests := []struct{ src, wantErr string }{
		{"", ""},
		{"[sendmail]\nmode = \"off\"\n", ""},
		{"[sendmail]\nmode = \"envelope\"\n" + key, ""},
		{"[sendmail]\nmode = \"envelope\"\n" + key + "map_listen = \"inet:[::1]:9000\"\n", ""},
		{"[sendmail]\nmode = \"envelope\"\n", "sendmail.token_key"},
		{"[sendmail]\nmode = \"envelope\"\ntoken_key = \"short\"\n", "sendmail.token_key"},
		{"[sendmail]\nmode = \"envelope\"\n" + key + "map_listen = \"inet:192.0.2.1:8899\"\n", "sendmail.map_listen: expected a loopback address"},
		{"[sendmail]\nmode = \"envelope\"\n" + key + "map_listen = \"unix:/run/x\"\n", "sendmail.map_listen"},
		{"[sendmail]\nmode = \"envelope\"\nmark = \"abcdefgh-12345678\"\n", "sendmail.mark: unknown key"},
		{"[sendmail]\nmode = \"header\"\n", "sendmail.mode: expected \"off\" or \"envelope\""},
	}
	for _, tt := range tests {
		cfg, err := Parse("t.toml", tt.src)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.src, err)
			} else if tt.src == "" && cfg.Sendmail.Mode != SendmailOff {
				t.Errorf("default mode = %q, want off", cfg.Sendmail.Mode)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%q: error %v, want one containing %q", tt.src, err, tt.wantErr)
		}
	}
}

// TestToken: a token is bound to its queue ID and key, has a token's
// shape, and nothing else passes for it.
func TestToken(t *testing.T) {
	const key = "abcdefgh-12345678"
	tok := Token(key, "5B1DqZ0k012345")
	if !LooksLikeToken(tok) || !strings.HasPrefix(tok, TokenPrefix) || len(tok) != tokenLen {
		t.Fatalf("Token = %q: not a token's shape", tok)
	}
	if tok != Token(key, "5B1DqZ0k012345") {
		t.Error("Token is not deterministic")
	}
	if !ValidToken(key, "5B1DqZ0k012345", tok) {
		t.Error("ValidToken refuses the message's own token")
	}
	for name, ok := range map[string]bool{
		"other queue ID":           ValidToken(key, "5B1DqZ0k012346", tok),
		"queue ID in another case": ValidToken(key, "5b1dqz0k012345", tok),
		"other key":                ValidToken("abcdefgh-12345679", "5B1DqZ0k012345", tok),
		"empty key":                ValidToken("", "5B1DqZ0k012345", Token("", "5B1DqZ0k012345")),
		"empty queue ID":           ValidToken(key, "", Token(key, "")),
		"upper-case token":         ValidToken(key, "5B1DqZ0k012345", strings.ToUpper(tok)),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, s := range []string{"", "tg", "news", tok[:len(tok)-1], tok + "a", "xx" + tok[2:], tok[:5] + "1" + tok[6:]} {
		if LooksLikeToken(s) {
			t.Errorf("LooksLikeToken(%q) = true", s)
		}
	}
}
