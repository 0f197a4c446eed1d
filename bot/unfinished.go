package bot

import "context"

// Unfinished is a slow answer in progress (a live check), as much of it
// as another replica needs to give the answer should this one die: the
// delivery it answers, where its "checking…" message is, and the
// request as a Form — never the message's text.
type Unfinished struct {
	Platform string `json:"platform"`
	// Delivery is the id the delivery was claimed with (Deliveries):
	// the replica taking the answer over claims it first, so that a
	// delivery answered meanwhile (sent again, taken over another way)
	// is not answered twice.
	Delivery string `json:"delivery"`
	// Channel, Thread and Message say where the answer goes: Message
	// is the "checking…" message it replaces.
	Channel string `json:"channel"`
	Thread  string `json:"thread,omitempty"`
	Message string `json:"message"`
	User    string `json:"user"`
	Lang    string `json:"lang"`
	Form    Form   `json:"form"`
}

// Orphan is an Unfinished answer whose replica stopped renewing it,
// taken over by the caller of Journal.Orphans: it is now the caller's,
// renewed until End, exactly as if the caller had begun it.
type Orphan struct {
	Unfinished
	// End is Begin's end: End(true) once the answer is out; End(false)
	// leaves it to be taken over again when its lease runs out.
	End func(finished bool)
}

// Journal keeps the slow answers in progress for replicas sharing a
// store: one whose process dies while answering (after the platform was
// told the delivery arrived, so that it will not send it again) is
// handed to another replica, which gives the answer in its place.
type Journal interface {
	// Begin records u as being answered by this process, renewed
	// until end is called: end(true) once the answer is out removes
	// it; end(false) (the answer was cut short) leaves it to be taken
	// over once its lease runs out, as when the process dies.
	Begin(ctx context.Context, u Unfinished) (end func(finished bool))
	// Orphans takes over the unfinished answers of platform whose
	// replica stopped renewing them: each is leased to one caller,
	// which must End it.
	Orphans(ctx context.Context, platform string) []Orphan
}
