package bot

import "time"

// Observer is told about every answer, for metrics. Implementations must
// be safe for concurrent use and must not keep the request text.
type Observer interface {
	// Answered reports one answer: the platform, the intent, the reply's
	// code ("" for a normal answer) and how long it took; reply is the
	// answer itself (its Check may carry a report).
	Answered(platform string, intent Intent, reply *Reply, took time.Duration)
}
