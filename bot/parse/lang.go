package parse

import "strings"

// explicitLang finds an explicit request for a language: a language's
// name after a "before" word ("in English", "en français", "auf
// Deutsch") or before an "after" word ("English please", "français svp").
func (p *Parser) explicitLang(ws []string) string {
	for i, w := range ws {
		lang, ok := p.names[w]
		if !ok {
			continue
		}
		if i > 0 && p.before.single[ws[i-1]] || i+1 < len(ws) && p.after.at(ws, i+1) {
			return lang
		}
	}
	return ""
}

// detectLang guesses the language of folded words; raw is the original
// text, whose accented letters count too. It returns "" when unsure: no
// sign, or a tie.
func (p *Parser) detectLang(ws []string, raw string) string {
	best, bestScore, tie := "", 0, false
	for _, l := range p.langs {
		score := 0
		for _, w := range ws {
			if l.words[w] {
				score++
			}
		}
		if l.letters != "" && strings.ContainsAny(raw, l.letters) {
			score++
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = l.lang, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}
