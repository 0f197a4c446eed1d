package discordbot

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// TestReplicaProcesses runs two mailhelp serve processes on one Redis
// against the fake Discord, on the same shard as during a rolling
// update: every message and interaction reaches both and is answered
// once; with Redis stopped, answers go on.
func TestReplicaProcesses(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeDiscord(t)
	config := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(config, []byte("domains:\n  - {domain: domaine.com, host: bm.domaine.com}\ncheck: {enabled: false}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		testbot.StartServe(t, "MAILHELP_CONFIG="+config, "MAILHELP_REDIS_URL="+rs.URL(),
			"DISCORD_BOT_TOKEN=test-token", "DISCORD_APP_ID=APP", "DISCORD_API_URL="+f.srv.URL+"/api")
		f.waitReady("READY")
	}
	const n = 4
	answeredOnce(t, f, n)

	rs.Stop()
	f.dispatchOn(0, "MESSAGE_CREATE", messageCreate("MD", "C1", "G1", "U1", "<@BOT> which ports?", true))
	f.waitCalls("POST", "/messages", n+1)
}
