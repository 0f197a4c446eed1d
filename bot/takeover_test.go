package bot

import (
	"context"
	"testing"
	"time"
)

// TestTakeOver: an orphan is given again only when its delivery is
// claimed here; answered elsewhere, or not a check, it is dropped
// (ended finished); being answered, it is left for later (ended
// unfinished).
func TestTakeOver(t *testing.T) {
	check := Unfinished{Delivery: "slack:event:E1", Form: Form{Intent: IntentCheck, Target: "bm.domaine.com"}}
	for _, tc := range []struct {
		name    string
		u       Unfinished
		state   func(d *LocalDeliveries) // before the takeover
		wantOK  bool
		wantEnd string // "", "finished", "left"
	}{
		{"claimed", check, func(*LocalDeliveries) {}, true, ""},
		{"answered meanwhile", check, func(d *LocalDeliveries) {
			done, _ := d.Claim(context.Background(), "slack:event:E1")
			done(true)
		}, false, "finished"},
		{"being answered", check, func(d *LocalDeliveries) { d.Claim(context.Background(), "slack:event:E1") }, false, "left"},
		{"not a check", Unfinished{Delivery: "slack:event:E1", Form: Form{Intent: IntentConfigure, Target: "x@y.z"}},
			func(*LocalDeliveries) {}, false, "finished"},
		{"no delivery", Unfinished{Form: check.Form}, func(*LocalDeliveries) {}, false, "finished"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewLocalDeliveries(time.Minute, 10)
			tc.state(d)
			end := ""
			o := Orphan{Unfinished: tc.u, End: func(finished bool) {
				end = map[bool]string{true: "finished", false: "left"}[finished]
			}}
			done, ok := TakeOver(context.Background(), d, o)
			if ok != tc.wantOK || end != tc.wantEnd {
				t.Fatalf("ok %v, end %q; want %v, %q", ok, end, tc.wantOK, tc.wantEnd)
			}
			if ok {
				done(true)
			}
		})
	}
}
