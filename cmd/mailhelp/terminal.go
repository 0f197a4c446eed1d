package main

import "io"

// fder is what a reader backed by a file descriptor offers (*os.File).
type fder interface{ Fd() uintptr }

// isTerminal reports whether r is a terminal (a person may answer
// questions there), not a pipe, a file or /dev/null.
func isTerminal(r io.Reader) bool {
	f, ok := r.(fder)
	return ok && isTerminalFd(f.Fd())
}
