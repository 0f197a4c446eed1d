package bot

import "testing"

// TestPlanForm: a plan's Form asks the same check again — the address
// with its tag, or the host; the client named; the problem.
func TestPlanForm(t *testing.T) {
	for _, tc := range []struct {
		parsed Parsed
		want   Form
	}{
		{Parsed{Intent: IntentTroubleshoot, Client: "iphone", Symptom: "cannot_send",
			Address: Address{Local: "alice", Tag: "mobile", Domain: "domaine.com"}},
			Form{Intent: IntentTroubleshoot, Client: "iphone", Target: "alice+mobile@domaine.com", Symptom: "cannot_send"}},
		{Parsed{Intent: IntentCheck, Host: "bm.domaine.com"}, Form{Intent: IntentCheck, Target: "bm.domaine.com"}},
	} {
		p := &Plan{Request: &Request{Parsed: tc.parsed}}
		if got := p.Form(); got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.parsed, got, tc.want)
		}
	}
}
