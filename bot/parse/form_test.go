package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

func TestForm(t *testing.T) {
	tests := []struct {
		name     string
		form     bot.Form
		address  string
		host     string
		client   knowledge.ClientID
		wantCode string
	}{
		{"an address", bot.Form{Target: "alice@domaine.com"}, "alice@domaine.com", "", "", ""},
		{"a sub-address", bot.Form{Target: " carol+phone@domaine.com "}, "carol+phone@domaine.com", "", "", ""},
		{"a Unicode domain", bot.Form{Target: "josé@société.fr", Kind: bot.TargetAddress}, "josé@société.fr", "", "", ""},
		{"a host", bot.Form{Target: "bm.domaine.com"}, "", "bm.domaine.com", "", ""},
		{"an IPv4 host", bot.Form{Target: "127.0.0.2", Kind: bot.TargetHost}, "", "127.0.0.2", "", ""},
		{"a host where an address is wanted", bot.Form{Target: "bm.domaine.com", Kind: bot.TargetAddress}, "", "", "", bot.CodeBadTarget},
		{"an address where a host is wanted", bot.Form{Target: "alice@domaine.com", Kind: bot.TargetHost}, "", "", "", bot.CodeBadTarget},
		{"a URL", bot.Form{Target: "imap://bm.domaine.com"}, "", "", "", bot.CodeBadTarget},
		{"a port", bot.Form{Target: "bm.domaine.com:993"}, "", "", "", bot.CodeBadTarget},
		{"two words", bot.Form{Target: "bm.domaine.com extra"}, "", "", "", bot.CodeBadTarget},
		{"two addresses", bot.Form{Target: "a@domaine.com,b@domaine.com"}, "", "", "", bot.CodeBadTarget},
		{"an address in a sentence", bot.Form{Target: "mail alice@domaine.com"}, "", "", "", bot.CodeBadTarget},
		{"a client name", bot.Form{Target: "mail.app"}, "", "", "", bot.CodeBadTarget},
		{"a version number", bot.Form{Target: "10.3"}, "", "", "", bot.CodeBadTarget},
		{"too long", bot.Form{Target: strings.Repeat("a", 300) + "@domaine.com"}, "", "", "", bot.CodeBadTarget},
		{"control characters", bot.Form{Target: "alice@domaine.com\r\nRCPT"}, "", "", "", bot.CodeBadTarget},
		{"a client by id", bot.Form{Client: "blackberry10"}, "", "", knowledge.BlackBerry10, ""},
		{"a client by name, with a typo", bot.Form{Client: "Blakberry"}, "", "", knowledge.BlackBerry10, ""},
		{"an unknown client", bot.Form{Client: "nokia3310"}, "", "", "", bot.CodeBadClient},
		{"nothing", bot.Form{Intent: bot.IntentHelp}, "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := testParser(t).Form(tc.form)
			var be *bot.Error
			if tc.wantCode != "" {
				if !errors.As(err, &be) || be.Code != tc.wantCode {
					t.Fatalf("err = %v, want code %s", err, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Address.String() != tc.address || p.Host != tc.host || p.Client != tc.client || p.Intent != tc.form.Intent {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func FuzzForm(f *testing.F) {
	for _, s := range []string{"alice@domaine.com", "bm.domaine.com", "imap://x.y", "a@b@c.d", "\xff@\xfe.com", "127.0.0.1", ""} {
		f.Add(s, "blackberry10", 0)
	}
	f.Fuzz(func(t *testing.T, target, client string, kind int) {
		p, err := testParser(t).Form(bot.Form{Intent: bot.IntentCheck, Target: target, Client: client, Kind: bot.TargetKind(kind % 3)})
		if err != nil {
			var be *bot.Error
			if !errors.As(err, &be) {
				t.Fatalf("not a bot.Error: %v", err)
			}
			return
		}
		if !p.Address.IsZero() && p.Host != "" {
			t.Fatalf("both an address and a host: %+v", p)
		}
		for _, s := range []string{p.Address.String(), p.Host} {
			if strings.ContainsAny(s, " \t\r\n<>|`\"") {
				t.Fatalf("unsafe %q", s)
			}
		}
	})
}
