//go:build !unix

package loadgen

import "time"

// cpuTime is unknown here.
func cpuTime() time.Duration { return 0 }
