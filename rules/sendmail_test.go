package rules

import (
	"strings"
	"testing"
)

func TestSendmailConfig(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"", ""},
		{"[sendmail]\nmode = \"off\"\n", ""},
		{"[sendmail]\nmode = \"envelope\"\nmark = \"abcdefgh-12345678\"\n", ""},
		{"[sendmail]\nmode = \"envelope\"\n", "sendmail.mark"},
		{"[sendmail]\nmode = \"envelope\"\nmark = \"short\"\n", "sendmail.mark"},
		{"[sendmail]\nmode = \"envelope\"\nmark = \"has+plus-123456789\"\n", "sendmail.mark"},
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
