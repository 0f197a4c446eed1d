package store

import (
	"strings"
	"testing"
)

// FuzzKey: any id gives a key of bounded length, the same each time,
// holding no byte of the id beyond the prefix and kind, and the kinds'
// keys never meet.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"", "slack:event:Ev01", "discord:int:123", "\x00\xff", strings.Repeat("U", 1<<16), "limit:check:user:x", "\r\nSET x y\r\n"} {
		f.Add(s, s+"!")
	}
	kinds := []string{kindDelivery, kindLimit, kindLimit + ":check:user", kindLimit + ":check:target", kindLimit + ":check", kindLimit + ":account:user"}
	f.Fuzz(func(t *testing.T, id, other string) {
		seen := map[string]string{}
		for _, kind := range kinds {
			k := key(DefaultPrefix, kind, id)
			if want := len(DefaultPrefix) + len(kind) + 1 + hashLen; len(k) != want {
				t.Fatalf("%s: length %d, want %d", kind, len(k), want)
			}
			if k != key(DefaultPrefix, kind, id) {
				t.Fatalf("%s: not deterministic", kind)
			}
			if !strings.HasPrefix(k, DefaultPrefix+kind+":") {
				t.Fatalf("%s: key %q", kind, k)
			}
			if strings.Trim(k[len(k)-hashLen:], "0123456789abcdef") != "" {
				t.Fatalf("%s: key %q does not end in hex", kind, k)
			}
			if prev, ok := seen[k]; ok {
				t.Fatalf("kinds %s and %s give the same key %q", prev, kind, k)
			}
			seen[k] = kind
			if id != other && k == key(DefaultPrefix, kind, other) {
				t.Fatalf("%s: ids %q and %q give the same key", kind, id, other)
			}
		}
	})
}
