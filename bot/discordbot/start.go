package discordbot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// ErrTokenRejected is wrapped by Run's error when Discord rejects the
// bot token (HTTP 401, or gateway close code 4004): trying again cannot
// help, so Run stops instead.
var ErrTokenRejected = errors.New("the bot token was rejected")

// maxBackoff bounds the wait between two attempts to reach Discord.
const maxBackoff = time.Minute

// startFatal is the error that ends Run for err, or nil when trying
// again may work (Discord unreachable, a 5xx, a 429).
func startFatal(what string, err error) error {
	var rest *discordgo.RESTError
	if errors.Is(err, discordgo.ErrUnauthorized) ||
		errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("discord: %s: %w (HTTP 401 Unauthorized): check the bot token", what, ErrTokenRejected)
	}
	if code := fatalClose.FindStringSubmatch(err.Error()); code != nil {
		return closedForGood(code[1])
	}
	return nil
}

// closedForGood is the error for a gateway close code no reconnect can
// fix.
func closedForGood(code string) error {
	if code == "4004" {
		return fmt.Errorf("discord: %w (gateway close 4004: authentication failed): check the bot token", ErrTokenRejected)
	}
	return errors.New("discord: the gateway closed the connection for good (close " + code + "): check the intents and the shard settings")
}

// retry runs step until it works. Whatever may pass is tried again with
// backoff, from Options.StartBackoff doubling up to a minute, while
// Connected reports false and the rest of the process serves; a
// rejected token or a fatal close code is returned at once. It returns
// ctx's error when ctx ends first.
func (b *Bot) retry(ctx context.Context, what string, step func() error) error {
	wait := b.Adapter.opts.StartBackoff
	for {
		err := step()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fatal := startFatal(what, err); fatal != nil {
			return fatal
		}
		b.Adapter.opts.Logger.Warn("discord: "+what+" failed, retrying", "err", err, "in", wait.String())
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		wait = min(wait*2, maxBackoff)
	}
}
