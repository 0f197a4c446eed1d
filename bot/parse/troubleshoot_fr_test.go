package parse

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

func init() {
	troubleTables["fr"] = []troubleRow{
		// cert_warning
		{"mon tel me dit erreur de certificat", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "fr"},
		{"j'ai un message d'alerte de securite quand j'ouvre mes mails", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "fr"},
		{"l'iPhone dit impossible de vérifier l'identité du serveur", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "fr"},
		{"certificat pas valide sur mon android, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "fr"},
		{"Thunderbird affiche une erreur SSL pour bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "bm.domaine.com", "fr"},
		{"Alerte de certificat : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "fr"},
		// auth_failed
		{"mot de passe refusé", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"outlook me redemande tout le temps mon mot de passe", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"il dit mauvais mot de passe alors que je suis sur qu'il est bon", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"echec de l'authentification pour alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "fr"},
		{"j'arrive pas a m'identifier sur mon ipad", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"mon mdp n'est plus accepté", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"identifiants incorrects quand j'envoie un mail", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"Mot de passe refusé, impossible d'envoyer", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "fr"},
		{"Mot de passe refusé : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "fr"},
		// sent_folder
		{"les mails que j'envoie n'apparaissent pas dans le dossier envoyés sur mon ordi", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "fr"},
		{"mes messages envoyés depuis le telephone sont pas dans Éléments envoyés", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "fr"},
		{"pas de copie des messages envoyés sur le serveur", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "fr"},
		{"je vois pas mes mails envoyés sur l'ordi", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "fr"},
		{"Dossier Envoyés : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "alice@domaine.com", "fr"},
		// cannot_send
		{"je reçois mais je peux pas envoyer", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"j'arrive pas a envoyer de mails depuis mon tel", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"mes mails restent bloqués dans la boite d'envoi", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"relais refusé quand j'envoie vers gmail", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"envoi impossible, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "fr"},
		{"je ne peux plus envoyer depuis alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "fr"},
		{"mes mails partent pas", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"*boîte d'envoi* pleine sur mon BlackBerry", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"AIDE impossible d'envoyer un mail", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "fr"},
		{"Envoi impossible : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "fr"},
		// cannot_receive
		{"j'envoie mais rien n'arrive", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "fr"},
		{"ma boite de réception est vide sur le téléphone", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "fr"},
		{"je reçois plus aucun mail depuis hier", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "fr"},
		{"impossible de recevoir des mails sur alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "fr"},
		{"je recois rien sur mon android", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "fr"},
		{"les mails n'arrivent plus", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "fr"},
		{"Rien n'arrive : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "fr"},
		// not_syncing
		{"mes mails se synchronisent pas", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "fr"},
		{"pas de nouveaux mails sur mon iPhone", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "fr"},
		{"le push marche pas", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "fr"},
		{"je vois que les anciens mails sur le tel", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "fr"},
		{"outlook ne se synchronise plus", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "fr"},
		{"Courrier non synchronisé : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "alice@domaine.com", "fr"},
		// cannot_connect
		{"impossible de se connecter au serveur", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "fr"},
		{"serveur introuvable", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "fr"},
		{"délai d'attente dépassé avec bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "bm.domaine.com", "fr"},
		{"mon tel arrive plus a relever les mails", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "fr"},
		{"Thunderbird : connexion impossible, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "fr"},
		{"j'arrive pas à me connecter à ma boite", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "fr"},
		{"Connexion impossible : vérifie alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "fr"},
		// unsupported
		{"je peux mettre mon compte en POP ?", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicPOP3, "", "fr"},
		{"comment je configure mon compte exchange sur mon tel", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "", "fr"},
		{"mon calendrier se synchronise pas", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicCalendar, "", "fr"},
		{"comment récupérer mes contacts sur l'iPhone", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicContacts, "", "fr"},
		{"mon carnet d'adresses a disparu", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicContacts, "", "fr"},
		// thanks and help
		{"merci", bot.IntentThanks, "", "", "", "fr"},
		{"merci beaucoup !", bot.IntentThanks, "", "", "", "fr"},
		{"super merci bcp", bot.IntentThanks, "", "", "", "fr"},
		{"mci", bot.IntentThanks, "", "", "", ""},
		{"que peux-tu faire ?", bot.IntentHelp, "", "", "", "fr"},
		{"coucou", bot.IntentHelp, "", "", "", "fr"},
		{"t'es qui ?", bot.IntentHelp, "", "", "", "fr"},
		{"à quoi tu sers ?", bot.IntentHelp, "", "", "", "fr"},
		{"comment ça marche ?", bot.IntentHelp, "", "", "", "fr"},
		// the old intents are not taken for problems
		{"c'est quoi le port du serveur sortant ?", bot.IntentPorts, "", "", "", "fr"},
		{"faut-il une authentification pour le smtp ?", bot.IntentPorts, "", "", "", "fr"},
		{"comment je configure mon iphone pour alice@domaine.com", bot.IntentConfigure, "", "", "alice@domaine.com", "fr"},
		{"tu peux vérifier bm.domaine.com stp ?", bot.IntentCheck, "", "", "bm.domaine.com", "fr"},
		{"alice@domaine.com marche pas", bot.IntentCheck, "", "", "alice@domaine.com", "fr"},
	}
}
