package bot

import (
	"context"
	"time"
)

// Resumable reports whether another replica can give the plan's answer
// should this one die (Journal): a live check with its target.
// Discovery is an admin's, asked again.
func (p *Plan) Resumable() bool {
	return resumableIntent(p.Intent()) && p.Target() != ""
}

func resumableIntent(in Intent) bool { return in == IntentCheck || in == IntentTroubleshoot }

// PollOrphans asks j every period for platform's orphans and hands each
// to take, which must End it, until ctx is done.
func PollOrphans(ctx context.Context, j Journal, platform string, every time.Duration, take func(Orphan)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, o := range j.Orphans(ctx, platform) {
			take(o)
		}
	}
}

// TakeOver claims an orphan's delivery through d before its answer is
// given again: ok, with done to call once it is out, when it is this
// process's to give. Otherwise the orphan is ended — dropped when the
// delivery was answered meanwhile (sent again, or taken over another
// way) or cannot be resumed, left for later when it is being answered.
func TakeOver(ctx context.Context, d Deliveries, o Orphan) (done func(handled bool), ok bool) {
	if !resumableIntent(o.Form.Intent) || o.Form.Target == "" || o.Delivery == "" {
		o.End(true)
		return nil, false
	}
	done, st := d.Claim(ctx, o.Delivery)
	switch st {
	case Handled:
		o.End(true)
		return nil, false
	case Busy:
		o.End(false)
		return nil, false
	}
	return done, true
}
