package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
)

// page is what a page shows (see html.go).
type page struct {
	Lang       string
	OtherLangs []langLink
	UI         map[string]string
	Chat       bool
	Question   string
	Answer     *answerView
	Examples   []bot.Action
	NotFound   *notFoundView
	// Confirm offers a live check that was asked for but not run: it
	// runs only from this site's own form, which posts.
	Confirm *confirmView
	// Token is the token of the page's forms (see formToken).
	Token string
}

// confirmView is the offer to run a check: the question, posted again
// with the form's token.
type confirmView struct {
	Question, Lang, Label, Token string
	// Text says what pressing the button does.
	Text  string
	Force bool
}

type answerView struct {
	Reply        *bot.Reply
	UI           map[string]string
	SettingsText string
	Permalink    string
	TicketURL    string
	// PermalinkLabel says what the link is to: an answer, or a check
	// result kept for a while.
	PermalinkLabel string
	// Question, for a chat answer, is asked again by the answer's
	// language switch, one button per other language.
	Question string
	Langs    []bot.LangChoice
	// Token is the token of the answer's forms (see formToken).
	Token string
	// Profile, for an iPhone, iPad or Mac answer, offers the account's
	// configuration profile in one tap, with a QR code of its link.
	Profile *profileView
}

// profileView is the one-tap set-up box: the profile's link, its QR
// code, and what the device will show (signed or not).
type profileView struct {
	URL    string
	QR     template.HTML
	Signed bool
}

type notFoundView struct {
	Message string
	Clients []clientLink
}

type clientLink struct{ Name, URL string }

// langLink is one entry of the pages' language switch: the same page in
// another language, named in that language.
type langLink struct{ Lang, Name, URL string }

// uiIDs are the pages' own words, by template key.
var uiIDs = map[string]string{
	"title": "web.title", "tagline": "web.tagline", "ask_label": "web.ask_label",
	"ask_placeholder": "web.ask_placeholder", "ask_button": "web.ask_button", "you": "web.you",
	"examples": "web.examples", "language": "web.language", "copy_settings": "web.copy_settings",
	"copy_link": "web.copy_link", "copied": "web.copied", "copy_failed": "web.copy_failed",
	"permalink": "web.permalink", "ticket": "web.ticket", "back": "web.back", "copy_results": "web.copy_results",
	"working": "web.working", "ticket_text": "web.ticket_text", "result_link": "web.result_link",
	"not_found_title": "web.not_found.title", "not_found_intro": "web.not_found.intro",
	"profile_title": "web.profile.title", "profile_intro": "web.profile.intro", "profile_button": "web.profile.button",
	"profile_qr": "web.profile.qr", "profile_unsigned": "web.profile.unsigned", "profile_signed": "web.profile.signed",
}

// newPage starts a page in lang; its forms' token is bound to a cookie
// set on w when r has none.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, lang string) *page {
	p := &page{Lang: lang, UI: s.uiOf(lang), Token: formToken(w, r)}
	p.OtherLangs = s.langLinks(r, lang, bot.SwitchFor(s.opts.Translator, lang).Choices)
	return p
}

// uiOf returns the pages' own words in lang. They are translated once
// per language the server speaks and shared by every page after that
// (read only): the translations do not change while it runs.
func (s *Server) uiOf(lang string) map[string]string {
	if ui, ok := s.ui.Load(lang); ok {
		return ui.(map[string]string)
	}
	loc := s.opts.Translator.For(lang)
	ui := make(map[string]string, len(uiIDs))
	for k, id := range uiIDs {
		ui[k] = loc.Text(id, nil)
	}
	if s.langs().Has(lang) { // a bounded set of keys
		s.ui.Store(lang, ui)
	}
	return ui
}

// langLinks are the addresses of the page r asked for, in lang, in each
// other language: for a permalink the language is in the path, for any
// other page in the query. The query is read once for all of them.
func (s *Server) langLinks(r *http.Request, lang string, others []bot.LangChoice) []langLink {
	links := make([]langLink, 0, len(others))
	q := r.URL.Query()
	q.Del("partial")
	if strings.Count(r.URL.Path, "/") >= 2 && s.langs().Has(r.PathValue("lang")) {
		q.Del("lang")
		query := ""
		if enc := q.Encode(); enc != "" {
			query = "?" + enc
		}
		rest := strings.TrimPrefix(r.URL.Path, "/"+lang)
		for _, c := range others {
			links = append(links, langLink{Lang: c.Lang, Name: c.Name, URL: sitePath("/"+c.Lang+rest) + query})
		}
		return links
	}
	base := sitePath(r.URL.Path) + "?"
	for _, c := range others {
		q.Set("lang", c.Lang)
		links = append(links, langLink{Lang: c.Lang, Name: c.Name, URL: base + q.Encode()})
	}
	return links
}

// sitePath makes a path from a request into a link that stays on this
// site: cleaned (so it never starts with "//", which a browser reads as
// another host), and escaped (so no backslash, which a browser reads as a
// slash, and no tab or newline, which it drops, is left raw).
func sitePath(p string) string {
	u := url.URL{Path: path.Clean("/" + p)}
	esc := u.EscapedPath()
	if !strings.HasPrefix(esc, "/") || strings.HasPrefix(esc, "//") || strings.ContainsAny(esc, "\\\t\r\n") {
		return "/"
	}
	return esc
}

// langs are the languages the pages are offered in.
func (s *Server) langs() bot.Languages { return s.opts.Translator.Languages() }

func (s *Server) answerView(r *http.Request, reply *bot.Reply, p *page) *answerView {
	v := &answerView{Reply: reply, UI: p.UI, SettingsText: settingsText(reply), PermalinkLabel: p.UI["permalink"], Token: p.Token}
	if link := bot.Permalink(s.baseURL(r), reply); link != "" {
		v.Permalink = link
		// The page shows its permalink in its own box, not twice.
		shown := *reply
		shown.Links = slices.DeleteFunc(slices.Clone(reply.Links), func(l bot.Link) bool { return l.URL == link })
		v.Reply = &shown
		if u, err := url.Parse(link); err == nil {
			u.Path += "/ticket"
			v.TicketURL = u.RequestURI()
		}
	}
	if link := bot.ProfileLink(s.baseURL(r), reply); link != "" && s.opts.Discovery != nil {
		qr, err := qrSVG(link, p.UI["profile_qr"])
		if err == nil {
			v.Profile = &profileView{URL: link, QR: qr, Signed: s.opts.ProfileSigned != nil && s.opts.ProfileSigned()}
			// The box shows the link; the list does not repeat it.
			shown := *v.Reply
			shown.Links = slices.DeleteFunc(slices.Clone(shown.Links), func(l bot.Link) bool { return l.URL == link })
			v.Reply = &shown
		}
	}
	return v
}

// settingsText is what "copy settings" copies: every settings group as
// plain "label: value" lines, real values only (no placeholder such as
// "your usual mail password").
func settingsText(r *bot.Reply) string {
	var b strings.Builder
	for _, g := range r.Settings {
		b.WriteString(render.EscapeText(g.Title))
		b.WriteString("\n")
		for _, f := range g.Fields {
			if f.Placeholder || f.Value == "" {
				continue
			}
			b.WriteString("  ")
			b.WriteString(render.EscapeText(f.Label))
			b.WriteString(": ")
			b.WriteString(render.EscapeText(f.Value))
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	b := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(b)
	b.Reset()
	p.write(b, name)
	if s.rendered != nil {
		s.rendered(name, p, b.String())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The whole page is known: its length spares chunked encoding.
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// pageBuffers are the buffers pages are written in: one page's bytes,
// reused once it is sent.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// putPageBuffer returns b to pageBuffers, unless an unusually big page
// grew it: the pool keeps only ordinary pages' buffers.
func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		pageBuffers.Put(b)
	}
}

// chat is the web chat page.
func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	lang := s.pageLang(r)
	p := s.newPage(w, r, lang)
	p.Chat = true
	conversation(w, r)
	help := s.opts.Router.Serve(r.Context(), &bot.Request{Text: "help", ForceLang: lang, Platform: "web", UserID: s.clientID(r)})
	p.Examples = help.Actions
	s.render(w, http.StatusOK, "layout", p)
}

// ask answers a question (q) as a page, or with partial=1 as a fragment
// for the chat's script: from GET /ask?q=…, or from the chat's forms,
// which POST /ask with their token. A question that would run a live
// check is only answered from a POST that comes from this site with the
// token (see crossSite and formToken); any other request for one gets
// the offer to run it, and a 403 when it came from another site.
func (s *Server) ask(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			status := http.StatusBadRequest
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				status = http.StatusRequestEntityTooLarge
			}
			http.Error(w, "the form could not be read", status)
			return
		}
		v = r.PostForm
	}
	lang := s.langOf(r, v.Get("lang"))
	q := v.Get("q")
	if strings.TrimSpace(q) == "" {
		http.Redirect(w, r, "/?lang="+lang, http.StatusSeeOther)
		return
	}
	force := v.Get("force") == "1"
	req := &bot.Request{Text: q, LocaleHint: lang, Platform: "web", UserID: s.clientID(r), Conversation: conversation(w, r)}
	if force {
		req.ForceLang = lang // the answer's language switch
	}
	plan := s.opts.Router.Plan(r.Context(), req)
	if plan.Slow {
		cross := s.crossSite(r)
		if r.Method != http.MethodPost || cross || !validToken(r, v.Get("token")) {
			status := http.StatusOK
			if cross || r.Method == http.MethodPost {
				status = http.StatusForbidden
			}
			s.offerCheck(w, r, plan, q, force, v.Get("partial") == "1", status)
			return
		}
	}
	reply := plan.Answer(r.Context())
	// The page around an answer is in the answer's language.
	p := s.newPage(w, r, reply.Lang)
	p.Question = render.EscapeText(bot.Clip(bot.Clean(q), 300))
	p.Answer = s.answerView(r, reply, p)
	p.Answer.Question = bot.Plain(q)
	p.Answer.Langs = bot.SwitchFor(s.opts.Translator, reply.Lang).Choices
	if reply.Check != nil {
		id := s.results.put(reply)
		p.Answer.Permalink = strings.TrimSuffix(s.baseURL(r), "/") + "/check/" + id
		p.Answer.TicketURL = "/check/" + id + "/ticket"
		p.Answer.PermalinkLabel = p.UI["result_link"]
		p.Answer.SettingsText = resultsText(reply)
	}
	if v.Get("partial") == "1" {
		s.render(w, http.StatusOK, "partial", p)
		return
	}
	p.Chat = true
	s.render(w, http.StatusOK, "layout", p)
}

// offerCheck answers a live check that was not run: the question, and a
// form of this site that runs it (a POST with the visitor's token).
func (s *Server) offerCheck(w http.ResponseWriter, r *http.Request, plan *bot.Plan, q string, force, partial bool, status int) {
	p := s.newPage(w, r, plan.Lang())
	p.Question = render.EscapeText(bot.Clip(bot.Clean(q), 300))
	loc := s.opts.Translator.For(plan.Lang())
	label, text := "action.check", "web.check_confirm"
	if plan.Intent() == bot.IntentDiscovery {
		label, text = "action.discovery", "web.discovery_confirm"
	}
	p.Confirm = &confirmView{Question: q, Lang: plan.Lang(), Force: force, Token: p.Token,
		Label: loc.Text(label, nil), Text: loc.Text(text, map[string]any{"Target": plan.Target()})}
	if partial {
		s.render(w, status, "partial", p)
		return
	}
	p.Chat = true
	s.render(w, status, "layout", p)
}

// permalink renders the answer for /{lang}/{client}?address=… or
// ?domain=…: the same structured reply as in chat.
func (s *Server) permalink(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("lang") == "api" {
		s.apiNotFound(w, r)
		return
	}
	reply, status, nf := s.permalinkReply(r)
	lang := r.PathValue("lang")
	if !s.langs().Has(lang) {
		lang = s.pageLang(r)
	}
	p := s.newPage(w, r, lang)
	if nf != nil {
		p.NotFound = nf
		s.render(w, status, "layout", p)
		return
	}
	p.Answer = s.answerView(r, reply, p)
	s.render(w, http.StatusOK, "layout", p)
}

// ticket is the permalink's answer as Markdown, or as plain text with
// ?format=text, for helpdesk tools.
func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	reply, status, nf := s.permalinkReply(r)
	if nf != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(nf.Message + "\n"))
		return
	}
	s.writeTicket(w, r, reply, bot.Permalink(s.baseURL(r), reply))
}

// writeTicket writes an answer as ticket text, Markdown or, with
// ?format=text, plain: without the follow-ups typed in chat (a ticket's
// reader does not chat), and ending with the answer's link.
func (s *Server) writeTicket(w http.ResponseWriter, r *http.Request, reply *bot.Reply, link string) {
	shown := *reply
	shown.Actions = nil
	shown.Links = slices.DeleteFunc(slices.Clone(reply.Links), func(l bot.Link) bool { return l.URL == link })
	text, ctype := render.Markdown(&shown), "text/markdown; charset=utf-8"
	if r.URL.Query().Get("format") == "text" {
		text, ctype = render.Text(&shown), "text/plain; charset=utf-8"
	}
	if link != "" {
		text += "\n" + link + "\n"
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write([]byte(text))
}

// permalinkReply turns a permalink into a request and answers it, or
// says why there is no such page.
func (s *Server) permalinkReply(r *http.Request) (*bot.Reply, int, *notFoundView) {
	lang := r.PathValue("lang")
	if !s.langs().Has(lang) {
		return nil, http.StatusNotFound, s.notFoundView(r, s.pageLang(r), "web.not_found.intro", nil)
	}
	q := r.URL.Query()
	form := bot.Form{Intent: bot.IntentConfigure, Client: r.PathValue("client")}
	address, domain := q.Get("address"), q.Get("domain")
	switch {
	case address != "":
		form.Target, form.Kind = address, bot.TargetAddress
	case domain != "":
		form.Target, form.Kind = domain, bot.TargetHost
	}
	reply := s.opts.Router.Serve(r.Context(), &bot.Request{Form: &form, ForceLang: lang, Platform: "web", UserID: s.clientID(r)})
	switch {
	case reply.Code == bot.CodeBadClient:
		return nil, http.StatusNotFound, s.notFoundView(r, lang, "web.not_found.client", nil)
	case reply.Code == bot.CodeBadTarget && address != "":
		return nil, http.StatusNotFound, s.notFoundView(r, lang, "web.not_found.address", nil)
	case reply.Code == bot.CodeBadTarget, domain != "" && reply.About.Domain == "":
		return nil, http.StatusNotFound, s.notFoundView(r, lang, "web.not_found.domain", map[string]any{"Domain": bot.Clip(domain, 80)})
	}
	return reply, http.StatusOK, nil
}

func (s *Server) notFoundView(r *http.Request, lang, msgID string, data map[string]any) *notFoundView {
	nf := &notFoundView{Message: s.opts.Translator.For(lang).Text(msgID, data)}
	if msgID == "web.not_found.client" {
		// The device links keep the address or domain the link had.
		query := ""
		if q := r.URL.Query(); q.Get("address") != "" || q.Get("domain") != "" {
			keep := url.Values{}
			for _, k := range []string{"address", "domain"} {
				if v := q.Get(k); v != "" {
					keep.Set(k, v)
				}
			}
			query = "?" + keep.Encode()
		}
		for _, c := range s.opts.Router.Clients() {
			nf.Clients = append(nf.Clients, clientLink{Name: c.Name, URL: "/" + lang + "/" + string(c.ID) + query})
		}
	}
	return nf
}

// notFoundPage answers every other path with a helpful 404 page.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiNotFound(w, r)
		return
	}
	if allow := s.allowed(r); allow != "" {
		w.Header().Set("Allow", allow)
		http.Error(w, "method not allowed: use "+allow, http.StatusMethodNotAllowed)
		return
	}
	lang := s.pageLang(r)
	p := s.newPage(w, r, lang)
	p.NotFound = s.notFoundView(r, lang, "web.not_found.intro", nil)
	s.render(w, http.StatusNotFound, "layout", p)
}

// routeMethods are the methods allowed asks about.
var routeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowed lists the methods that r's path has a route for, when r's
// method has none ("" when the path has no route at all): a page asked
// with another method is a 405, not a missing page.
func (s *Server) allowed(r *http.Request) string {
	var allow []string
	for _, m := range routeMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			if m == r.Method {
				return "" // a route's own "not found" (an unknown result)
			}
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

// resultsText is what "copy results" copies: the check's settings and
// verdicts, then its notes, as plain lines.
func resultsText(r *bot.Reply) string {
	var b strings.Builder
	b.WriteString(render.EscapeText(r.Title))
	b.WriteString("\n")
	b.WriteString(settingsText(r))
	for _, n := range r.Notes {
		b.WriteString("- ")
		b.WriteString(render.EscapeText(n.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// checkResult shows a kept check result, in its own language.
func (s *Server) checkResult(w http.ResponseWriter, r *http.Request) {
	reply, ok := s.results.get(r.PathValue("id"))
	if !ok {
		s.notFoundPage(w, r)
		return
	}
	p := s.newPage(w, r, reply.Lang)
	p.Answer = s.answerView(r, reply, p)
	p.Answer.Permalink = strings.TrimSuffix(s.baseURL(r), "/") + r.URL.Path
	p.Answer.TicketURL = r.URL.Path + "/ticket"
	p.Answer.PermalinkLabel = p.UI["result_link"]
	p.Answer.SettingsText = resultsText(reply)
	s.render(w, http.StatusOK, "layout", p)
}

// checkResultTicket is a kept check result as ticket text.
func (s *Server) checkResultTicket(w http.ResponseWriter, r *http.Request) {
	reply, ok := s.results.get(r.PathValue("id"))
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(s.opts.Translator.For(s.pageLang(r)).Text("web.not_found.intro", nil) + "\n"))
		return
	}
	link := strings.TrimSuffix(s.baseURL(r), "/") + strings.TrimSuffix(r.URL.Path, "/ticket")
	s.writeTicket(w, r, reply, link)
}
