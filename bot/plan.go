package bot

import (
	"context"
	"time"
)

// Plan is what the Router decided about one request, once: the intent,
// the language, the target and whether answering is slow. Adapters ask
// for a plan, say "checking…" in its language when it is slow, then
// Answer it; nothing is parsed twice. A Plan is used once.
type Plan struct {
	// Request is the request, with Parsed, Lang and Loc set.
	Request *Request
	// Slow is set when answering takes seconds (a live check).
	Slow bool

	router  *Router
	refusal error
}

// Intent is what the request asks for.
func (p *Plan) Intent() Intent { return p.Request.Parsed.Intent }

// Lang is the language of the answer.
func (p *Plan) Lang() string { return p.Request.Lang }

// Target is the address or host the request is about, as a person
// reads it, or "".
func (p *Plan) Target() string { return p.Request.Parsed.Target() }

// Form is the request as a Form, as far as a live check needs it
// asked again: the intent, the client named, the address (with its
// tag) or the host, and the problem.
func (p *Plan) Form() Form {
	parsed := p.Request.Parsed
	target := parsed.Host
	if !parsed.Address.IsZero() {
		target = parsed.Address.String()
	}
	return Form{Intent: parsed.Intent, Client: string(parsed.Client), Target: target, Symptom: string(parsed.Symptom)}
}

// Answer runs the plan and returns the reply; it always returns one. It
// runs on the router that made the plan, or, when that router has been
// retired and released since (see Router.Retire), on the one that
// replaced it.
func (p *Plan) Answer(ctx context.Context) *Reply {
	start := time.Now()
	rt := p.router.enter()
	defer rt.leave()
	reply := rt.answer(ctx, p)
	if o := rt.opts.Observer; o != nil {
		o.Answered(p.Request.Platform, p.Intent(), reply, time.Since(start))
	}
	return reply
}
