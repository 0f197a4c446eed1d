package store

import (
	"crypto/sha256"
	"encoding/hex"
)

// hashLen is the number of hex digits of an id's hash in a key (128
// bits: no two ids meet by chance).
const hashLen = 32

// Kinds of keys.
const (
	kindDelivery = "delivery"
	kindLimit    = "limit"
	kindPreview  = "preview"
	kindMemory   = "memory"
	// A run of refusals; the runs' index and set are this kind followed
	// by ":due" and ":apart", which no hash is.
	kindRefusal = "refusal"
	// The outcome of one call on refusals, under its token.
	kindRefusalCall = "refusal-call"
	// A slow answer in progress, and each platform's set of them.
	kindUnfinished = "unfinished"
)

// key is the key of id of a kind: prefix, kind, ":" and the first 128
// bits of id's SHA-256 in hex. Whatever id is (huge, binary, hostile),
// the key has a bounded length, holds no byte of id and never meets the
// key of another kind.
func key(prefix, kind, id string) string {
	sum := sha256.Sum256([]byte(id))
	b := make([]byte, 0, len(prefix)+len(kind)+1+hashLen)
	b = append(b, prefix...)
	b = append(b, kind...)
	b = append(b, ':')
	b = hex.AppendEncode(b, sum[:hashLen/2])
	return string(b)
}
