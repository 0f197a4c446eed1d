package slackbot

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/audit"
	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/internal/testbot"
	"github.com/mailhelp/mailhelp/internal/testredis"
)

// startReplica starts mailhelp serve against f and the store at
// storeURL, and waits until it has opened its Socket Mode connection.
func startReplica(t *testing.T, f *fakeSlack, config, storeURL string) *testbot.Process {
	t.Helper()
	p := testbot.StartServe(t, "MAILHELP_CONFIG="+config, "MAILHELP_REDIS_URL="+storeURL,
		"SLACK_BOT_TOKEN=xoxb-test", "SLACK_APP_TOKEN=xapp-test", "SLACK_API_URL="+f.srv.URL+"/api/")
	f.waitConnected(1)
	return p
}

// TestReplicaProcesses runs two mailhelp serve processes on one Redis
// against the fake Slack, each with its own Socket Mode connection:
//   - each event, and its retry on the other connection, is answered
//     once;
//   - an announcement previewed by one is posted from a click delivered
//     to the other;
//   - a follow-up in a thread, reaching the other replica, is read with
//     the question before it;
//   - with Redis stopped mid-run, answers go on and the replicas say
//     they are degraded (still ready); once it is back, they share again;
//   - a replica stopped (SIGTERM) in the middle of an answer finishes
//     it, and the other replica, given the event again, does not answer
//     it twice;
//   - a replica killed (SIGKILL) in the middle of an answer never
//     acknowledged the event: Slack sends it again, and once the dead
//     replica's claim has expired (claim_lease), another answers it,
//     once.
func TestReplicaProcesses(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	config := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(config, []byte(`domains:
  - {domain: domaine.com, host: bm.domaine.com}
check: {enabled: false}
admins:
  slack: {users: [UADMIN]}
announce:
  channels: {CNEWS: fr}
store:
  claim_lease: 2s
`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startReplica(t, f, config, rs.URL())
	b := startReplica(t, f, config, rs.URL())
	posts := func() int { return len(f.callsOf("chat.postMessage")) }

	// Every event reaches both replicas; each is answered once.
	for i, ts := range []string{"1.1", "1.2", "1.3", "1.4"} {
		f.sendOn(i%2, mentionEnvelope("env-a"+ts, "Ev"+ts, "U1", "C1", ts, "<@UBOT> which ports?"))
		f.sendOn(1-i%2, mentionEnvelope("env-b"+ts, "Ev"+ts, "U1", "C1", ts, "<@UBOT> which ports?"))
	}
	f.waitCalls("chat.postMessage", 4)
	time.Sleep(300 * time.Millisecond)
	if n := posts(); n != 4 {
		t.Fatalf("%d answers to 4 events", n)
	}

	// Previewed by the first, posted from a click on the second.
	f.sendOn(0, mentionEnvelope("env-p", "EvP", "UADMIN", "C1", "2.1", "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
	id := previewID(t, f.waitCalls("chat.postEphemeral", 1)[0])
	f.sendOn(1, buttonEnvelope(f, "env-post", "trig-post", "UADMIN", actionAnnouncePost, id, "2.2"))
	card := f.waitCalls("chat.postMessage", 5)[4]
	if card.Form.Get("channel") != "CNEWS" {
		t.Errorf("the announcement went to %q", card.Form.Get("channel"))
	}

	// A follow-up reaching the other replica knows the address.
	f.sendOn(0, mentionEnvelope("env-q", "EvQ", "U1", "C1", "2.5", "<@UBOT> configure BlackBerry for alice@domaine.com"))
	f.waitCalls("chat.postMessage", 6)
	follow := mentionEnvelope("env-f", "EvF", "U1", "C1", "2.6", "<@UBOT> and for iPhone?")
	follow["payload"].(map[string]any)["event"].(map[string]any)["thread_ts"] = "2.5"
	f.sendOn(1, follow)
	if got := blocksText(t, f.waitCalls("chat.postMessage", 7)[6]); !strings.Contains(got, "Set up iPhone / iPad for alice@domaine.com") {
		t.Errorf("the follow-up on the other replica lost the address: %.300s", got)
	}

	// Redis stopped: answers go on; the replicas stay ready and say
	// they are degraded.
	degraded := func(p *testbot.Process) bool {
		code, body := p.Ready(t)
		return code == http.StatusOK && strings.Contains(body, `"degraded":"shared store`)
	}
	rs.Stop()
	waitFor(t, "both replicas to say the store is down", func() bool { return degraded(a) && degraded(b) })
	f.sendOn(0, mentionEnvelope("env-d1", "EvD1", "U1", "C1", "3.1", "<@UBOT> which ports?"))
	f.sendOn(1, mentionEnvelope("env-d2", "EvD2", "U1", "C1", "3.2", "<@UBOT> which ports?"))
	f.waitCalls("chat.postMessage", 9)
	rs.Restart(t)
	waitFor(t, "both replicas to be fully ready again", func() bool { return !degraded(a) && !degraded(b) })
	f.sendOn(0, mentionEnvelope("env-r1", "EvR", "U1", "C1", "4.1", "<@UBOT> which ports?"))
	f.sendOn(1, mentionEnvelope("env-r2", "EvR", "U1", "C1", "4.1", "<@UBOT> which ports?"))
	f.waitCalls("chat.postMessage", 10)
	time.Sleep(300 * time.Millisecond)
	if n := posts(); n != 10 {
		t.Fatalf("%d answers; want 10", n)
	}

	// Stopped in the middle of an answer: it is finished, once.
	slowc := make(chan struct{}, 4)
	f.mu.Lock()
	f.slowc = slowc
	f.mu.Unlock()
	f.sendOn(0, mentionEnvelope("env-s1", "EvS", "U1", "CSLOW", "5.1", "<@UBOT> which ports?"))
	select {
	case <-slowc:
	case <-time.After(10 * time.Second):
		t.Fatal("the answer was never posted")
	}
	if err := a.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	f.sendOn(1, mentionEnvelope("env-s2", "EvS", "U1", "CSLOW", "5.1", "<@UBOT> which ports?"))
	select {
	case <-a.Done:
	case <-time.After(20 * time.Second):
		t.Fatal("the replica did not stop")
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 11 {
		t.Errorf("%d answers; want 11 (the one in flight finished, not doubled)", n)
	}

	// Killed in the middle of an answer: answered by another, once.
	c := startReplica(t, f, config, rs.URL())
	f.sendOn(1, mentionEnvelope("env-k", "EvK", "U1", "CSLOW", "6.1", "<@UBOT> which ports?"))
	select {
	case <-slowc:
	case <-time.After(10 * time.Second):
		t.Fatal("the answer was never posted")
	}
	if err := b.Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-b.Done
	waitFor(t, "the event to be answered by the third replica and acknowledged", func() bool {
		return len(f.callsOf("chat.postMessage")) == 12 && f.acked("env-k")
	})
	time.Sleep(300 * time.Millisecond)
	if n := len(f.callsOf("chat.postMessage")); n != 12 {
		t.Errorf("%d answers; want 12 (the killed replica's answer given once, by another)", n)
	}
	if code, body := c.Ready(t); code != http.StatusOK {
		t.Errorf("the third replica is not ready: %d %s", code, body)
	}
}

// TestReplicaProcessesShareLimitsAndRefusals runs two mailhelp serve
// processes on one Redis against the fake Slack:
//   - a person's quota of live checks (one here) is granted once
//     between them: the second check, on the other replica, is refused;
//   - a person refused by both in turn (a non-admin asking for an
//     announcement) has one refusal written at once in the two audit
//     trails together, and the others summed, each counted once — here
//     written by the replicas as they stop.
func TestReplicaProcessesShareLimitsAndRefusals(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	cfgPath := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(cfgPath, []byte(`domains:
  - {domain: domaine.com, host: bm.domaine.com}
check:
  hosts: {bm.domaine.com: 127.0.0.1}
  budget: 2s
  per_user: 1
admins:
  slack: {users: [UADMIN]}
announce:
  channels: {CNEWS: fr}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	var replicas []*testbot.Process
	for _, dir := range dirs {
		p := testbot.StartServe(t, "MAILHELP_CONFIG="+cfgPath, "MAILHELP_REDIS_URL="+rs.URL(), "STATE_DIRECTORY="+dir,
			"SLACK_BOT_TOKEN=xoxb-test", "SLACK_APP_TOKEN=xapp-test", "SLACK_API_URL="+f.srv.URL+"/api/")
		f.waitConnected(1)
		replicas = append(replicas, p)
	}
	answers := func() int { return len(f.callsOf("chat.postMessage")) + len(f.callsOf("chat.postEphemeral")) }

	// One check each: the first runs (nothing listens: it fails), the
	// second, on the other replica, is refused.
	// (A check posts "Checking…", then replaces it with its outcome.)
	f.sendOn(0, mentionEnvelope("env-c1", "EvC1", "U2", "C1", "6.1", "<@UBOT> check bm.domaine.com"))
	f.waitCalls("chat.update", 1)
	f.sendOn(1, mentionEnvelope("env-c2", "EvC2", "U2", "C1", "6.2", "<@UBOT> check bm.domaine.com"))
	limited := 0
	for _, c := range f.waitCalls("chat.update", 2) {
		if strings.Contains(blocksText(t, c), "Too many checks just now") {
			limited++
		}
	}
	if limited != 1 {
		t.Fatalf("%d of the two checks refused, want 1", limited)
	}
	base := answers()
	const n = 6
	for i := range n {
		ts := "7." + strconv.Itoa(i)
		f.sendOn(i%2, mentionEnvelope("env-n"+ts, "EvN"+ts, "U1", "C1", ts, "<@UBOT> announce domaine.com in <#CNEWS|annonces>"))
		waitFor(t, "the refusal to be answered", func() bool { return answers() == base+i+1 })
	}
	for _, p := range replicas {
		if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-p.Done:
		case <-time.After(20 * time.Second):
			t.Fatal("a replica did not stop")
		}
	}
	atOnce, total := 0, 0
	for _, dir := range dirs {
		fh, err := os.Open(filepath.Join(dir, config.DefaultAuditName))
		if os.IsNotExist(err) {
			continue // the replica wrote nothing: the other took every sum
		}
		if err != nil {
			t.Fatal(err)
		}
		_, err = audit.Read(fh, audit.Filter{User: "U1"}, func(e audit.Entry) error {
			if e.Result != "refused:not_admin" {
				t.Errorf("record %+v", e)
			}
			if e.Count == 0 {
				atOnce++
			}
			total += max(e.Count, 1)
			return nil
		})
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if atOnce != 1 || total != n {
		t.Errorf("%d refusals written at once (want 1), %d in all (want %d)", atOnce, total, n)
	}
}

// TestReplicaProcessesTakeOverASlowAnswer: a replica killed (SIGKILL)
// during a live check, after the event was acknowledged (Slack will not
// send it again), leaves its "checking…" message to another replica,
// which takes the answer over once the dead one's lease has run out
// and replaces the message with the report — once, in place.
func TestReplicaProcessesTakeOverASlowAnswer(t *testing.T) {
	rs := testredis.Start(t)
	f := newFakeSlack(t)
	cfgPath := filepath.Join(t.TempDir(), "mailhelp.yaml")
	if err := os.WriteFile(cfgPath, []byte(`domains:
  - {domain: domaine.com, host: bm.domaine.com}
check:
  dns: `+testbot.BlackholeDNS(t)+`
  budget: 4s
store:
  claim_lease: 2s
`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startReplica(t, f, cfgPath, rs.URL())
	startReplica(t, f, cfgPath, rs.URL())

	f.sendOn(0, mentionEnvelope("env-slow", "EvSlow", "U1", "C1", "8.1", "<@UBOT> check bm.domaine.com"))
	checking := f.waitCalls("chat.postMessage", 1)[0]
	if !strings.Contains(blocksText(t, checking), "Checking bm.domaine.com") {
		t.Fatalf("first post: %.300s", blocksText(t, checking))
	}
	// Acknowledged at two seconds, while the check runs (four): Slack
	// will not send it again. Then the replica dies.
	deadline := time.Now().Add(10 * time.Second)
	for !f.acked("env-slow") {
		if time.Now().After(deadline) {
			t.Fatal("the event was never acknowledged")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := a.Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.Done
	if n := len(f.callsOf("chat.update")); n != 0 {
		t.Fatalf("the killed replica answered before dying (%d updates): the check was not slow enough", n)
	}

	// The other replica takes it over: lease (2 s) + poll (2 s) + the
	// check (4 s).
	report := func() (apiCall, bool) {
		for _, c := range f.callsOf("chat.update") {
			if strings.Contains(blocksText(t, c), "bm.domaine.com: problems found") {
				return c, true
			}
		}
		return apiCall{}, false
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		if _, ok := report(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the check was never answered; updates: %d", len(f.callsOf("chat.update")))
		}
		time.Sleep(50 * time.Millisecond)
	}
	c, _ := report()
	if c.Form.Get("channel") != "C1" || c.Form.Get("ts") == "" {
		t.Errorf("the report went to %q ts %q", c.Form.Get("channel"), c.Form.Get("ts"))
	}
	time.Sleep(2 * time.Second)
	reports := 0
	for _, u := range f.callsOf("chat.update") {
		if strings.Contains(blocksText(t, u), "problems found") {
			reports++
		}
		if u.Form.Get("ts") != c.Form.Get("ts") {
			t.Errorf("an update of another message: %q", u.Form.Get("ts"))
		}
	}
	if n := len(f.callsOf("chat.postMessage")); reports != 1 || n != 1 {
		t.Errorf("%d reports, %d posts; want the one report, in place of the one post", reports, n)
	}
}
