package slackbot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxHTTPBody bounds a request from Slack; its payloads are a few KiB.
const maxHTTPBody = 256 << 10

// HTTPHandler serves Slack's HTTP mode: the Events API at /slack/events,
// slash commands at /slack/commands and interactivity at
// /slack/interactivity. Each request's signature is verified on its raw
// body (slack-go's verifier: HMAC and a timestamp at most 5 minutes old)
// before anything is parsed; a bad one is refused with no side effect.
// Valid requests are answered 200 at once and handled in the background
// by Run's drained background work. Before Run has identified the bot,
// and once it stops, requests are answered 503 so that Slack retries
// them. It is nil without a signing secret.
func (a *Adapter) HTTPHandler() http.Handler {
	if a.secret == "" {
		return nil
	}
	signingSecret := a.secret
	background := func(w http.ResponseWriter, f func(ctx context.Context)) {
		if !a.work.Go(f) {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", func(w http.ResponseWriter, r *http.Request) {
		body, ok := verified(w, r, signingSecret)
		if !ok {
			return
		}
		ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "unreadable event", http.StatusBadRequest)
			return
		}
		switch ev.Type {
		case slackevents.URLVerification:
			var ch slackevents.ChallengeResponse
			if err := json.Unmarshal(body, &ch); err != nil {
				http.Error(w, "unreadable challenge", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(ch.Challenge))
		case slackevents.CallbackEvent:
			id := ""
			if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
				id = cb.EventID
			}
			background(w, func(ctx context.Context) { a.HandleEvent(ctx, ev, id) })
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		body, ok := verified(w, r, signingSecret)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "unreadable command", http.StatusBadRequest)
			return
		}
		cmd := slack.SlashCommand{
			TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"),
			Command: form.Get("command"), Text: form.Get("text"), ResponseURL: form.Get("response_url"),
			TriggerID: form.Get("trigger_id"),
		}
		background(w, func(ctx context.Context) { a.HandleCommand(ctx, cmd) })
	})
	mux.HandleFunc("POST /slack/interactivity", func(w http.ResponseWriter, r *http.Request) {
		body, ok := verified(w, r, signingSecret)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		var cb slack.InteractionCallback
		if err == nil {
			err = json.Unmarshal([]byte(form.Get("payload")), &cb)
		}
		if err != nil {
			http.Error(w, "unreadable interaction", http.StatusBadRequest)
			return
		}
		background(w, func(ctx context.Context) { a.HandleInteraction(ctx, cb) })
	})
	return mux
}

// verified reads the bounded body and checks Slack's signature of it.
func verified(w http.ResponseWriter, r *http.Request, secret string) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxHTTPBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "unreadable body", http.StatusBadRequest)
		}
		return nil, false
	}
	sv, err := slack.NewSecretsVerifier(r.Header, secret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}
