package parse

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

func init() {
	troubleTables["de"] = []troubleRow{
		// cert_warning
		{"Mein Handy zeigt eine Zertifikatswarnung an", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "de"},
		{"iphone sagt identität des servers kann nicht überprüft werden", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "de"},
		{"Outlook meldet das Zertifikat ist nicht vertrauenswürdig, bei alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "de"},
		{"zertifkat fehler bei bm.domaine.com was soll ich tun", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "bm.domaine.com", "de"},
		{"ich bekomme dauernd eine sicherheitswarnung wenn ich meine mails öffne", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "de"},
		// auth_failed
		{"Passwort wird nicht akzeptiert", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "de"},
		{"mein outlook fragt ständig nach dem passwort", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "de"},
		{"Es kommt immer Benutzername oder Passwort falsch, aber das stimmt doch", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "de"},
		{"Anmeldung fehlgeschlagen für alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "de"},
		{"ich kann mich auf dem ipad nicht mehr anmelden", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "de"},
		{"mein paswort geht nicht mehr", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "de"},
		// cannot_send
		{"Ich kann empfangen aber nicht senden", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "de"},
		{"ich kann keine mails mehr verschicken vom handy", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "de"},
		{"die Mails hängen alle im Postausgang", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "de"},
		{"senden geht nicht mit alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "de"},
		{"meine emails gehen nicht raus!!", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "de"},
		{"Fehler beim Senden: relay access denied", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "de"},
		// cannot_receive
		{"Ich kann senden aber es kommt nichts an", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "de"},
		{"mein posteingang ist leer auf dem handy", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "de"},
		{"ich bekomme seit gestern keine mails mehr", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "de"},
		{"kann auf alice@domaine.com nichts empfangen", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "de"},
		{"E-Mails kommen bei mir nicht an", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "de"},
		// not_syncing
		{"Mails werden nicht synchronisiert", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "de"},
		{"auf dem iphone keine neuen mails", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "de"},
		{"push geht nicht mehr", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "de"},
		{"ich sehe auf dem handy nur die alten mails", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "de"},
		{"outlook synchronisiert seit gestern nicht mehr", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "de"},
		// cannot_connect
		{"Keine Verbindung zum Server", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "de"},
		{"server nicht gefunden", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "de"},
		{"Zeitüberschreitung bei bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "bm.domaine.com", "de"},
		{"mein handy kann die mails nicht abrufen", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "de"},
		{"Thunderbird kann sich nicht verbinden, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "de"},
		// sent_folder
		{"gesendete Mails fehlen im Ordner Gesendet auf dem PC", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "de"},
		{"die mails die ich vom handy schicke sind nicht unter gesendet", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "de"},
		{"keine Kopie der gesendeten Nachrichten auf dem Server", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "de"},
		{"Outlook zeigt nichts in Gesendete Elemente", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "de"},
		// unsupported
		{"Kann ich auch POP3 nehmen?", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicPOP3, "", "de"},
		{"wie richte ich ein Exchange Konto für alice@domaine.com ein", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "alice@domaine.com", "de"},
		{"mein Kalender synchronisiert nicht", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicCalendar, "", "de"},
		{"wie bekomme ich meine kontakte aufs iphone", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicContacts, "", "de"},
		// thanks and help
		{"danke", bot.IntentThanks, "", "", "", "de"},
		{"Vielen Dank!", bot.IntentThanks, "", "", "", "de"},
		{"super, danke schön, jetzt geht es", bot.IntentThanks, "", "", "", "de"},
		{"Was kannst du?", bot.IntentHelp, "", "", "", ""},
		{"Guten Morgen", bot.IntentHelp, "", "", "", "de"},
		{"hallo, wer bist du?", bot.IntentHelp, "", "", "", "de"},
		// the old intents are not taken for problems
		{"Welcher Port ist für den Postausgangsserver?", bot.IntentPorts, "", "", "", "de"},
		{"wie richte ich mein iphone für alice@domaine.com ein", bot.IntentConfigure, "", "", "alice@domaine.com", "de"},
		{"bitte prüfe alice@domaine.com", bot.IntentCheck, "", "", "alice@domaine.com", "de"},
		{"alice@domaine.com funktioniert nicht", bot.IntentCheck, "", "", "alice@domaine.com", "de"},
		// phrase.troubleshoot with each symptom's name
		{"Zertifikatswarnung: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "de"},
		{"Passwort abgelehnt: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "de"},
		{"Gesendete E-Mails fehlen: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "alice@domaine.com", "de"},
		{"Senden nicht möglich: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "de"},
		{"Nichts kommt an: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "de"},
		{"Keine Synchronisierung: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "alice@domaine.com", "de"},
		{"Keine Verbindung: prüfe alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "de"},
	}
}
