//go:build !race

package testbot

// raceEnabled says the tests run with the race detector.
const raceEnabled = false
