package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// decode reads a bounded JSON body that must be exactly one object whose
// members are among fields, each at most once, spelt exactly, and each a
// string; required ones must be there. It writes the error and returns
// false otherwise: 415 unsupported_media_type, 413 body_too_large, 400
// bad_json.
func decode(w http.ResponseWriter, r *http.Request, fields, required []string) (map[string]string, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json")
			return nil, false
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is over "+strconv.Itoa(maxBody)+" bytes")
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "bad_json", "the body could not be read")
		return nil, false
	}
	obj, err := strictObject(data, fields)
	if err == nil {
		for _, f := range required {
			if _, ok := obj[f]; !ok {
				err = fmt.Errorf("%q is required", f)
				break
			}
		}
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_json", "the body is not one JSON object of "+strings.Join(fields, ", ")+": "+err.Error())
		return nil, false
	}
	return obj, true
}

// boolFields are the members that are booleans; every other is a string.
var boolFields = map[string]bool{"account": true, "send": true}

// strictObject reads data as exactly one JSON object (whitespace around
// it only) of string members named in fields, each once. encoding/json
// alone would take null, trailing data, repeated keys (the last wins)
// and keys in any case.
func strictObject(data []byte, fields []string) (map[string]string, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("it is not UTF-8")
	}
	if obj, ok := plainObject(data, fields); ok {
		return obj, nil
	}
	return tokenObject(data, fields)
}

// tokenObject is strictObject for any valid UTF-8, token by token.
func tokenObject(data []byte, fields []string) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("it is not an object")
	}
	obj := make(map[string]string, len(fields))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		key, _ := tok.(string)
		if !slices.Contains(fields, key) {
			return nil, fmt.Errorf("unknown field %q", bot.Clip(key, 40))
		}
		if _, dup := obj[key]; dup {
			return nil, fmt.Errorf("%q is given twice", key)
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		switch v := tok.(type) {
		case string:
			obj[key] = v
		case bool:
			if !boolFields[key] {
				return nil, fmt.Errorf("%q is not a string", key)
			}
			obj[key] = strconv.FormatBool(v)
		default:
			return nil, fmt.Errorf("%q is not a string", key)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("something follows the object")
	}
	return obj, nil
}

// plainObject reads the common case of strictObject's input quickly:
// one object whose members are named in fields, each once, with string
// values holding no escape and no control character (or true or false
// for boolFields). It reports false for anything else, which
// strictObject then reads (and explains) the slow way; data is valid
// UTF-8.
func plainObject(data []byte, fields []string) (map[string]string, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	obj := make(map[string]string, len(fields))
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return obj, skipSpace(data, i+1) == len(data)
	}
	for {
		key, next, ok := plainString(data, i)
		if !ok || !slices.Contains(fields, key) {
			return nil, false
		}
		if _, dup := obj[key]; dup {
			return nil, false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		i = skipSpace(data, i+1)
		if v, next, ok := plainString(data, i); ok {
			obj[key], i = v, next
		} else if boolFields[key] && bytes.HasPrefix(data[i:], []byte("true")) {
			obj[key], i = "true", i+4
		} else if boolFields[key] && bytes.HasPrefix(data[i:], []byte("false")) {
			obj[key], i = "false", i+5
		} else {
			return nil, false
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return obj, skipSpace(data, i+1) == len(data)
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string at data[i] that holds no escape and no
// control character, and returns it and the index after it.
func plainString(data []byte, i int) (string, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return string(data[i+1 : j]), j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// skipSpace skips JSON's whitespace from data[i].
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// refuseCrossSite refuses, with 403 cross_site, a request a browser sent
// from a page of another site; API clients send neither Sec-Fetch-Site
// nor Origin and are served.
func (s *Server) refuseCrossSite(w http.ResponseWriter, r *http.Request) bool {
	if !s.crossSite(r) {
		return false
	}
	writeError(w, http.StatusForbidden, "cross_site", "requests from another site's pages are refused: call the API from a program, or use this site's own pages")
	return true
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
	// Discovery is the discovery check's report, when one ran.
	Discovery any `json:"discovery,omitempty"`
}

// apiAsk answers {text, lang?} with {intent, reply, permalink}. Refusals
// (too long, rate limited) are answers too, with reply.code set.
func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) {
	if s.refuseCrossSite(w, r) {
		return
	}
	req, ok := decode(w, r, []string{"text", "lang"}, []string{"text"})
	if !ok {
		return
	}
	if langs := s.langs(); req["lang"] != "" && !langs.Has(req["lang"]) {
		writeError(w, http.StatusBadRequest, "bad_lang", "lang must be one of "+strings.Join(langs, ", "))
		return
	}
	reply := s.opts.Router.Serve(r.Context(), &bot.Request{
		Text: req["text"], ForceLang: req["lang"], Platform: "web", UserID: s.clientID(r),
	})
	resp := askResponse{Intent: reply.Intent, Symptom: reply.About.Symptom, Reply: reply, Permalink: bot.Permalink(s.baseURL(r), reply)}
	if reply.Check != nil {
		resp.Check = reply.Check
	}
	if reply.Discovery != nil {
		resp.Discovery = reply.Discovery
	}
	writeAnswer(w, &resp)
}

// codeStatus maps a reply's code to the HTTP status of a failed check.
var codeStatus = map[string]int{
	bot.CodeRateLimited: http.StatusTooManyRequests, bot.CodeNotAllowed: http.StatusForbidden,
	bot.CodeBlockedAddress: http.StatusForbidden, bot.CodeBadHost: http.StatusBadRequest, bot.CodePort: http.StatusForbidden,
	bot.CodeUnknownDomain: http.StatusNotFound, bot.CodeTooLong: http.StatusRequestEntityTooLarge,
	bot.CodeCheckFailed: http.StatusServiceUnavailable, bot.CodeInternal: http.StatusInternalServerError,
	bot.CodeBadTarget: http.StatusBadRequest, bot.CodeDiscoveryOff: http.StatusServiceUnavailable,
	bot.CodeNoDomain: http.StatusBadRequest,
}

// apiCheck runs a live check through the same path as chat (dial
// policy, rate limits) and returns the probe's report.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	s.targetAPI(w, r, targetAPI{intent: bot.IntentCheck, hostField: "host", account: true,
		badTarget: "address must be one mail address, host one bare host name or IP address (no scheme, port, path, blank or other word)",
		// Live checks turned off: the reply lists what to verify.
		otherCode: "check_disabled",
		result: func(reply *bot.Reply) any {
			if reply.Check == nil {
				return nil
			}
			return reply.Check
		}})
}

// apiDiscovery runs a discovery check of a domain ({domain} or
// {address}, whose domain is checked and which Autodiscover is asked
// about) through the same path as chat (rate limits, budget) and returns
// its report.
func (s *Server) apiDiscovery(w http.ResponseWriter, r *http.Request) {
	s.targetAPI(w, r, targetAPI{intent: bot.IntentDiscovery, hostField: "domain",
		badTarget: "address must be one mail address, domain one bare domain name",
		otherCode: bot.CodeDiscoveryOff,
		result: func(reply *bot.Reply) any {
			if reply.Discovery == nil {
				return nil
			}
			return reply.Discovery
		}})
}

// targetAPI describes an endpoint that runs one intent on an address or
// a host: {address} or {<hostField>}, and an optional lang.
type targetAPI struct {
	intent    bot.Intent
	hostField string
	// badTarget explains a target that is not bare.
	badTarget string
	// otherCode is the error code of a reply without a result and with
	// no code of codeStatus.
	otherCode string
	// result is what the reply holds to return, or nil.
	result func(*bot.Reply) any
	// account allows the account test: {"address", "password",
	// "account": true, "send"?: bool}, over HTTPS or from loopback only.
	account bool
}

// targetAPI serves one targetAPI request: same-origin only, a strict
// body, the form through the router (its dial policy and rate limits),
// then the result, or the refusal as {"error": {code, message}} with
// its status (and Retry-After when rate limited).
func (s *Server) targetAPI(w http.ResponseWriter, r *http.Request, api targetAPI) {
	if s.refuseCrossSite(w, r) {
		return
	}
	fields := []string{"address", api.hostField, "lang"}
	if api.account {
		fields = append(fields, "password", "account", "send")
	}
	req, ok := decode(w, r, fields, nil)
	if !ok {
		return
	}
	acct, ok := s.accountTest(w, r, req)
	if !ok {
		return
	}
	address, isAddress := req["address"]
	host, isHost := req[api.hostField]
	if isAddress == isHost {
		writeError(w, http.StatusBadRequest, bot.CodeBadTarget, "give exactly one of address or "+api.hostField)
		return
	}
	form := bot.Form{Intent: api.intent, Target: address, Kind: bot.TargetAddress}
	if isHost {
		form.Target, form.Kind = host, bot.TargetHost
	}
	if !bareTarget(form.Target, form.Kind) {
		writeError(w, http.StatusBadRequest, bot.CodeBadTarget, api.badTarget)
		return
	}
	lang := s.langs().Match(req["lang"])
	if req["lang"] != "" && lang == "" {
		writeError(w, http.StatusBadRequest, "bad_lang", "lang must be one of "+strings.Join(s.langs(), ", "))
		return
	}
	reply := s.opts.Router.Serve(r.Context(), &bot.Request{
		Form: &form, ForceLang: lang, Platform: "web", UserID: s.clientID(r), Account: acct,
	})
	if res := api.result(reply); res != nil {
		writeJSON(w, http.StatusOK, res)
		return
	}
	code := reply.Code
	status, ok := codeStatus[code]
	if !ok {
		code, status = api.otherCode, http.StatusServiceUnavailable
	}
	if code == bot.CodeRateLimited {
		w.Header().Set("Retry-After", strconv.Itoa(int(max(reply.RetryAfter.Round(time.Second), time.Second)/time.Second)))
	}
	writeError(w, status, code, reply.Title)
}

// accountTest reads an API request's account test: none without
// "account": true; with it, an address and a password are needed, and
// the request must have come over HTTPS — to this server, or to a trusted
// proxy that says so — or from this machine. The password is never
// echoed, logged nor kept.
func (s *Server) accountTest(w http.ResponseWriter, r *http.Request, req map[string]string) (*bot.AccountTest, bool) {
	account, send, password := req["account"], req["send"], req["password"]
	for name, v := range map[string]string{"account": account, "send": send} {
		if v != "" && v != "true" && v != "false" {
			writeError(w, http.StatusBadRequest, "bad_json", name+" must be true or false")
			return nil, false
		}
	}
	switch {
	case account != "true" && (password != "" || send == "true"):
		writeError(w, http.StatusBadRequest, "bad_json", `password and send go with "account": true`)
		return nil, false
	case account != "true":
		return nil, true
	case req["address"] == "" || password == "":
		writeError(w, http.StatusBadRequest, bot.CodeBadTarget, "the account test needs an address and its password")
		return nil, false
	case !s.secureTransport(r):
		writeError(w, http.StatusForbidden, "https_required", "the account test carries a password: call it over HTTPS (or from this machine)")
		return nil, false
	}
	return &bot.AccountTest{Password: password, Send: send == "true"}, true
}

// secureTransport reports whether the client of r reached mailhelp over
// HTTPS: r came over TLS to this server; or through a trusted proxy
// whose last X-Forwarded-Proto (the one it wrote) says https; or from
// this machine directly, without any forwarding header — a program on
// this host, not a proxy relaying someone else's plain HTTP.
func (s *Server) secureTransport(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a := peer.Addr().Unmap()
	forwarded := r.Header.Values("X-Forwarded-For") != nil || r.Header.Values("Forwarded") != nil ||
		r.Header.Values("X-Forwarded-Proto") != nil
	if s.trusted(a) {
		protos := r.Header.Values("X-Forwarded-Proto")
		if len(protos) == 0 {
			return false
		}
		last := protos[len(protos)-1]
		if i := strings.LastIndexByte(last, ','); i >= 0 {
			last = last[i+1:]
		}
		return strings.EqualFold(strings.TrimSpace(last), "https")
	}
	return a.IsLoopback() && !forwarded
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
}

func (s *Server) apiMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
}

// bareTarget reports whether t is, as given, one mail address (kind
// TargetAddress) or one bare host name or IP address (TargetHost):
// nothing around it, no blank or invisible character in it, and for a
// host no scheme, user, port, brackets or path. The parser's own rules
// (one address, a valid name) apply after this.
func bareTarget(t string, kind bot.TargetKind) bool {
	if t == "" || len(t) > maxTarget || strings.ContainsFunc(t, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
	}) {
		return false
	}
	if kind == bot.TargetAddress {
		local, domain, ok := strings.Cut(t, "@")
		return ok && local != "" && !strings.ContainsAny(local, "<>,;:\\\"()[]") && bareHost(domain)
	}
	return bareHost(t)
}

// maxTarget bounds a check's target, as the parser does.
const maxTarget = 320

// bareHost reports whether h is an IP address without a zone, or a host
// name: labels of letters, digits and hyphens between single dots (the
// parser then checks that it is a valid domain name).
func bareHost(h string) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Zone() == ""
	}
	if strings.ContainsFunc(h, func(r rune) bool {
		return !(r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r))
	}) {
		return false
	}
	return !slices.Contains(strings.Split(strings.TrimSuffix(h, "."), "."), "")
}
