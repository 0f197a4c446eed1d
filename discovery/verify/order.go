package verify

import (
	"context"

	"github.com/mailhelp/mailhelp/discovery"
)

// inClientOrder fetches the sources of one kind concurrently but judges
// them in the order clients try them: the first that is read wins, and
// the later ones are skipped (their fetches are cancelled). Sources
// clients would reach only after one that failed are still reported, as
// clients move on to them.
func inClientOrder(ctx context.Context, n int, fetch func(ctx context.Context, i int) result) []result {
	type done struct {
		i int
		r result
	}
	ch := make(chan done, n)
	cancels := make([]context.CancelFunc, n)
	for i := range n {
		fctx, cancel := context.WithCancel(ctx)
		cancels[i] = cancel
		go func() { ch <- done{i, fetch(fctx, i)} }()
	}
	defer func() {
		for _, cancel := range cancels {
			cancel()
		}
	}()
	out := make([]result, n)
	got := make([]bool, n)
	for range n {
		d := <-ch
		out[d.i], got[d.i] = d.r, true
		// Once every source before a read one is known, the later ones
		// no longer matter.
		for i := 0; i < n && got[i]; i++ {
			if out[i].read {
				for j := i + 1; j < n; j++ {
					cancels[j]()
				}
				break
			}
		}
	}
	winner := false
	for i := range out {
		if winner {
			out[i].skip()
			continue
		}
		winner = out[i].read
	}
	return out
}

// fromAnswer turns a fetch that got no usable body into the source's
// result; it reports false when there is a body to read.
func fromAnswer(res *result, a answer) bool {
	if a.problem == nil {
		return false
	}
	switch {
	case a.missing:
		res.src.Status = discovery.StatusMissing
		res.add(*a.problem)
	default:
		res.failed(*a.problem)
		res.refused = a.refused
	}
	return true
}
