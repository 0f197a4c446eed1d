package discordbot

import (
	"os"
	"path/filepath"
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
