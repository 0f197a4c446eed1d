package parse

import (
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

func init() {
	troubleTables["es"] = []troubleRow{
		// cert_warning
		{"me sale un error de certificado en el movil", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "es"},
		{"el iphone dice que no se puede verificar la identidad del servidor", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "es"},
		{"Outlook me da una advertencia de seguridad cuando abro el correo", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", "es"},
		{"certifcado no valido en thunderbird", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "", ""},
		{"alice@domaine.com: dice que el servidor no es de confianza en mi android", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "es"},
		// auth_failed
		{"me dice contraseña incorrecta pero la he puesto bien", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "es"},
		{"el outlook me pide la contraseña todo el rato", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "es"},
		{"no puedo iniciar sesion en el ipad", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "es"},
		{"me sale error de autenticacion con alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "es"},
		{"mi contrasena no la acepta el movil", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "es"},
		// sent_folder
		{"los correos que envio desde el movil no aparecen en enviados", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "es"},
		{"no se guarda copia en la carpeta de enviados", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "es"},
		{"en outlook la bandeja de enviados esta vacia", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "es"},
		{"Elementos enviados no muestra nada en el iPhone", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "", "es"},
		// cannot_send
		{"puedo recibir pero no enviar", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "es"},
		{"no puedo enviar correos desde el movil", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "es"},
		{"los mails se quedan en la bandeja de salida", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "es"},
		{"me da error al enviar, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "es"},
		{"no se envian los correos con bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "bm.domaine.com", "es"},
		{"Relay denegado cuando mando a gmail", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "es"},
		{"AYUDA no puedo enbiar nada!!", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "", "es"},
		// cannot_receive
		{"puedo enviar pero no me llegan los correos", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "es"},
		{"desde ayer no recibo nada", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "es"},
		{"no me entra ningun correo en alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "es"},
		{"la bandeja de entrada esta vacia en el telefono", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "es"},
		{"no resibo mails en el android", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "", "es"},
		// not_syncing
		{"el correo no se sincroniza", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "es"},
		{"no me salen los correos nuevos en el iphone", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "es"},
		{"solo veo los correos viejos en el movil", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "es"},
		{"el push no funciona", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "es"},
		{"outlook ya no se actualiza", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "", "es"},
		// cannot_connect
		{"no puedo conectar con el servidor", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "es"},
		{"servidor no encontrado", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "es"},
		{"tiempo de espera agotado con bm.domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "bm.domaine.com", "es"},
		{"el movil no se conecta al correo", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "", "es"},
		{"Thunderbird no conecta, alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "es"},
		// the troubleshooting phrase of every symptom, as the button writes it
		{"Advertencia de certificado: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCertWarning, "", "alice@domaine.com", "es"},
		{"Contraseña rechazada: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "alice@domaine.com", "es"},
		{"Carpeta de enviados: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomSentFolder, "", "alice@domaine.com", "es"},
		{"No se puede enviar: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotSend, "", "alice@domaine.com", "es"},
		{"No llega el correo: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "es"},
		{"El correo no se sincroniza: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomNotSyncing, "", "alice@domaine.com", "es"},
		{"No se puede conectar: comprueba alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotConnect, "", "alice@domaine.com", "es"},
		// unsupported
		{"puedo usar una cuenta pop?", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicPOP3, "", "es"},
		{"como configuro el activesync en mi movil", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "", "es"},
		{"el calendario no se sincroniza", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicCalendar, "", "es"},
		{"como paso mis contactos al iphone nuevo", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicContacts, "", "es"},
		{"configurar una cuenta exchange para alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomUnsupported, knowledge.TopicExchange, "alice@domaine.com", "es"},
		// thanks and help
		{"gracias", bot.IntentThanks, "", "", "", "es"},
		{"muchas gracias!!", bot.IntentThanks, "", "", "", "es"},
		{"mil gracias, ya funciona", bot.IntentThanks, "", "", "", "es"},
		{"hola", bot.IntentHelp, "", "", "", "es"},
		{"que puedes hacer?", bot.IntentHelp, "", "", "", "es"},
		{"buenos dias", bot.IntentHelp, "", "", "", "es"},
		{"quien eres?", bot.IntentHelp, "", "", "", "es"},
		// the old intents are not taken for problems
		{"que puerto uso para el servidor de salida?", bot.IntentPorts, "", "", "", "es"},
		{"configurar mi iphone para alice@domaine.com", bot.IntentConfigure, "", "", "alice@domaine.com", "es"},
		{"comprueba bm.domaine.com", bot.IntentCheck, "", "", "bm.domaine.com", "es"},
		{"alice@domaine.com no funciona", bot.IntentCheck, "", "", "alice@domaine.com", "es"},
		// chat phrasing, greetings and typos
		{"hola, no me llegan los correos a alice@domaine.com", bot.IntentTroubleshoot, knowledge.SymptomCannotReceive, "", "alice@domaine.com", "es"},
		{"> el movil dice: contraseña incorrecta!!", bot.IntentTroubleshoot, knowledge.SymptomAuthFailed, "", "", "es"},
	}
}
