package web

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mailhelp/mailhelp/bot"
)

// apiError is every error of the JSON API: a stable code and a message.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, msg
	writeJSON(w, status, e)
}

// decode reads a bounded JSON body into v, refusing unknown fields.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over "+strconv.Itoa(maxBody)+" bytes")
			return false
		}
		writeError(w, http.StatusBadRequest, "bad_json", "the body is not the expected JSON object")
		return false
	}
	return true
}

// askRequest is the body of POST /api/v1/ask.
type askRequest struct {
	Text string `json:"text"`
	Lang string `json:"lang,omitempty"`
}

// askResponse is its answer.
type askResponse struct {
	Intent bot.Intent `json:"intent"`
	// Symptom is the problem of a troubleshoot answer.
	Symptom   string     `json:"symptom,omitempty"`
	Reply     *bot.Reply `json:"reply"`
	Permalink string     `json:"permalink,omitempty"`
	// Check is the live check's report, when one ran.
	Check any `json:"check,omitempty"`
}

// apiAsk answers {text, lang?} with {intent, reply, permalink}. Refusals
// (too long, rate limited) are answers too, with reply.code set.
func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) {
	var req askRequest
	if !decode(w, r, &req) {
		return
	}
	if langs := s.langs(); req.Lang != "" && !langs.Has(req.Lang) {
		writeError(w, http.StatusBadRequest, "bad_lang", "lang must be one of "+strings.Join(langs, ", "))
		return
	}
	reply := s.opts.Router.Serve(r.Context(), &bot.Request{
		Text: req.Text, ForceLang: req.Lang, Platform: "web", UserID: clientID(r),
	})
	resp := askResponse{Intent: reply.Intent, Symptom: reply.About.Symptom, Reply: reply, Permalink: bot.Permalink(s.baseURL(r), reply)}
	if reply.Check != nil {
		resp.Check = reply.Check
	}
	writeJSON(w, http.StatusOK, resp)
}

// checkRequest is the body of POST /api/v1/check: one of the two.
type checkRequest struct {
	Address string `json:"address,omitempty"`
	Host    string `json:"host,omitempty"`
	Lang    string `json:"lang,omitempty"`
}

// codeStatus maps a reply's code to the HTTP status of a failed check.
var codeStatus = map[string]int{
	bot.CodeRateLimited: http.StatusTooManyRequests, bot.CodeNotAllowed: http.StatusForbidden,
	bot.CodeBlockedAddress: http.StatusForbidden, bot.CodeBadHost: http.StatusBadRequest, bot.CodePort: http.StatusForbidden,
	bot.CodeUnknownDomain: http.StatusNotFound, bot.CodeTooLong: http.StatusRequestEntityTooLarge,
	bot.CodeCheckFailed: http.StatusServiceUnavailable, bot.CodeInternal: http.StatusInternalServerError,
	bot.CodeBadTarget: http.StatusBadRequest,
}

// apiCheck runs a live check through the same path as chat (dial
// policy, rate limits) and returns the probe's report.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	var req checkRequest
	if !decode(w, r, &req) {
		return
	}
	if (req.Address == "") == (req.Host == "") {
		writeError(w, http.StatusBadRequest, bot.CodeBadTarget, "give exactly one of address or host")
		return
	}
	form := bot.Form{Intent: bot.IntentCheck, Target: req.Address, Kind: bot.TargetAddress}
	if req.Host != "" {
		form.Target, form.Kind = req.Host, bot.TargetHost
	}
	reply := s.opts.Router.Serve(r.Context(), &bot.Request{
		Form: &form, ForceLang: s.langs().Match(req.Lang), Platform: "web", UserID: clientID(r),
	})
	if reply.Check != nil {
		writeJSON(w, http.StatusOK, reply.Check)
		return
	}
	code := reply.Code
	status, ok := codeStatus[code]
	if !ok {
		// Live checks are turned off: the reply lists what to verify.
		code, status = "check_disabled", http.StatusServiceUnavailable
	}
	if code == bot.CodeRateLimited {
		w.Header().Set("Retry-After", strconv.Itoa(int(max(reply.RetryAfter.Round(time.Second), time.Second)/time.Second)))
	}
	writeError(w, status, code, reply.Title)
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
}

func (s *Server) apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
}
