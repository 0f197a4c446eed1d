package parse

// explicitLang finds an explicit request for a language: a language's
// name after a "before" word ("in English", "en français", "auf
// Deutsch") or before an "after" word ("English please", "français svp").
func (p *Parser) explicitLang(ws []string) string {
	for i, w := range ws {
		e := p.idx.words[w]
		if e == nil || e.names == "" {
			continue
		}
		if i > 0 && p.before.single[ws[i-1]] || i+1 < len(ws) && p.idx.at(ws, i+1).has(listAfter) {
			return e.names
		}
	}
	return ""
}

// detectLang guesses the language of folded words; raw is the original
// text, whose accented letters count too. It returns "" when unsure: no
// sign, or a tie.
func (p *Parser) detectLang(ws []string, raw string) string {
	var buf [16]int
	var hitBuf [16]bool
	scores, hit := buf[:0], hitBuf[:0]
	if len(p.langs) <= len(buf) {
		scores, hit = buf[:len(p.langs)], hitBuf[:len(p.langs)]
	} else {
		scores, hit = make([]int, len(p.langs)), make([]bool, len(p.langs))
	}
	for _, w := range ws {
		if e := p.idx.words[w]; e != nil {
			for _, l := range e.langs {
				scores[l]++
			}
		}
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
