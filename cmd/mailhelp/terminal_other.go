//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly && !windows

package main

// isTerminalFd reports false where terminals are not recognised: every
// answer must then come as a flag.
func isTerminalFd(fd uintptr) bool { return false }
