package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Config is how to reach Slack. Secrets come from the environment.
type Config struct {
	// BotToken (xoxb-…) is the bot's Web API token. Required.
	BotToken string
	// AppToken (xapp-…) turns on Socket Mode.
	AppToken string
	// SigningSecret turns on HTTP mode (see HTTPHandler). Run needs one
	// of AppToken and SigningSecret; posting alone (PostReply) needs
	// neither.
	SigningSecret string
	// APIURL replaces Slack's Web API address (tests); it may end with a
	// slash or not. Its scheme and host are also allowed for response_url,
	// beside https://hooks.slack.com.
	APIURL string
	// SocketOptions tune Socket Mode (the ping watchdog's interval).
	SocketOptions []socketmode.Option
}

// New builds an Adapter over slack-go's clients. It does no I/O: Run
// identifies the bot and connects.
func New(cfg Config, opts Options) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, errors.New("slack: a bot token is needed")
	}
	var sopts []slack.Option
	if cfg.AppToken != "" {
		sopts = append(sopts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	if cfg.APIURL != "" {
		sopts = append(sopts, slack.OptionAPIURL(strings.TrimSuffix(cfg.APIURL, "/")+"/"))
	}
	client := slack.New(cfg.BotToken, sopts...)
	a := newAdapter(client, opts)
	if cfg.APIURL != "" {
		if u, err := url.Parse(cfg.APIURL); err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http") {
			a.apiBase = u
		}
	}
	a.auth = client
	a.secret = cfg.SigningSecret
	if cfg.AppToken != "" {
		a.socket = socketmode.New(client, cfg.SocketOptions...)
	}
	return a, nil
}

// Run identifies the bot (auth.test, so that its own messages are
// ignored), then receives events until ctx is done: over Socket Mode
// when there is an app-level token, else from HTTPHandler. A Slack that
// cannot be reached, or fails, at start-up is tried again with backoff
// (Connected reports false meanwhile); only a rejected token makes Run
// return early, with an error wrapping ErrTokenRejected. When ctx is
// done it takes no new event and gives the answers under way
// Options.DrainGrace to finish.
func (a *Adapter) Run(ctx context.Context) error {
	if a.auth == nil {
		return errors.New("slack: Run needs an adapter built by New")
	}
	if a.socket == nil && a.secret == "" {
		return errors.New("slack: the bot token needs an app-level token (Socket Mode) or a signing secret (HTTP mode)")
	}
	r, err := a.identify(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before Slack could be reached
		}
		return err
	}
	a.botID.Store(r.UserID)
	a.work.start(ctx)
	defer a.work.stop(a.opts.DrainGrace)
	if a.opts.Journal != nil {
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); a.resumeOrphans(rctx) }()
		defer func() { stop(); <-done }()
	}
	if a.socket == nil {
		a.connected.Store(true) // HTTP mode: Slack calls us
		<-ctx.Done()
		return nil
	}
	return a.runSocketMode(ctx)
}

// runSocketMode receives events over Socket Mode until ctx is done. Each
// envelope is acknowledged at once (with Options.HoldAcks, an event once
// answered, within two seconds), even one slack-go cannot decode, and
// handled concurrently; duplicates (Slack retries, redeliveries after a
// reconnect) are answered once. Lost connections are reopened with
// backoff; slack-go's ping watchdog reopens a silent one.
func (a *Adapter) runSocketMode(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() {
		b := backoff{next: a.opts.StartBackoff}
		for {
			err := a.socket.RunContext(ctx)
			if ctx.Err() != nil {
				runErr <- nil
				return
			}
			if code := rejectedCode(err); code != "" {
				runErr <- fmt.Errorf("slack: Socket Mode: app-level %w (%s): check the app-level token", ErrTokenRejected, code)
				cancel()
				return
			}
			wait := b.wait()
			a.opts.Logger.Warn("slack: connection failed, retrying", "err", err, "in", wait.String())
			if !sleep(ctx, wait) {
				runErr <- nil
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return <-runErr
		case evt, ok := <-a.socket.Events:
			if !ok {
				return <-runErr
			}
			a.dispatch(ctx, a.socket, evt)
		}
	}
}

// ackWithin is how long an event may wait for its acknowledgement while
// it is answered (Options.HoldAcks): under Slack's three seconds.
const ackWithin = 2 * time.Second

// dispatch acknowledges and handles one Socket Mode event.
func (a *Adapter) dispatch(ctx context.Context, sc *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
		return
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		if ce, ok := evt.Data.(*socketmode.ConnectedEvent); ok && ce.ConnectionCount > 0 && a.opts.Reconnected != nil {
			a.opts.Reconnected()
		}
		a.opts.Logger.Info("slack: connected")
		return
	case socketmode.EventTypeErrorBadMessage:
		// Acknowledge what cannot be decoded, so Slack does not resend it.
		if bm, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(bm.Message, &env) == nil && env.EnvelopeID != "" {
				_ = sc.AckCtx(ctx, env.EnvelopeID, nil)
			}
			a.opts.Logger.Warn("slack: undecodable envelope acknowledged", "err", bm.Cause)
		}
		return
	case socketmode.EventTypeInvalidAuth:
		a.opts.Logger.Error("slack: invalid app token")
		return
	}
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	var acked sync.Once
	ack := func() {
		acked.Do(func() {
			if err := sc.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
				a.opts.Logger.Warn("slack: ack", "err", err)
			}
		})
	}
	// With HoldAcks, an event is acknowledged once it is answered (or
	// found answered), within ackWithin all the same: Slack deems an
	// envelope not acknowledged within three seconds failed. One being
	// answered elsewhere (bot.Busy) is left for Slack to send again.
	// Commands and buttons are acknowledged at once, and never sent
	// again.
	ev, isEvent := evt.Data.(slackevents.EventsAPIEvent)
	hold := a.opts.HoldAcks && isEvent && evt.Type == socketmode.EventTypeEventsAPI
	var deadline *time.Timer
	if hold {
		deadline = time.AfterFunc(ackWithin, ack)
	} else {
		ack()
	}
	a.work.Go(func(ctx context.Context) {
		switch evt.Type {
		case socketmode.EventTypeEventsAPI:
			if !isEvent {
				return
			}
			answered := a.handleEvent(ctx, ev, eventID(ev, evt.Request))
			if hold && deadline.Stop() && answered {
				ack()
			}
		case socketmode.EventTypeSlashCommand:
			if cmd, ok := evt.Data.(slack.SlashCommand); ok {
				a.HandleCommand(ctx, cmd)
			}
		case socketmode.EventTypeInteractive:
			if cb, ok := evt.Data.(slack.InteractionCallback); ok {
				a.HandleInteraction(ctx, cb)
			}
		}
	})
}

// eventID is the Events API event id, the same on every retry.
func eventID(ev slackevents.EventsAPIEvent, req *socketmode.Request) string {
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		return cb.EventID
	}
	var outer struct {
		EventID string `json:"event_id"`
	}
	if req != nil && json.Unmarshal(req.Payload, &outer) == nil && outer.EventID != "" {
		return outer.EventID
	}
	if req != nil {
		return "envelope:" + req.EnvelopeID
	}
	return ""
}
