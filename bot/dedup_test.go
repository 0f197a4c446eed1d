package bot

import (
	"context"
	"testing"
	"time"
)

// TestLocalDeliveries: a delivery is claimed once; given up on, it may
// be claimed again; handled, its repeats are dropped.
func TestLocalDeliveries(t *testing.T) {
	ctx := context.Background()
	d := NewLocalDeliveries(time.Minute, 10)
	done, ok := d.Claim(ctx, "a")
	if !ok {
		t.Fatal("first claim refused")
	}
	if _, ok := d.Claim(ctx, "a"); ok {
		t.Fatal("second claim of a delivery being handled accepted")
	}
	done(false)
	done, ok = d.Claim(ctx, "a")
	if !ok {
		t.Fatal("a delivery given up on cannot be claimed again")
	}
	done(true)
	if _, ok := d.Claim(ctx, "a"); ok {
		t.Fatal("a handled delivery claimed again")
	}
	if _, ok := d.Claim(ctx, "b"); !ok {
		t.Fatal("another delivery refused")
	}
}
