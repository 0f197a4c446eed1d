package bot

import (
	"context"
	"testing"
	"time"
)

// TestLocalDeliveries: a delivery is claimed once; a repeat while it is
// handled is Busy, after it Handled; given up on, it may be claimed
// again.
func TestLocalDeliveries(t *testing.T) {
	ctx := context.Background()
	d := NewLocalDeliveries(time.Minute, 10)
	done, st := d.Claim(ctx, "a")
	if st != Claimed {
		t.Fatalf("first claim: %v", st)
	}
	if _, st := d.Claim(ctx, "a"); st != Busy {
		t.Fatalf("a repeat while it is handled: %v, want Busy", st)
	}
	done(false)
	done, st = d.Claim(ctx, "a")
	if st != Claimed {
		t.Fatalf("a delivery given up on cannot be claimed again: %v", st)
	}
	done(true)
	done(true) // once only
	if _, st := d.Claim(ctx, "a"); st != Handled {
		t.Fatalf("a handled delivery: %v, want Handled", st)
	}
	if _, st := d.Claim(ctx, "b"); st != Claimed {
		t.Fatal("another delivery refused")
	}
}
