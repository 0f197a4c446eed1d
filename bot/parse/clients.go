package parse

import (
	"sort"

	"github.com/mailhelp/mailhelp/knowledge"
)

// clientPhrase is one way of naming a client, split into folded words.
type clientPhrase struct {
	words []string
	id    knowledge.ClientID
}

// clientIndex is built once from the knowledge package's catalogue.
var clientIndex = buildClientIndex()

type clientIdx struct {
	phrases []clientPhrase // longest first, so "blackberry hub" beats "blackberry"
	// byFirst are the phrases by their first word, longest first.
	byFirst map[string][]clientPhrase
	fuzzy   []clientPhrase // single words matched with typos
}

func buildClientIndex() clientIdx {
	var idx clientIdx
	for _, c := range knowledge.Clients() {
		for _, p := range c.Phrases {
			idx.phrases = append(idx.phrases, clientPhrase{words: words(fold(p)), id: c.ID})
		}
		for _, f := range c.Fuzzy {
			idx.fuzzy = append(idx.fuzzy, clientPhrase{words: []string{fold(f)}, id: c.ID})
		}
	}
	sort.SliceStable(idx.phrases, func(i, j int) bool { return len(idx.phrases[i].words) > len(idx.phrases[j].words) })
	idx.byFirst = make(map[string][]clientPhrase)
	for _, p := range idx.phrases {
		if len(p.words) > 0 {
			idx.byFirst[p.words[0]] = append(idx.byFirst[p.words[0]], p)
		}
	}
	return idx
}

// findClient returns the first client named in the words, if any. Exact
// phrases are tried at each position before typo-tolerant matches.
func findClient(ws []string) knowledge.ClientID {
	for i, w := range ws {
		if id := clientAt(clientIndex.byFirst[w], ws, i); id != "" {
			return id
		}
	}
	return fuzzyClient(ws)
}

// clientAt returns the client of the first of phrases (those starting
// with ws[i], longest first) that ws holds at i, if any.
func clientAt(phrases []clientPhrase, ws []string, i int) knowledge.ClientID {
	for _, p := range phrases {
		if hasPrefixWords(ws[i:], p.words) {
			return p.id
		}
	}
	return ""
}

// fuzzyClient returns the first client named with a typo in the words.
func fuzzyClient(ws []string) knowledge.ClientID {
	for _, w := range ws {
		if len(w) < 5 || len(w) > 24 {
			continue
		}
		for _, p := range clientIndex.fuzzy {
			target := p.words[0]
			limit := 1
			if len(target) >= 9 {
				limit = 2
			}
			if abs(len(w)-len(target)) <= limit && editDistance(w, target, limit) <= limit {
				return p.id
			}
		}
	}
	return ""
}

// isClientName reports whether ws is exactly one of the clients' names.
func isClientName(ws []string) bool {
	if len(ws) == 0 {
		return false
	}
	for _, p := range clientIndex.byFirst[ws[0]] {
		if len(p.words) == len(ws) && hasPrefixWords(ws, p.words) {
			return true
		}
	}
	return false
}

func hasPrefixWords(ws, prefix []string) bool {
	if len(ws) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if ws[i] != p {
			return false
		}
	}
	return true
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and adjacent swaps), computed on
// bytes; it stops early and returns limit+1 once the distance must exceed
// limit. Inputs are short words (at most 24 bytes).
func editDistance(a, b string, limit int) int {
	var rows [3][25]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			best = min(best, d)
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
