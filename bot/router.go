package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
)

// RouterOptions configures a Router. The zero value of each optional field
// means its default.
type RouterOptions struct {
	// Translator gives the localizer of each language, and the list of
	// languages. Required.
	Translator Translator
	// Parser understands request texts and forms. Required.
	Parser Parser
	// DefaultLang answers requests whose language cannot be told; English
	// when empty or not one of the Translator's languages.
	DefaultLang string
	// DomainLang returns the configured language of the domain a request
	// is about, or "". Optional.
	DomainLang func(Parsed) string
	// Logger receives errors and panics, never message text. Default:
	// slog.Default().
	Logger *slog.Logger
	// Observer is told about every answer (metrics). Optional.
	Observer Observer
	// PublicURL is the web side's public address; when set, every answer
	// that has a permalink (see Permalink) links to it. Optional.
	PublicURL string
	// Memory keeps what each conversation was last about, so that a
	// follow-up is understood with it. Optional: nil forgets everything.
	Memory Memory
}

// Route is an intent's handler and what adapters need to know of it
// before it runs.
type Route struct {
	Handler Handler
	// Slow, when set, says whether answering a request takes seconds (a
	// live check): adapters then acknowledge first ("checking…") and
	// bound how many run at once. Nil means never.
	Slow func(Parsed) bool
}

// Router plans requests (intent, language, target, slow or not), hands
// them to the handler of their intent, and turns every error into a
// localized answer. It is safe for concurrent use once set up.
type Router struct {
	opts   RouterOptions
	langs  Languages
	routes map[Intent]Route
	life   lifetime
}

// lifetime counts the answers running on a Router and, once it is
// retired, releases what it holds when the last of them returns.
type lifetime struct {
	mu      sync.Mutex
	running int
	retired bool
	closed  bool // retired and idle: idle has been called
	next    *Router
	idle    func()
}

// Retire tells r that next answers in its place from now on (a
// configuration reload). Answers already running on r finish on it, and
// idle is called once, when none is left running: at once when none is,
// else by the last of them as it returns. A plan made on r whose answer
// starts after that is answered by next (or by the router that replaced
// next, and so on); with no next, r keeps answering. Only the first
// call has an effect; idle may be nil.
func (r *Router) Retire(next *Router, idle func()) {
	r.life.mu.Lock()
	if r.life.retired {
		r.life.mu.Unlock()
		return
	}
	r.life.retired, r.life.next = true, next
	if r.life.running > 0 {
		r.life.idle = idle
		idle = nil
	} else {
		r.life.closed = true
	}
	r.life.mu.Unlock()
	if idle != nil {
		idle()
	}
}

// enter counts an answer starting on r, or on the router that replaced
// r once r is closed, and returns the router that counted it.
func (r *Router) enter() *Router {
	rt := r
	for {
		rt.life.mu.Lock()
		next := rt.life.next
		if !rt.life.closed || next == nil {
			rt.life.running++
			rt.life.mu.Unlock()
			return rt
		}
		rt.life.mu.Unlock()
		rt = next
	}
}

// leave counts an answer ending on r, releasing a retired r that it
// leaves idle.
func (r *Router) leave() {
	r.life.mu.Lock()
	r.life.running--
	var idle func()
	if r.life.retired && !r.life.closed && r.life.running == 0 {
		r.life.closed = true
		idle, r.life.idle = r.life.idle, nil
	}
	r.life.mu.Unlock()
	if idle != nil {
		idle()
	}
}

// NewRouter returns a Router with no handlers. It does no I/O.
func NewRouter(opts RouterOptions) *Router {
	langs := opts.Translator.Languages()
	if !langs.Has(opts.DefaultLang) {
		opts.DefaultLang = LangEnglish
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Router{opts: opts, langs: langs, routes: make(map[Intent]Route)}
}

// Handle registers a quick handler for an intent, replacing any earlier
// one. Call it before serving.
func (r *Router) Handle(intent Intent, h Handler) { r.Route(intent, Route{Handler: h}) }

// Route registers an intent's route, replacing any earlier one. Call it
// before serving.
func (r *Router) Route(intent Intent, rt Route) { r.routes[intent] = rt }

// Languages are the languages the Router answers in, the fallback first.
func (r *Router) Languages() Languages { return r.langs }

// Clients lists the clients a person may name, for pickers.
func (r *Router) Clients() []ClientName { return r.opts.Parser.Clients() }

// Serve answers a request: Plan, then Answer. It always returns a Reply:
// refusals and errors are answers too, with Reply.Code set.
func (r *Router) Serve(ctx context.Context, req *Request) *Reply {
	return r.Plan(ctx, req).Answer(ctx)
}

// Plan reads a request once: its text is parsed (or its Form validated),
// its language chosen, and what adapters need before answering is set.
// Its only I/O is recalling the conversation's context from the Memory,
// bounded by ctx and the Memory's own timeout.
func (r *Router) Plan(ctx context.Context, req *Request) *Plan {
	p := &Plan{Request: req, router: r}
	if req.Form != nil {
		parsed, err := r.opts.Parser.Form(*req.Form)
		req.Parsed = parsed
		if err != nil {
			p.refusal = err
		}
	} else if prev, ok := r.recall(ctx, req); ok {
		req.Parsed = r.opts.Parser.Continue(req.Text, prev)
	} else {
		req.Parsed = r.opts.Parser.Parse(req.Text)
	}
	req.Lang = r.language(req)
	req.Loc = r.opts.Translator.For(req.Lang)
	if n := max(req.Size, len(req.Text)); n > MaxTextBytes {
		count := n // only a refused request's size escapes
		p.refusal = &Error{Kind: KindInvalidInput, Code: CodeTooLong, MsgID: "error.too_long",
			Count: &count, Data: map[string]any{"Max": MaxTextBytes}}
	}
	if rt, ok := r.routes[req.Parsed.Intent]; ok && p.refusal == nil && rt.Slow != nil {
		p.Slow = rt.Slow(req.Parsed)
	}
	return p
}

// memoryKey names a request's conversation for one user; "" when the
// platform gives no conversation or no user.
func memoryKey(req *Request) string {
	return ConversationKey(req.Platform, req.Conversation, req.UserID)
}

// recall finds the context of a request's conversation.
func (r *Router) recall(ctx context.Context, req *Request) (Context, bool) {
	key := memoryKey(req)
	if key == "" || r.opts.Memory == nil {
		return Context{}, false
	}
	return r.opts.Memory.Recall(ctx, key)
}

// remember keeps what an answered request was about, for a follow-up;
// help, thanks and refusals leave the previous context as it was.
func (r *Router) remember(ctx context.Context, req *Request, reply *Reply) {
	key := memoryKey(req)
	if key == "" || r.opts.Memory == nil || reply.Code != "" {
		return
	}
	p := req.Parsed
	switch p.Intent {
	case IntentConfigure, IntentCheck, IntentPorts, IntentTroubleshoot:
		r.opts.Memory.Remember(ctx, key, Context{Intent: p.Intent, Client: p.Client, Address: p.Address,
			Host: p.Host, Symptom: p.Symptom, Topic: p.Topic})
	}
}

// answer runs a plan: the handler of its intent, or its refusal.
func (r *Router) answer(ctx context.Context, p *Plan) *Reply {
	req := p.Request
	if p.refusal != nil {
		return r.errorReply(req, p.refusal)
	}
	rt, ok := r.routes[req.Parsed.Intent]
	if !ok {
		return r.errorReply(req, fmt.Errorf("router: no handler for intent %q", req.Parsed.Intent))
	}
	reply, err := r.call(ctx, rt.Handler, req)
	if err != nil {
		return r.errorReply(req, err)
	}
	if reply == nil {
		return r.errorReply(req, errors.New("router: handler returned no reply"))
	}
	if reply.Intent == "" {
		reply.Intent = req.Parsed.Intent
	}
	reply.Lang = req.Lang
	r.remember(ctx, req, reply)
	if link := ProfileLink(r.opts.PublicURL, reply); link != "" {
		reply.Links = append([]Link{{Label: req.Loc.Text("link.profile", nil), URL: link}}, reply.Links...)
	}
	if link := Permalink(r.opts.PublicURL, reply); link != "" {
		reply.Links = append(reply.Links, Link{Label: req.Loc.Text("link.permalink", nil), URL: link})
	}
	return reply
}

// call runs the handler, turning a panic into an error.
func (r *Router) call(ctx context.Context, h Handler, req *Request) (reply *Reply, err error) {
	defer func() {
		if v := recover(); v != nil {
			r.opts.Logger.Error("handler panic", "intent", string(req.Parsed.Intent),
				"platform", req.Platform, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			reply, err = nil, &Error{Kind: KindInternal, Code: CodeInternal, MsgID: "error.internal"}
		}
	}()
	return h.Handle(ctx, req)
}

// language picks the answer language: forced by the caller, asked for in
// the text, detected from the text, the platform locale, the domain's
// configured language, then the default.
func (r *Router) language(req *Request) string {
	if l := r.langs.Match(req.ForceLang); l != "" {
		return l
	}
	if r.langs.Has(req.Parsed.Lang) {
		return req.Parsed.Lang
	}
	if l := r.langs.Match(req.LocaleHint); l != "" {
		return l
	}
	if r.opts.DomainLang != nil {
		if l := r.langs.Match(r.opts.DomainLang(req.Parsed)); l != "" {
			return l
		}
	}
	return r.opts.DefaultLang
}

// errorReply turns an error into a localized answer.
func (r *Router) errorReply(req *Request, err error) *Reply {
	var e *Error
	if !errors.As(err, &e) {
		r.opts.Logger.Error("request failed", "intent", string(req.Parsed.Intent),
			"platform", req.Platform, "err", err)
		e = &Error{Kind: KindInternal, Code: CodeInternal, MsgID: "error.internal"}
	} else if e.Kind == KindInternal && e.Err != nil {
		r.opts.Logger.Error("request failed", "intent", string(req.Parsed.Intent),
			"platform", req.Platform, "code", e.Code, "err", e.Err)
	}
	title := ""
	if e.Count != nil {
		title = req.Loc.Plural(e.MsgID, *e.Count, e.Data)
	} else {
		title = req.Loc.Text(e.MsgID, e.Data)
	}
	return &Reply{Intent: req.Parsed.Intent, Lang: req.Lang, Code: e.Code, Title: title, RetryAfter: e.RetryAfter}
}
