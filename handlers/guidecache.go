package handlers

import (
	"slices"
	"strings"
	"sync"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/knowledge"
)

// A guide is the same for everyone at a domain who sets up the same
// client in the same language, but for their address: guides keeps each
// one rendered once, with stand-ins where the address and the login go,
// and fills in each person's. Register makes a cache per router, so a
// reload, which builds a new router, starts from an empty one.

// Stand-ins for the address and the login in a rendered guide. No
// message, domain setting nor address holds a NUL byte (bot.StripUnsafe
// removes control characters from what people type; configured names
// are host names), so a NUL marks them unambiguously.
const (
	standInAddress = "\x00a\x00"
	standInLogin   = "\x00l\x00"
)

// guideKey is what a rendered guide depends on besides the address.
type guideKey struct {
	lang   string
	client knowledge.ClientID
	// domain is the configured domain's name, "" when it is not
	// configured (the guide then shows placeholders).
	domain  string
	address bool // an address was given
}

// guides caches rendered guides, up to max of them.
type guides struct {
	mu  sync.RWMutex
	m   map[guideKey]*guideTemplate
	max int
}

// maxGuides bounds the cache: about 6 KB a guide. A provider's 100 000
// domains do not all fit; the guides asked for most stay.
const maxGuides = 2048

func newGuides(max int) *guides { return &guides{m: make(map[guideKey]*guideTemplate), max: max} }

// reply is the guide (or settings card) of client for acct in loc's
// language, with the notes that depend on nothing else (other ports,
// self-configuration): a new Reply the caller may change.
func (g *guides) reply(loc bot.Localizer, client knowledge.Client, acct account) *bot.Reply {
	key := guideKey{lang: loc.Lang(), client: client.ID, address: !acct.addr.IsZero()}
	if acct.known {
		key.domain = acct.domain.Name
	}
	g.mu.RLock()
	t, ok := g.m[key]
	g.mu.RUnlock()
	if !ok {
		stand := acct
		if key.address {
			stand.addrText, stand.login = standInAddress, standInLogin
		}
		t = newGuideTemplate(renderGuide(loc, client, stand))
		g.mu.Lock()
		if len(g.m) >= g.max {
			for k := range g.m { // any one: map order is random
				delete(g.m, k)
				break
			}
		}
		g.m[key] = t
		g.mu.Unlock()
	}
	return t.fill(acct.addrText, acct.login)
}

// renderGuide renders the guide, or the settings card when the client
// has no guide, with the notes about other ports and self-configuration.
func renderGuide(loc bot.Localizer, client knowledge.Client, acct account) *bot.Reply {
	var r *bot.Reply
	if client.HasGuide() {
		r = guideReply(loc, client, acct)
	} else {
		r = cardReply(loc, client, acct)
	}
	if n, ok := selfConfigNote(loc, client, acct); ok {
		r.Notes = append(r.Notes, bot.Note{})
		copy(r.Notes[1:], r.Notes)
		r.Notes[0] = n
	}
	r.Notes = append(r.Notes, alternativesNote(loc, acct))
	return r
}

// guideTemplate is a rendered guide and where its stand-ins are.
type guideTemplate struct {
	r *bot.Reply
	// fields are the fields of the steps, then of the settings, in
	// order: a copy takes one allocation.
	fields []bot.Field
	slots  []slot
}

// A slot is a string of the template that holds a stand-in: the
// title, the intro, step i's text, part of field i (of fields), the
// title of settings group i, or note i's text.
type slot struct {
	in   slotIn
	i    int
	part fieldPart
}

type slotIn uint8

const (
	inTitle slotIn = iota
	inIntro
	inStep
	inField
	inSettings
	inNote
)

type fieldPart uint8

const (
	partLabel fieldPart = iota
	partValue
	partHint
)

// newGuideTemplate notes where r's stand-ins are.
func newGuideTemplate(r *bot.Reply) *guideTemplate {
	t := &guideTemplate{r: r}
	has := func(s string) bool { return strings.IndexByte(s, 0) >= 0 }
	add := func(ok bool, in slotIn, i int, part fieldPart) {
		if ok {
			t.slots = append(t.slots, slot{in: in, i: i, part: part})
		}
	}
	add(has(r.Title), inTitle, 0, 0)
	add(has(r.Intro), inIntro, 0, 0)
	for i, s := range r.Steps {
		add(has(s.Text), inStep, i, 0)
		t.fields = append(t.fields, s.Fields...)
	}
	for i, s := range r.Settings {
		add(has(s.Title), inSettings, i, 0)
		t.fields = append(t.fields, s.Fields...)
	}
	for i, f := range t.fields {
		add(has(f.Label), inField, i, partLabel)
		add(has(f.Value), inField, i, partValue)
		add(has(f.Hint), inField, i, partHint)
	}
	for i, n := range r.Notes {
		add(has(n.Text), inNote, i, 0)
	}
	return t
}

// fill copies the template with addr and login in place of their
// stand-ins. The strings without one are shared, the slices copied:
// the caller may append to and change the copy.
func (t *guideTemplate) fill(addr, login string) *bot.Reply {
	r := *t.r
	fields := slices.Clone(t.fields)
	at := 0
	next := func(n int) []bot.Field {
		if n == 0 {
			return nil
		}
		at += n
		return fields[at-n : at : at]
	}
	if t.r.Steps != nil {
		r.Steps = make([]bot.Step, len(t.r.Steps))
		for i, s := range t.r.Steps {
			r.Steps[i] = bot.Step{Text: s.Text, Fields: next(len(s.Fields))}
		}
	}
	if t.r.Settings != nil {
		r.Settings = make([]bot.SettingGroup, len(t.r.Settings))
		for i, s := range t.r.Settings {
			s.Fields = next(len(s.Fields))
			r.Settings[i] = s
		}
	}
	// Room for the account's notes Configure appends.
	r.Notes = make([]bot.Note, len(t.r.Notes), len(t.r.Notes)+4)
	copy(r.Notes, t.r.Notes)
	for _, sl := range t.slots {
		var s *string
		switch sl.in {
		case inTitle:
			s = &r.Title
		case inIntro:
			s = &r.Intro
		case inStep:
			s = &r.Steps[sl.i].Text
		case inSettings:
			s = &r.Settings[sl.i].Title
		case inNote:
			s = &r.Notes[sl.i].Text
		case inField:
			f := &fields[sl.i]
			s = [...]*string{partLabel: &f.Label, partValue: &f.Value, partHint: &f.Hint}[sl.part]
		}
		*s = fillStandIns(*s, addr, login)
	}
	return &r
}

// fillStandIns replaces the stand-ins in s, in one pass: what it puts
// in is not read again.
func fillStandIns(s, addr, login string) string {
	i := strings.IndexByte(s, 0)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(addr) + len(login))
	for i >= 0 {
		b.WriteString(s[:i])
		switch {
		case strings.HasPrefix(s[i:], standInAddress):
			b.WriteString(addr)
			s = s[i+len(standInAddress):]
		case strings.HasPrefix(s[i:], standInLogin):
			b.WriteString(login)
			s = s[i+len(standInLogin):]
		default:
			b.WriteByte(0)
			s = s[i+1:]
		}
		i = strings.IndexByte(s, 0)
	}
	b.WriteString(s)
	return b.String()
}
