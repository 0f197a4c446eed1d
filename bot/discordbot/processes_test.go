package discordbot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestReplicaProcesses runs two mailhelp serve processes on one Redis
// against the fake Discord, on the same shard as during a rolling
// update: every message and interaction reaches both and is answered
// once; a message whose replica is killed while answering is answered
// by the other once the claim has expired (claim_lease); with Redis
// stopped, answers go on.
func TestReplicaProcesses(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeDiscord(t)
	config := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(config, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\ncheck: {enabled: false}\nstore: {claim_lease: 2s}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var replicas []*testbot.Process
	for range 2 {
		replicas = append(replicas, testbot.StartServe(t, "MAILHELP_CONFIG="+config, "MAILHELP_REDIS_URL="+rs.URL(),
			"DISCORD_BOT_TOKEN=test-token", "DISCORD_APP_ID=APP", "DISCORD_API_URL="+f.srv.URL+"/api"))
		f.waitReady("READY")
	}
	const n = 4
	answeredOnce(t, f, n)

	// The first replica is killed while it posts its answer; the second
	// got the message too, and answers it after the lease.
	slowc := make(chan struct{}, 4)
	f.mu.Lock()
	f.slowc = slowc
	f.mu.Unlock()
	m := messageCreate("MK", "SLOW", "G1", "U1", "<@BOT> which ports?", true)
	f.dispatchOn(0, "MESSAGE_CREATE", m)
	select {
	case <-slowc:
	case <-time.After(10 * time.Second):
		t.Fatal("the answer was never posted")
	}
	if err := replicas[0].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-replicas[0].Done
	f.dispatchOn(1, "MESSAGE_CREATE", m)
	f.waitCalls("POST", "/channels/SLOW/messages", 1)
	time.Sleep(300 * time.Millisecond)
	if got := len(f.callsOf("POST", "/channels/SLOW/messages")); got != 1 {
		t.Errorf("%d answers to the message whose replica was killed", got)
	}

	rs.Stop()
	f.dispatchOn(1, "MESSAGE_CREATE", messageCreate("MD", "C1", "G1", "U1", "<@BOT> which ports?", true))
	f.waitCalls("POST", "/channels/C1/messages", n+1)
}

// TestReplicaProcessesTakeOverASlowCheck: a replica killed (SIGKILL)
// during a live check — Discord will not send the message again —
// leaves its "checking…" message to another replica, which takes the
// answer over once the dead one's lease has run out and edits the
// message with the report, once.
func TestReplicaProcessesTakeOverASlowCheck(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeDiscord(t)
	config := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(config, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\n"+
		"check: {dns: "+testbot.BlackholeDNS(t)+", budget: 4s}\nstore: {claim_lease: 2s}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var replicas []*testbot.Process
	for range 2 {
		replicas = append(replicas, testbot.StartServe(t, "MAILHELP_CONFIG="+config, "MAILHELP_REDIS_URL="+rs.URL(),
			"DISCORD_BOT_TOKEN=test-token", "DISCORD_APP_ID=APP", "DISCORD_API_URL="+f.srv.URL+"/api"))
		f.waitReady("READY")
	}
	// Only the first replica gets it, as its shard's.
	f.dispatchOn(0, "MESSAGE_CREATE", messageCreate("MC", "C1", "G1", "U1", "<@BOT> check bm.domaine.com", true))
	checking := f.waitCalls("POST", "/channels/C1/messages", 1)[0]
	if !strings.Contains(body(t, checking), "bm.domaine.com") {
		t.Fatalf("first post: %.300s", body(t, checking))
	}
	time.Sleep(500 * time.Millisecond) // the check is under way (four seconds)
	if err := replicas[0].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-replicas[0].Done
	if n := len(f.callsOf("PATCH", "/channels/C1/messages/")); n != 0 {
		t.Fatalf("the killed replica answered before dying (%d edits)", n)
	}
	report := func() (restCall, bool) {
		for _, c := range f.callsOf("PATCH", "/channels/C1/messages/") {
			if strings.Contains(body(t, c), "problems found") {
				return c, true
			}
		}
		return restCall{}, false
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, ok := report(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the check was never answered; calls: %v", f.all())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	edits := f.callsOf("PATCH", "/channels/C1/messages/")
	reports := 0
	for _, c := range edits {
		if strings.Contains(body(t, c), "problems found") {
			reports++
		}
	}
	if reports != 1 || len(f.callsOf("POST", "/channels/C1/messages")) != 1 {
		t.Errorf("%d reports in %d edits, %d posts; want one report, in place of the one post",
			reports, len(edits), len(f.callsOf("POST", "/channels/C1/messages")))
	}
}

// TestReplicaProcessesSlowCheckTakenOverOnce: during an update two
// replicas run one shard, and both get a message asking for a check;
// the one answering is killed during the check. The other takes the
// message over (TakeoverAfter) and the journal offers it the dead
// one's check too: the check is answered once, not twice.
func TestReplicaProcessesSlowCheckTakenOverOnce(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeDiscord(t)
	config := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(config, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\n"+
		"check: {dns: "+testbot.BlackholeDNS(t)+", budget: 4s}\nstore: {claim_lease: 2s}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var replicas []*testbot.Process
	for range 2 {
		replicas = append(replicas, testbot.StartServe(t, "MAILHELP_CONFIG="+config, "MAILHELP_REDIS_URL="+rs.URL(),
			"DISCORD_BOT_TOKEN=test-token", "DISCORD_APP_ID=APP", "DISCORD_API_URL="+f.srv.URL+"/api"))
		f.waitReady("READY")
	}
	m := messageCreate("MC2", "C2", "G1", "U1", "<@BOT> check bm.domaine.com", true)
	f.dispatchOn(0, "MESSAGE_CREATE", m)
	f.waitCalls("POST", "/channels/C2/messages", 1)
	f.dispatchOn(1, "MESSAGE_CREATE", m) // the same message, on the other replica: busy there
	time.Sleep(500 * time.Millisecond)
	if err := replicas[0].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-replicas[0].Done
	reports := func() int {
		n := 0
		for _, c := range f.callsOf("PATCH", "/channels/C2/messages/") {
			if strings.Contains(body(t, c), "problems found") {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for reports() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the check was never answered; calls: %v", f.all())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Long enough for the journal to offer the dead one's check: lease,
	// poll, and a check's four seconds.
	time.Sleep(9 * time.Second)
	if n := reports(); n != 1 {
		t.Errorf("%d reports; want 1", n)
	}
}
