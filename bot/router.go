package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// RouterOptions configures a Router. The zero value of each optional field
// means its default.
type RouterOptions struct {
	// Translator gives the localizer of each language. Required.
	Translator Translator
	// DefaultLang answers requests whose language cannot be told; "en"
	// when empty.
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
}

// Router parses requests, picks their language, dispatches them to the
// handler of their intent through the middleware, and turns every error
// into a localized answer. It is safe for concurrent use once set up.
type Router struct {
	opts       RouterOptions
	handlers   map[Intent]Handler
	middleware []Middleware
}

// NewRouter returns a Router with no handlers. It does no I/O.
func NewRouter(opts RouterOptions) *Router {
	if opts.DefaultLang == "" || !Supported(opts.DefaultLang) {
		opts.DefaultLang = LangEnglish
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Router{opts: opts, handlers: make(map[Intent]Handler)}
}

// Handle registers the handler of an intent, replacing any earlier one.
// Call it before serving.
func (r *Router) Handle(intent Intent, h Handler) { r.handlers[intent] = h }

// Use appends middleware; the first added is the outermost. Call it before
// serving.
func (r *Router) Use(mw ...Middleware) { r.middleware = append(r.middleware, mw...) }

// Serve answers a request. It always returns a Reply: refusals and errors
// are answers too, with Reply.Code set.
func (r *Router) Serve(ctx context.Context, req *Request) *Reply {
	start := time.Now()
	reply := r.serve(ctx, req)
	if r.opts.Observer != nil {
		r.opts.Observer.Answered(req.Platform, req.Parsed.Intent, reply, time.Since(start))
	}
	return reply
}

func (r *Router) serve(ctx context.Context, req *Request) *Reply {
	req.Parsed = Parse(req.Text)
	req.Lang = r.language(req)
	req.Loc = r.opts.Translator.For(req.Lang)

	if n := max(req.Size, len(req.Text)); n > MaxTextBytes {
		return r.errorReply(req, &Error{
			Kind: KindInvalidInput, Code: "too_long", MsgID: "error.too_long",
			Count: &n, Data: map[string]any{"Max": MaxTextBytes},
		})
	}
	h, ok := r.handlers[req.Parsed.Intent]
	if !ok {
		return r.errorReply(req, fmt.Errorf("router: no handler for intent %q", req.Parsed.Intent))
	}
	for i := len(r.middleware) - 1; i >= 0; i-- {
		h = r.middleware[i](h)
	}
	reply, err := r.call(ctx, h, req)
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
			reply, err = nil, &Error{Kind: KindInternal, Code: "internal", MsgID: "error.internal"}
		}
	}()
	return h.Handle(ctx, req)
}

// language picks the answer language: forced by the caller, asked for in
// the text, detected from the text, the platform locale, the domain's
// configured language, then the default.
func (r *Router) language(req *Request) string {
	if l := NormalizeLang(req.ForceLang); l != "" {
		return l
	}
	if req.Parsed.Lang != "" {
		return req.Parsed.Lang
	}
	if l := NormalizeLang(req.LocaleHint); l != "" {
		return l
	}
	if r.opts.DomainLang != nil {
		if l := NormalizeLang(r.opts.DomainLang(req.Parsed)); l != "" {
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
		e = &Error{Kind: KindInternal, Code: "internal", MsgID: "error.internal"}
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
	return &Reply{Intent: req.Parsed.Intent, Lang: req.Lang, Code: e.Code, Title: title}
}
