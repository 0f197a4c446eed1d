package render

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/probe"
)

// Answer is the JSON document of one answer: what was understood, and the
// reply.
type Answer struct {
	Intent  bot.Intent `json:"intent"`
	Client  string     `json:"client,omitempty"`
	Address string     `json:"address,omitempty"`
	Host    string     `json:"host,omitempty"`
	Symptom string     `json:"symptom,omitempty"`
	Lang    string     `json:"lang"`
	Reply   *bot.Reply `json:"reply"`
	// Check is the live check's report, when one ran.
	Check *probe.Report `json:"check,omitempty"`
	// Discovery is the discovery check's report, when one ran.
	Discovery *discovery.Report `json:"discovery,omitempty"`
}

// AnswerOf builds the JSON document of a reply.
func AnswerOf(r *bot.Reply) Answer {
	return Answer{
		Intent: r.Intent, Client: r.About.Client, Address: r.About.Address,
		Host: r.About.Host, Symptom: r.About.Symptom, Lang: r.Lang, Reply: r, Check: r.Check,
		Discovery: r.Discovery,
	}
}

// JSON renders an answer as one line of JSON. "<", ">" and "&" are
// escaped as \u003c, \u003e and \u0026, so the document is safe to embed
// in HTML too.
func JSON(a Answer) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("render json: %w", err)
	}
	return buf.Bytes(), nil
}
