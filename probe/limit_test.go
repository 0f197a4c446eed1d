package probe

import (
	"errors"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	clock := func() time.Time { return now }
	l := NewLimiter(Limits{PerUser: 2, PerTarget: 3, Window: time.Minute, MaxConcurrent: 2}, clock)

	r1, err := l.Acquire("U1", "bm.domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := l.Acquire("U2", "bm.domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	var le *LimitError
	if _, err := l.Acquire("U3", "x.example"); !errors.As(err, &le) || le.Scope != "busy" {
		t.Errorf("third concurrent check: %v", err)
	}
	r1()
	r1() // releasing twice is harmless
	r2()

	now = now.Add(10 * time.Second)
	rel, err := l.Acquire("U1", "bm.domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	rel()
	if _, err := l.Acquire("U1", "other.example"); !errors.As(err, &le) || le.Scope != "user" || le.RetrySeconds() != 50 {
		t.Errorf("user limit: %v (retry %d s)", err, le.RetrySeconds())
	}
	if _, err := l.Acquire("U9", "bm.domaine.com"); !errors.As(err, &le) || le.Scope != "target" {
		t.Errorf("target limit: %v", err)
	}
	now = now.Add(time.Minute)
	if rel, err := l.Acquire("U1", "bm.domaine.com"); err != nil {
		t.Errorf("after the window: %v", err)
	} else {
		rel()
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(Limits{MaxConcurrent: 1}, func() time.Time { return now })
	for i := range 3 * maxKeys {
		now = now.Add(time.Second)
		rel, err := l.Acquire(string(rune('a'+i%26))+time.Duration(i).String(), "t"+time.Duration(i).String())
		if err != nil {
			t.Fatal(err)
		}
		rel()
	}
	if len(l.users) > maxKeys+61 || len(l.targets) > maxKeys+61 {
		t.Errorf("%d users, %d targets kept", len(l.users), len(l.targets))
	}
}
