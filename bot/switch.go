package bot

import (
	"context"
	"sync/atomic"
)

// Answerer answers requests; *Router and *Switch implement it. Adapters
// depend on it, not on a particular router.
type Answerer interface {
	Serve(ctx context.Context, req *Request) *Reply
}

// Switch is an Answerer whose router can be replaced while serving (a
// configuration reload): requests already answering finish on the router
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

// Serve answers with the current router.
func (s *Switch) Serve(ctx context.Context, req *Request) *Reply { return s.cur.Load().Serve(ctx, req) }

// Replace makes r the router for the requests to come.
func (s *Switch) Replace(r *Router) { s.cur.Store(r) }
