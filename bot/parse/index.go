package parse

import (
	"slices"
	"unicode/utf8"
)

// The index answers, with one map lookup per word of a request, what the
// word lists would answer one list at a time: which lists have an entry
// starting at the word, which languages the word is a sign of, and which
// language it names. Parsing cost then grows with the words of the
// request, not with the words times the lists.

// list numbers the word lists in an index's bit masks.
type list uint8

// The lists of intents and the language request words, then one per
// symptom (symptomBase+i, in Parser.symptoms' order) and one per
// unsupported topic (after the symptoms, in Parser.topics' order).
const (
	listAnnounce list = iota
	listDiscovery
	listAccount
	listCheck
	listProblem
	listOutgoing
	listIncoming
	listConfigure
	listClients
	listHelp
	listPorts
	listThanks
	listFollowup
	listPublic
	listBefore
	listAfter
	symptomBase
)

// maxLists is how many lists a uint64 mask holds.
const maxLists = 64

// mask is a set of lists.
type mask uint64

func (m mask) has(l list) bool { return m&(1<<l) != 0 }

// entry is what the index knows of one folded word.
type entry struct {
	// single are the lists holding the word as an entry of its own.
	single mask
	// phrases are the entries of several words that start with it.
	phrases []indexedPhrase
	// langs are the languages (indexes in Parser.langs) the word is a
	// sign of, once per language.
	langs []int
	// names is the language the word names ("francais"), or "".
	names string
	// clients are the clients' phrases that start with the word,
	// longest first.
	clients []clientPhrase
}

// indexedPhrase is a phrase of a list.
type indexedPhrase struct {
	words []string
	list  list
}

// index maps a folded word to what is known of it, and a letter to the
// languages it is a sign of.
type index struct {
	words map[string]*entry
	// letters maps each rune of the languages' Letters to the languages
	// (indexes in Parser.langs) it is a sign of.
	letters map[rune][]int
	// asciiLetters is set when a language's sign is an ASCII letter, so
	// that ASCII text must be looked at too.
	asciiLetters bool
}

// buildIndex indexes the parser's word lists and language signs. It
// panics if there are more lists than a mask holds: the symptoms and
// topics are the knowledge package's, fixed at build time.
func (p *Parser) buildIndex() index {
	idx := index{words: make(map[string]*entry), letters: make(map[rune][]int)}
	get := func(w string) *entry {
		e := idx.words[w]
		if e == nil {
			e = &entry{}
			idx.words[w] = e
		}
		return e
	}
	lists := []*wordList{
		listAnnounce: &p.announce, listDiscovery: &p.discovery, listAccount: &p.account,
		listCheck: &p.check, listProblem: &p.problem, listOutgoing: &p.outgoing,
		listIncoming: &p.incoming, listConfigure: &p.configure, listClients: &p.clients,
		listHelp: &p.help, listPorts: &p.ports, listThanks: &p.thanks,
		listFollowup: &p.followup, listPublic: &p.public, listBefore: &p.before, listAfter: &p.after,
	}
	for i := range p.symptoms {
		lists = append(lists, &p.symptoms[i].words)
	}
	for i := range p.topics {
		lists = append(lists, &p.topics[i].words)
	}
	if len(lists) > maxLists {
		panic("parse: more word lists than an index mask holds")
	}
	for n, l := range lists {
		for w := range l.single {
			get(w).single |= 1 << n
		}
		for w, phrases := range l.phrases {
			e := get(w)
			for _, ph := range phrases {
				e.phrases = append(e.phrases, indexedPhrase{words: ph, list: list(n)})
			}
		}
	}
	for i, l := range p.langs {
		for w := range l.words {
			e := get(w)
			e.langs = append(e.langs, i)
		}
		for _, r := range l.letters {
			if !slices.Contains(idx.letters[r], i) {
				idx.letters[r] = append(idx.letters[r], i)
			}
			idx.asciiLetters = idx.asciiLetters || r < utf8.RuneSelf
		}
	}
	for w, lang := range p.names {
		get(w).names = lang
	}
	for w, phrases := range clientIndex.byFirst {
		get(w).clients = phrases
	}
	return idx
}

// topicList is the list of the i-th topic of Parser.topics.
func (p *Parser) topicList(i int) list { return symptomBase + list(len(p.symptoms)+i) }

// at returns the lists with an entry starting at ws[i].
func (x *index) at(ws []string, i int) mask {
	e := x.words[ws[i]]
	if e == nil {
		return 0
	}
	return e.at(ws, i)
}

// at returns the lists with an entry starting at ws[i], which is e's word.
func (e *entry) at(ws []string, i int) mask {
	m := e.single
	for _, ph := range e.phrases {
		// Most phrases fail on their second word: see it before the
		// general match (compiled phrases have two words or more).
		if w := ph.words[1]; w != gap && (i+1 >= len(ws) || ws[i+1] != w) {
			continue
		}
		if !m.has(ph.list) && matchPhrase(ws[i:], ph.words) {
			m |= 1 << ph.list
		}
	}
	return m
}

// letterSigns marks in hit, indexed like Parser.langs, each language
// that one of raw's letters is a sign of.
func (x *index) letterSigns(raw string, hit []bool) {
	for _, r := range raw {
		if r < utf8.RuneSelf && !x.asciiLetters {
			continue
		}
		for _, l := range x.letters[r] {
			hit[l] = true
		}
	}
}
