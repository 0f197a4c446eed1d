//go:build race

package testbot

// raceEnabled says the tests run with the race detector, so that the
// mailhelp processes they start are built with it too (and reuse the
// packages already compiled for the tests).
const raceEnabled = true
