package probe

import (
	"errors"
	"testing"
	"time"
)

// TestLimiterRefund: a check refunded (it dialed nothing) no longer
// counts against its user's and its target's quota; a refund of nothing
// changes nothing.
func TestLimiterRefund(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	l := NewLimiter(Limits{PerUser: 1, PerTarget: 2}, func() time.Time { return now })
	for range 3 {
		rel, err := l.Acquire("U1", "other.example")
		if err != nil {
			t.Fatalf("after a refund: %v", err)
		}
		rel()
		l.Refund("U1", "other.example")
	}
	l.Refund("U2", "nothing.example")
	rel, err := l.Acquire("U1", "bm.domaine.com")
	if err != nil {
		t.Fatal(err)
	}
	rel()
	var le *LimitError
	if _, err := l.Acquire("U1", "bm.domaine.com"); !errors.As(err, &le) || le.Scope != "user" {
		t.Errorf("the quota is gone after refunds: %v", err)
	}
	if _, err := l.Acquire("U2", "other.example"); err != nil {
		t.Errorf("the target's quota still counts refunded checks: %v", err)
	}
}
