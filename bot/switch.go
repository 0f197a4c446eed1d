package bot

import (
	"context"
	"sync/atomic"
)

// Answerer plans and answers requests; *Router and *Switch implement it.
// Adapters depend on it, not on a particular router.
type Answerer interface {
	// Plan reads a request once (see Router.Plan).
	Plan(ctx context.Context, req *Request) *Plan
	// Serve plans and answers a request in one call.
	Serve(ctx context.Context, req *Request) *Reply
	// Clients lists the clients a person may name, for pickers.
	Clients() []ClientName
}

// Switch is an Answerer whose router can be replaced while serving (a
// configuration reload): requests already planned finish on the router
// they started with; later ones use the new one. Nothing disconnects.
type Switch struct {
	cur atomic.Pointer[Router]
}

// NewSwitch returns a Switch serving r.
func NewSwitch(r *Router) *Switch {
	s := &Switch{}
	s.cur.Store(r)
	return s
}

// Plan plans with the current router.
func (s *Switch) Plan(ctx context.Context, req *Request) *Plan { return s.cur.Load().Plan(ctx, req) }

// Serve answers with the current router.
func (s *Switch) Serve(ctx context.Context, req *Request) *Reply { return s.cur.Load().Serve(ctx, req) }

// Clients lists the current router's clients.
func (s *Switch) Clients() []ClientName { return s.cur.Load().Clients() }

// Replace makes r the router for the requests to come.
func (s *Switch) Replace(r *Router) { s.cur.Store(r) }

// Router returns the current router.
func (s *Switch) Router() *Router { return s.cur.Load() }
