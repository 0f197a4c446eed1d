package parse

import (
	"testing"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// troubleRow is a way people bring a problem, thank, or ask what
// mailhelp does, with what must be understood. lang "" means the text
// alone does not tell.
type troubleRow struct {
	text    string
	intent  bot.Intent
	symptom knowledge.Symptom
	topic   knowledge.Topic
	target  string
	lang    string
}

// troubleEN are English phrasings; the other languages' are in
// troubleshoot_<lang>_test.go.
var troubleEN = []troubleRow{
	// cert_warning
	{"my phone says certificate error", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "en"},
	{"I get a security warning when I open my mail", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "en"},
	{"iPhone says cannot verify server identity", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "en"},
	{"the server is not trusted on my android, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "en"},
	{"certifcate warning on outlook", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", ""},
	{"Thunderbird shows an SSL error for bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "bm.domaine.com", "en"},
	// auth_failed
	{"password rejected", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	{"my Outlook keeps asking for my password", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	{"it says wrong password but I know it is right", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	{"login failed for alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "en"},
	{"I can't log in on my iPad", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	{"authentication failed when sending", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	{"my pasword is not accepted anymore", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "en"},
	// cannot_send
	{"I can receive but not send", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"I cant send emails from my phone", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"mail stuck in the outbox", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"relay denied when I send to gmail", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"sending failed, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "en"},
	{"I can't send from alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "en"},
	{"my emails won't go out", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"*outbox* is full on my BlackBerry", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	// cannot_receive
	{"I can send but nothing arrives", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "en"},
	{"my inbox is empty on the phone", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "en"},
	{"I am not receiving any email since yesterday", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "en"},
	{"cannot receive mail on alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "en"},
	{"i dont get any mail on my android", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "en"},
	// not_syncing
	{"mail not syncing", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "en"},
	{"no new mail on my iPhone", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "en"},
	{"push is not working", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "en"},
	{"I only see old mail on the phone", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "en"},
	{"outlook doesn't sync anymore", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "en"},
	// cannot_connect
	{"cannot connect to the server", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "en"},
	{"server not found", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "en"},
	{"connection timed out with bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "bm.domaine.com", "en"},
	{"my phone cannot get mail", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "en"},
	{"Thunderbird: unable to connect, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "en"},
	// sent_folder
	{"sent mail is missing from the sent folder on my computer", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "en"},
	{"the messages I send from my phone are not in Sent Items", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "en"},
	{"no copy of sent messages on the server", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "en"},
	// unsupported
	{"can I use POP3?", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicPOP3, "", "en"},
	{"how do I set up ActiveSync on my phone", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "", "en"},
	{"my calendar is not syncing", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicCalendar, "", "en"},
	{"how do I get my contacts on the iPhone", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicContacts, "", "en"},
	{"configure an exchange account for alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "alice@domaine.com", "en"},
	// thanks and help
	{"thanks", bot.IntentThanks, "", "", "", "en"},
	{"thank you!", bot.IntentThanks, "", "", "", "en"},
	{"thx", bot.IntentThanks, "", "", "", ""},
	{"what can you do?", bot.IntentHelp, "", "", "", "en"},
	{"hi", bot.IntentHelp, "", "", "", "en"},
	{"good morning", bot.IntentHelp, "", "", "", ""},
	{"who are you?", bot.IntentHelp, "", "", "", "en"},
	// the old intents are not taken for problems
	{"which port for the outgoing server?", bot.IntentPorts, "", "", "", "en"},
	{"do I need authentication for smtp?", bot.IntentPorts, "", "", "", "en"},
	{"configure BlackBerry for alice@domaine.com", bot.IntentConfigure, "", "", "alice@domaine.com", "en"},
	{"check alice@domaine.com", bot.IntentCheck, "", "", "alice@domaine.com", "en"},
	{"alice@domaine.com doesn't work", bot.IntentCheck, "", "", "alice@domaine.com", "en"},
	// markup-free chat phrasing and typos
	{"> my phone says: certificate error!!", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "en"},
	{"HELP cannot send email", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "en"},
	{"Cannot send: check alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "en"},
}

// troubleTables are every language's phrasings; each language's file
// adds its own in an init function.
var troubleTables = map[string][]troubleRow{"en": troubleEN}

func TestTroubleshootPhrasings(t *testing.T) {
	total := 0
	for lang, rows := range troubleTables {
		total += len(rows)
		for _, tc := range rows {
			t.Run(lang+"/"+tc.text, func(t *testing.T) {
				got := testParser(t).Parse(tc.text)
				if got.Intent != tc.intent || got.Symptom != tc.symptom || got.Topic != tc.topic {
					t.Errorf("got %s/%s/%s, want %s/%s/%s", got.Intent, got.Symptom, got.Topic, tc.intent, tc.symptom, tc.topic)
				}
				if got.Target() != tc.target {
					t.Errorf("target = %q, want %q", got.Target(), tc.target)
				}
				if got.Lang != tc.lang {
					t.Errorf("lang = %q, want %q", got.Lang, tc.lang)
				}
			})
		}
	}
	if total+len(phrasings) < 250 || total < 150 {
		t.Errorf("%d troubleshooting phrasings and %d others; keep at least 150 and 250", total, len(phrasings))
	}
	for _, lang := range testLangs(t) {
		if len(troubleTables[lang]) < 25 {
			t.Errorf("%s has %d troubleshooting phrasings; give every language at least 25", lang, len(troubleTables[lang]))
		}
	}
}

// TestContinue: a follow-up is read with the conversation's previous
// request; what it says itself wins.
func TestContinue(t *testing.T) {
	alice := bot.Address{Local: "alice", Domain: "domaine.com"}
	sendPrev := bot.Context{Intent: bot.IntentTroubleshoot, Address: alice, Symptom: knowledge.SymptomCannotSend}
	guidePrev := bot.Context{Intent: bot.IntentConfigure, Client: knowledge.BlackBerry10, Address: alice}
	tests := []struct {
		name    string
		prev    bot.Context
		text    string
		intent  bot.Intent
		client  knowledge.ClientID
		symptom knowledge.Symptom
		target  string
	}{
		{"still not working, after a problem", sendPrev, "it still does not work", bot.IntentTroubleshoot, "", knowledge.SymptomCannotSend, "alice@domaine.com"},
		{"and for iPhone, after a problem", sendPrev, "and for iPhone?", bot.IntentTroubleshoot, knowledge.IOSMail, knowledge.SymptomCannotSend, "alice@domaine.com"},
		{"and for iPhone, after a guide", guidePrev, "and for iPhone?", bot.IntentConfigure, knowledge.IOSMail, "", "alice@domaine.com"},
		{"still not working, after a guide", guidePrev, "it still doesn't work", bot.IntentCheck, knowledge.BlackBerry10, "", "alice@domaine.com"},
		{"toujours pas, after a guide", guidePrev, "ça ne marche toujours pas", bot.IntentCheck, knowledge.BlackBerry10, "", "alice@domaine.com"},
		{"a new problem replaces the old one", sendPrev, "now my password is rejected", bot.IntentTroubleshoot, "", knowledge.SymptomAuthFailed, "alice@domaine.com"},
		{"a new address replaces the old one", sendPrev, "what about bob@domaine.com?", bot.IntentTroubleshoot, "", knowledge.SymptomCannotSend, "bob@domaine.com"},
		{"thanks keeps nothing", sendPrev, "thanks!", bot.IntentThanks, "", "", ""},
		{"help keeps nothing", guidePrev, "what can you do?", bot.IntentHelp, "", "", ""},
		{"ports get the address", guidePrev, "which port for outgoing mail?", bot.IntentPorts, "", "", "alice@domaine.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testParser(t).Continue(tc.text, tc.prev)
			if got.Intent != tc.intent || got.Client != tc.client || got.Symptom != tc.symptom || got.Target() != tc.target {
				t.Errorf("got %s %q %q %q; want %s %q %q %q", got.Intent, got.Client, got.Symptom, got.Target(),
					tc.intent, tc.client, tc.symptom, tc.target)
			}
			if tc.target != "" && !got.Continued && tc.name != "a new address replaces the old one" {
				t.Error("not marked as continued")
			}
		})
	}
}
