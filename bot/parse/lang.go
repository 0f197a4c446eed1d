package parse

// asksFor reports whether ws[i], a language's name, is an explicit
// request for it: after a "before" word ("in English", "en français",
// "auf Deutsch") or before an "after" word ("English please", "français
// svp").
func (p *Parser) asksFor(ws []string, i int) bool {
	return i > 0 && p.before.single[ws[i-1]] || i+1 < len(ws) && p.idx.at(ws, i+1).has(listAfter)
}

// detectLang guesses the language of a text from its words' scores (how
// many of its words are signs of each language, indexed like p.langs);
// raw is the original text, whose accented letters count too. It returns
// "" when unsure: no sign, or a tie.
func (p *Parser) detectLang(scores []int, raw string) string {
	var hitBuf [16]bool
	hit := hitBuf[:0]
	if len(p.langs) <= len(hitBuf) {
		hit = hitBuf[:len(p.langs)]
	} else {
		hit = make([]bool, len(p.langs))
	}
	// A language's letters count once, however many there are.
	p.idx.letterSigns(raw, hit)
	best, bestScore, tie := "", 0, false
	for i, l := range p.langs {
		score := scores[i]
		if hit[i] {
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
