package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Client is a Slack connection: slack-go's Web API client and, in Socket
// Mode, its socket client.
type Client struct {
	API    *slack.Client
	Socket *socketmode.Client
}

// NewClient builds slack-go clients for the tokens; apiURL ("" for
// Slack's) may end with a slash or not; socketOpts tune Socket Mode (the
// ping watchdog's interval, for one). It does no I/O.
func NewClient(botToken, appToken, apiURL string, socketOpts ...socketmode.Option) *Client {
	opts := []slack.Option{}
	if appToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(appToken))
	}
	if apiURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimSuffix(apiURL, "/")+"/"))
	}
	c := &Client{API: slack.New(botToken, opts...)}
	if appToken != "" {
		c.Socket = socketmode.New(c.API, socketOpts...)
	}
	return c
}

// New builds an Adapter over a slack-go client.
func New(c *Client, opts Options) *Adapter { return newAdapter(c.API, opts) }

// Identify asks Slack who the bot is (auth.test), so that its own
// messages are ignored.
func (a *Adapter) Identify(ctx context.Context, c *Client) error {
	r, err := c.API.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	a.opts.BotUserID = r.UserID
	return nil
}

// RunSocketMode receives events over Socket Mode until ctx is done. Each
// envelope is acknowledged at once, even one slack-go cannot decode, then
// handled concurrently; duplicates (Slack retries, redeliveries after a
// reconnect) are answered once. Lost connections are reopened with
// backoff; slack-go's ping watchdog reopens a silent one.
func (a *Adapter) RunSocketMode(ctx context.Context, c *Client) error {
	if c.Socket == nil {
		return errors.New("slack: Socket Mode needs an app-level token")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() {
		backoff := time.Second
		for {
			err := c.Socket.RunContext(ctx)
			if ctx.Err() != nil {
				runErr <- nil
				return
			}
			if isFatal(err) {
				runErr <- fmt.Errorf("slack: %w", err)
				cancel()
				return
			}
			a.opts.Logger.Warn("slack: connection failed, retrying", "err", err, "in", backoff.String())
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				runErr <- nil
				return
			}
			backoff = min(backoff*2, time.Minute)
		}
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return <-runErr
		case evt, ok := <-c.Socket.Events:
			if !ok {
				return <-runErr
			}
			a.dispatch(ctx, c.Socket, evt, &wg)
		}
	}
}

// dispatch acknowledges and handles one Socket Mode event.
func (a *Adapter) dispatch(ctx context.Context, sc *socketmode.Client, evt socketmode.Event, wg *sync.WaitGroup) {
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
	if err := sc.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
		a.opts.Logger.Warn("slack: ack", "err", err)
	}
	wg.Go(func() {
		switch evt.Type {
		case socketmode.EventTypeEventsAPI:
			if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
				a.HandleEvent(ctx, ev, eventID(ev, evt.Request))
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

// isFatal tells errors that retrying cannot fix.
func isFatal(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"invalid_auth", "not_authed", "account_inactive", "token_revoked", "missing_scope", "not_allowed_token_type"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
