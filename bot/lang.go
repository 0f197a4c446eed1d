package bot

import "strings"

// The languages mailhelp answers in.
const (
	LangEnglish = "en"
	LangFrench  = "fr"
)

// Supported reports whether lang is a language mailhelp answers in.
func Supported(lang string) bool { return lang == LangEnglish || lang == LangFrench }

// NormalizeLang maps a locale such as "fr-FR", "fr_CA" or "en-US" to a
// supported language, or "" when it is none of them.
func NormalizeLang(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if Supported(l) {
		return l
	}
	return ""
}

// Words that are clear signs of one language. Ambiguous ones (port,
// configure, client, test, message, support, a) are left out.
var (
	frenchWords = wordSet(`comment configurer configurez parametrer mon ma mes pour quel quelle quels quelles
		serveur serveurs sortant sortants entrant entrants verifie verifier verifiez verifies bonjour salut merci
		je j est sur avec svp stp il elle vous votre vos nous le la les un une des du de et ou ne pas marche
		fonctionne telephone portable courriel courrier messagerie aide aidez moi parametres reglages adresse
		boite compte ajouter envoyer envoi recevoir quoi qui que qu peux peut puis faire mettre utiliser
		lequel laquelle bien c ca n l d au aux nouveau nouvel nouvelle securite chiffrement mot passe dois faut
		appareil appareils logiciel logiciels sais tu te teste tester ai suis voudrais aimerais besoin
		rien plus dans cette ce francais anglais reponds repondre donne donner liste lister
		etre avoir sont fais fait`)
	englishWords = wordSet(`how do does i my for what which the is are to set setup up with outgoing incoming
		server servers please hello hi hey thanks thank you can help phone email account add send sending
		receive receiving doesn work working isn it of in settings security encryption password need
		should use tell check verify and or not this that there new show list supported devices device
		want would like get whats where we our your apps app english french answer give am be
		checking testing cannot cant won stopped after before`)
)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[strings.TrimSuffix(w, "?")] = true
	}
	return m
}

// explicitLang finds an explicit request for a language ("in English",
// "en français", "answer in french", "english please").
func explicitLang(ws []string) string {
	for i := 0; i+1 < len(ws); i++ {
		switch ws[i] + " " + ws[i+1] {
		case "in english", "en anglais", "english please", "english version", "version anglaise":
			return LangEnglish
		case "in french", "en francais", "francais svp", "francais stp", "version francaise", "french please":
			return LangFrench
		}
	}
	return ""
}

// detectLang guesses the language of folded words; raw is the original
// text, whose accents count for French. It returns "" when unsure.
func detectLang(ws []string, raw string) string {
	fr, en := 0, 0
	for _, w := range ws {
		if frenchWords[w] {
			fr++
		}
		if englishWords[w] {
			en++
		}
	}
	if strings.ContainsAny(raw, "éèêàùçâîôûëïÉÈÊÀÇ") {
		fr++
	}
	switch {
	case fr > en:
		return LangFrench
	case en > fr:
		return LangEnglish
	default:
		return ""
	}
}

// GuessLang is the language an answer to text will have, for the words an
// adapter posts before routing ("checking…"): forced, else the text's own,
// else the platform locale, else English.
func GuessLang(text, force, hint string) string {
	if l := NormalizeLang(force); l != "" {
		return l
	}
	if l := Parse(text).Lang; l != "" {
		return l
	}
	if l := NormalizeLang(hint); l != "" {
		return l
	}
	return LangEnglish
}
