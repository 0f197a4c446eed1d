package parse

import (
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// phrasings are real ways people ask, with what must be understood.
// lang "" means the text alone does not tell.
var phrasings = []struct {
	text    string
	intent  bot.Intent
	client  knowledge.ClientID
	address string
	host    string
	lang    string
}{
	// configure, English
	{"configure BlackBerry for alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"How do I set up my BlackBerry for alice@domaine.com?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"setup bb10 bob@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "bob@domaine.com", "", "en"},
	{"Hi! I just got a BlackBerry Q10, how can I add my work email alice@domaine.com to it?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"blackbery config alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", ""},
	{"configure blakberry alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", ""},
	{"configure Blackberry Hub with alice@domaine.com please", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"add account on black berry for alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configure BlackBerry", bot.IntentConfigure, knowledge.BlackBerry10, "", "", ""},
	{"set up my blackberry please", bot.IntentConfigure, knowledge.BlackBerry10, "", "", "en"},
	{"configure blackberry for jean.dupont@paris.domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "jean.dupont@paris.domaine.com", "", "en"},
	{"configure BlackBerry for Alice@DOMAINE.COM", bot.IntentConfigure, knowledge.BlackBerry10, "Alice@domaine.com", "", "en"},
	{"configure my iPhone for alice@domaine.com", bot.IntentConfigure, knowledge.IOSMail, "alice@domaine.com", "", "en"},
	{"how to configure an ipad with bob@domaine.com", bot.IntentConfigure, knowledge.IOSMail, "bob@domaine.com", "", "en"},
	{"Outlook settings for alice@domaine.com", bot.IntentConfigure, knowledge.Outlook, "alice@domaine.com", "", "en"},
	{"thunderbird alice@domaine.com", bot.IntentConfigure, knowledge.Thunderbird, "alice@domaine.com", "", ""},
	{"configure thunderbrid for alice@domaine.com", bot.IntentConfigure, knowledge.Thunderbird, "alice@domaine.com", "", "en"},
	{"I use Apple Mail on my Mac, alice@domaine.com", bot.IntentConfigure, knowledge.AppleMail, "alice@domaine.com", "", "en"},
	{"set up mail on my Samsung Galaxy for alice@domaine.com", bot.IntentConfigure, knowledge.SamsungEmail, "alice@domaine.com", "", "en"},
	{"android alice@domaine.com", bot.IntentConfigure, knowledge.Android, "alice@domaine.com", "", ""},
	{"alice@domaine.com", bot.IntentConfigure, "", "alice@domaine.com", "", ""},
	{"what are the settings for alice@domaine.com", bot.IntentConfigure, "", "alice@domaine.com", "", "en"},
	{"I need to set up my email alice@domaine.com on my new phone", bot.IntentConfigure, "", "alice@domaine.com", "", "en"},
	{"configure", bot.IntentConfigure, "", "", "", ""},
	{"configure BlackBerry for alice@domaine.com and bob@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configure BlackBerry for élodie@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "élodie@domaine.com", "", ""},
	{"configure BlackBerry for josé@société.fr", bot.IntentConfigure, knowledge.BlackBerry10, "josé@société.fr", "", ""},
	{"configure BlackBerry for alice@xn--socit-esab.fr", bot.IntentConfigure, knowledge.BlackBerry10, "alice@société.fr", "", "en"},
	{"configure BlackBerry for \"alice@domaine.com\".", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configure BlackBerry for (alice@domaine.com)", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configure BlackBerry for o'brien@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "o'brien@domaine.com", "", "en"},
	{"*configure* BlackBerry for `alice@domaine.com`", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configure BlackBerry for alice@domaine.com in French", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},

	// configure, French
	{"Comment configurer mon BlackBerry pour alice@domaine.com ?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"comment configurer mon blackberry pour alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"Bonjour, je voudrais configurer ma messagerie sur mon BlackBerry, mon adresse est alice@domaine.com. Merci !", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"paramétrer le BB10 de bob@domaine.com svp", bot.IntentConfigure, knowledge.BlackBerry10, "bob@domaine.com", "", "fr"},
	{"ajouter un compte sur mon blackberri pour alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"J'ai un BlackBerry 10, comment je mets mon courriel élodie@domaine.com ?", bot.IntentConfigure, knowledge.BlackBerry10, "élodie@domaine.com", "", "fr"},
	{"réglages blackberry pour alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"Comment configurer mon BlackBerry ?", bot.IntentConfigure, knowledge.BlackBerry10, "", "", "fr"},
	{"configurer mon iPhone pour alice@domaine.com", bot.IntentConfigure, knowledge.IOSMail, "alice@domaine.com", "", "fr"},
	{"je veux mettre ma boîte alice@domaine.com dans Thunderbird", bot.IntentConfigure, knowledge.Thunderbird, "alice@domaine.com", "", "fr"},
	{"configurer Outlook pour bob@domaine.com", bot.IntentConfigure, knowledge.Outlook, "bob@domaine.com", "", "fr"},
	{"quels sont les paramètres pour alice@domaine.com ?", bot.IntentConfigure, "", "alice@domaine.com", "", "fr"},
	{"mon adresse c'est alice@domaine.com", bot.IntentConfigure, "", "alice@domaine.com", "", "fr"},
	{"Comment configurer mon BlackBerry pour alice@domaine.com ? in English please", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "en"},
	{"configurer BlackBerry pour alice@domaine.com en français", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "fr"},
	{"COMMENT CONFIGURER MON BLACKBERRY POUR ALICE@DOMAINE.COM", bot.IntentConfigure, knowledge.BlackBerry10, "ALICE@domaine.com", "", "fr"},

	// German
	{"Wie richte ich mein BlackBerry für alice@domaine.com ein?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "de"},
	{"wie richte ich mein blackberry fuer alice@domaine.com ein", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "de"},
	{"Ich möchte mein E-Mail-Konto alice@domaine.com auf meinem iPhone einrichten", bot.IntentConfigure, knowledge.IOSMail, "alice@domaine.com", "", "de"},
	{"Thunderbird für bob@domaine.com konfigurieren", bot.IntentConfigure, knowledge.Thunderbird, "bob@domaine.com", "", "de"},
	{"Welche Einstellungen brauche ich für alice@domaine.com?", bot.IntentConfigure, "", "alice@domaine.com", "", "de"},
	{"prüfe alice@domaine.com", bot.IntentCheck, "", "alice@domaine.com", "", "de"},
	{"Bitte bm.domaine.com überprüfen", bot.IntentCheck, "", "", "bm.domaine.com", "de"},
	{"Welcher Port für den Postausgangsserver?", bot.IntentPorts, "", "", "", "de"},
	{"Welche Geräte werden unterstützt?", bot.IntentClients, "", "", "", "de"},
	{"Hilfe", bot.IntentHelp, "", "", "", "de"},
	{"configure BlackBerry for alice@domaine.com auf Deutsch", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "de"},
	{"Wie richte ich mein BlackBerry ein? in English please", bot.IntentConfigure, knowledge.BlackBerry10, "", "", "en"},

	// Spanish
	{"¿Cómo configuro mi BlackBerry para alice@domaine.com?", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "es"},
	{"como configuro mi blackberry para alice@domaine.com", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "es"},
	{"Quiero configurar mi correo alice@domaine.com en el iPhone", bot.IntentConfigure, knowledge.IOSMail, "alice@domaine.com", "", "es"},
	{"configurar Thunderbird para bob@domaine.com", bot.IntentConfigure, knowledge.Thunderbird, "bob@domaine.com", "", "es"},
	{"comprueba alice@domaine.com", bot.IntentCheck, "", "alice@domaine.com", "", "es"},
	{"¿Puede verificar bm.domaine.com?", bot.IntentCheck, "", "", "bm.domaine.com", "es"},
	{"¿Qué puerto para el servidor de salida?", bot.IntentPorts, "", "", "", "es"},
	{"¿Cuáles son los dispositivos compatibles?", bot.IntentClients, "", "", "", "es"},
	{"ayuda", bot.IntentHelp, "", "", "", "es"},
	{"configure BlackBerry for alice@domaine.com en español", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "es"},
	{"configurer mon BlackBerry pour alice@domaine.com in Spanish", bot.IntentConfigure, knowledge.BlackBerry10, "alice@domaine.com", "", "es"},

	// check
	{"check alice@domaine.com", bot.IntentCheck, "", "alice@domaine.com", "", "en"},
	{"check bob@domaine.com", bot.IntentCheck, "", "bob@domaine.com", "", "en"},
	{"vérifie bm.domaine.com", bot.IntentCheck, "", "", "bm.domaine.com", "fr"},
	{"verifie alice@domaine.com", bot.IntentCheck, "", "alice@domaine.com", "", "fr"},
	{"can you check the server bm.domaine.com?", bot.IntentCheck, "", "", "bm.domaine.com", "en"},
	{"test https://bm.domaine.com/webmail/", bot.IntentCheck, "", "", "bm.domaine.com", ""},
	{"check bm.domaine.com:993", bot.IntentCheck, "", "", "bm.domaine.com", "en"},
	{"peux-tu tester la connexion de alice@domaine.com ?", bot.IntentCheck, "", "alice@domaine.com", "", "fr"},
	{"mon compte alice@domaine.com ne marche pas", bot.IntentCheck, "", "alice@domaine.com", "", "fr"},
	{"alice@domaine.com is not working since this morning", bot.IntentCheck, "", "alice@domaine.com", "", "en"},
	{"diagnostic bm.domaine.com", bot.IntentCheck, "", "", "bm.domaine.com", ""},
	{"check", bot.IntentCheck, "", "", "", "en"},
	{"vérifier le serveur", bot.IntentCheck, "", "", "", "fr"},
	{"check 192.0.2.10", bot.IntentCheck, "", "", "192.0.2.10", "en"},

	// ports
	{"quel port pour le serveur sortant ?", bot.IntentPorts, "", "", "", "fr"},
	{"Quel port utiliser pour le SMTP ?", bot.IntentPorts, "", "", "", "fr"},
	{"which port for outgoing mail?", bot.IntentPorts, "", "", "", "en"},
	{"What port is IMAP on?", bot.IntentPorts, "", "", "", "en"},
	{"ssl or tls?", bot.IntentPorts, "", "", "", "en"},
	{"is port 25 ok for sending?", bot.IntentPorts, "", "", "", "en"},
	{"pourquoi je ne peux pas envoyer de mail vers gmail avec le port 25", bot.IntentPorts, "", "", "", "fr"},
	{"993 ou 143 ?", bot.IntentPorts, "", "", "", "fr"},
	{"quelle sécurité pour le serveur entrant", bot.IntentPorts, "", "", "", "fr"},
	{"what encryption should I use for alice@domaine.com", bot.IntentPorts, "", "alice@domaine.com", "", "en"},
	{"port SMTP sur mon blackberry ?", bot.IntentPorts, knowledge.BlackBerry10, "", "", "fr"},
	{"starttls", bot.IntentPorts, "", "", "", ""},

	// clients
	{"which clients are supported?", bot.IntentClients, "", "", "", "en"},
	{"What devices do you support", bot.IntentClients, "", "", "", "en"},
	{"quels appareils sont pris en charge ?", bot.IntentClients, "", "", "", "fr"},
	{"Is Thunderbird supported?", bot.IntentClients, knowledge.Thunderbird, "", "", "en"},
	{"liste des logiciels compatibles", bot.IntentClients, "", "", "", "fr"},

	// help
	{"help", bot.IntentHelp, "", "", "", "en"},
	{"aide", bot.IntentHelp, "", "", "", "fr"},
	{"", bot.IntentHelp, "", "", "", ""},
	{"   ", bot.IntentHelp, "", "", "", ""},
	{"hello", bot.IntentHelp, "", "", "", "en"},
	{"bonjour", bot.IntentHelp, "", "", "", "fr"},
	{"?", bot.IntentHelp, "", "", "", ""},

	// announce

	// unknown
	{"what's the weather like?", bot.IntentUnknown, "", "", "", "en"},
	{"quelle heure est-il ?", bot.IntentUnknown, "", "", "", "fr"},
	{"asdfghjkl", bot.IntentUnknown, "", "", "", ""},
	{"@everyone click [here](https://evil.example/x)", bot.IntentUnknown, "", "", "evil.example", ""},
}

func TestParsePhrasings(t *testing.T) {
	if len(phrasings) < 80 {
		t.Fatalf("the phrasing table has %d rows; keep at least 80", len(phrasings))
	}
	for _, tc := range phrasings {
		t.Run(tc.text, func(t *testing.T) {
			got := testParser(t).Parse(tc.text)
			if got.Intent != tc.intent {
				t.Errorf("intent = %q, want %q", got.Intent, tc.intent)
			}
			if got.Client != tc.client {
				t.Errorf("client = %q, want %q", got.Client, tc.client)
			}
			if got.Address.String() != tc.address {
				t.Errorf("address = %q, want %q", got.Address.String(), tc.address)
			}
			if got.Host != tc.host {
				t.Errorf("host = %q, want %q", got.Host, tc.host)
			}
			if got.Lang != tc.lang {
				t.Errorf("lang = %q, want %q", got.Lang, tc.lang)
			}
		})
	}
}

func TestParseDetails(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		check func(t *testing.T, p bot.Parsed)
	}{
		{"sub-address keeps its tag apart", "configure BlackBerry for carol+phone@domaine.com", func(t *testing.T, p bot.Parsed) {
			if p.Address.Tag != "phone" || p.Address.Username() != "carol@domaine.com" {
				t.Errorf("tag = %q, username = %q; want phone, carol@domaine.com", p.Address.Tag, p.Address.Username())
			}
		}},
		{"several addresses are counted", "check a@domaine.com b@domaine.com c@domaine.com", func(t *testing.T, p bot.Parsed) {
			if p.Addresses != 3 || p.Address.String() != "a@domaine.com" {
				t.Errorf("addresses = %d, first = %q; want 3, a@domaine.com", p.Addresses, p.Address)
			}
		}},
		{"outgoing direction", "quel port pour le serveur sortant ?", func(t *testing.T, p bot.Parsed) {
			if p.Direction != bot.DirectionOutgoing {
				t.Errorf("direction = %q, want outgoing", p.Direction)
			}
		}},
		{"incoming direction", "What port is IMAP on?", func(t *testing.T, p bot.Parsed) {
			if p.Direction != bot.DirectionIncoming {
				t.Errorf("direction = %q, want incoming", p.Direction)
			}
		}},
		{"both directions", "993 ou 587 ?", func(t *testing.T, p bot.Parsed) {
			if p.Direction != bot.DirectionBoth || len(p.Ports) != 2 {
				t.Errorf("direction = %q, ports = %v; want both, [993 587]", p.Direction, p.Ports)
			}
		}},
		{"explicit language is flagged", "check alice@domaine.com en français", func(t *testing.T, p bot.Parsed) {
			if !p.LangExplicit || p.Lang != "fr" {
				t.Errorf("lang = %q explicit=%v; want fr, true", p.Lang, p.LangExplicit)
			}
		}},
		{"a host inside an address is not a host", "check alice@bm.domaine.com", func(t *testing.T, p bot.Parsed) {
			if p.Host != "" {
				t.Errorf("host = %q, want none", p.Host)
			}
		}},
		{"bb in a host name is not a BlackBerry", "check bb.domaine.com", func(t *testing.T, p bot.Parsed) {
			if p.Client != "" || p.Host != "bb.domaine.com" {
				t.Errorf("client = %q host = %q; want none, bb.domaine.com", p.Client, p.Host)
			}
		}},
		{"bidi override does not hide an address", "configure BlackBerry for \u202ealice@domaine.com\u202c", func(t *testing.T, p bot.Parsed) {
			if p.Address.String() != "alice@domaine.com" {
				t.Errorf("address = %q", p.Address)
			}
		}},
		{"a mention is not an address", "@alice configure BlackBerry", func(t *testing.T, p bot.Parsed) {
			if !p.Address.IsZero() {
				t.Errorf("address = %q, want none", p.Address)
			}
		}},
		{"an address without a dot in its domain is refused", "configure BlackBerry for alice@localhost", func(t *testing.T, p bot.Parsed) {
			if !p.Address.IsZero() {
				t.Errorf("address = %q, want none", p.Address)
			}
		}},
		{"version numbers are not hosts", "configure BlackBerry 10.3.2 please", func(t *testing.T, p bot.Parsed) {
			if p.Host != "" {
				t.Errorf("host = %q, want none", p.Host)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, testParser(t).Parse(tc.text)) })
	}
}
