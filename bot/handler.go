package bot

import "context"

// A Handler answers one kind of request.
//
// Handle returns a structured Reply in req.Lang, using req.Loc for every
// string a person will read. It must not format for a platform nor echo
// req.Text. ctx is cancelled at the platform's deadline; a handler doing
// I/O must honour it. An error is turned into a localized answer by the
// Router: return an *Error to choose what the user reads, any other error
// is reported as an internal error and logged without the message text.
// A panic is recovered by the Router and treated as an internal error.
type Handler interface {
	Handle(ctx context.Context, req *Request) (*Reply, error)
}

// HandlerFunc adapts a function to the Handler interface.
type HandlerFunc func(ctx context.Context, req *Request) (*Reply, error)

// Handle calls f(ctx, req).
func (f HandlerFunc) Handle(ctx context.Context, req *Request) (*Reply, error) {
	return f(ctx, req)
}

// Localizer translates message IDs into one language.
type Localizer interface {
	// Lang is the language of the text this Localizer returns.
	Lang() string
	// Text returns the message id filled with data (may be nil).
	Text(id string, data map[string]any) string
	// Plural returns the plural form of message id for count; data gets a
	// Count field set to count.
	Plural(id string, count int, data map[string]any) string
}

// Translator gives the Localizer of each language mailhelp speaks.
type Translator interface {
	// For returns the Localizer of lang, or of the fallback language when
	// lang is not one of Languages.
	For(lang string) Localizer
	// Languages lists the languages there are messages for, the fallback
	// first.
	Languages() Languages
}
