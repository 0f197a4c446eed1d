package slackbot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// ErrTokenRejected is wrapped by Run's error when Slack rejects a token
// (invalid_auth, not_authed, a revoked or wrong kind of token): trying
// again cannot help, so Run stops instead.
var ErrTokenRejected = errors.New("token rejected")

// rejectedCodes are Slack's answers to a token it will never accept.
var rejectedCodes = []string{"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
	"missing_scope", "not_allowed_token_type"}

// rejectedCode is the code of a token Slack rejected in err, or "".
func rejectedCode(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, s := range rejectedCodes {
		if strings.Contains(msg, s) {
			return s
		}
	}
	return ""
}

// maxBackoff bounds the wait between two attempts to reach Slack.
const maxBackoff = time.Minute

// backoff is the wait before the next attempt: first, then doubling up
// to maxBackoff.
type backoff struct{ next time.Duration }

func (b *backoff) wait() time.Duration {
	d := b.next
	b.next = min(b.next*2, maxBackoff)
	return d
}

// sleep waits d or until ctx is done, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// identify calls auth.test until it works. Whatever may pass — Slack
// unreachable, a 5xx, a 429, an internal error — is tried again with
// backoff (after Retry-After at least) while Connected reports false and
// the rest of the process serves; a rejected token is returned at once,
// wrapping ErrTokenRejected. It returns ctx's error when ctx ends first.
func (a *Adapter) identify(ctx context.Context) (*slack.AuthTestResponse, error) {
	b := backoff{next: a.opts.StartBackoff}
	for {
		r, err := a.auth.AuthTestContext(ctx)
		if err == nil {
			return r, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if code := rejectedCode(err); code != "" {
			return nil, fmt.Errorf("slack: auth.test: bot %w (%s): check the bot token", ErrTokenRejected, code)
		}
		wait := b.wait()
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			wait = min(max(wait, rl.RetryAfter), maxRetryWait)
		}
		a.opts.Logger.Warn("slack: cannot identify the bot, retrying", "err", err, "in", wait.String())
		if !sleep(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}
