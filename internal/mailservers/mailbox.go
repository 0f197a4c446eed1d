package mailservers

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Maildir is the path of user's Maildir (its INBOX; other folders are its
// subdirectories named "." and the folder's name).
func (s *Servers) Maildir(user string) string {
	return filepath.Join(s.Dir, "dovecot", "home", user, "Maildir")
}

// MailboxState describes user's mailbox from its Maildir, the same
// whenever the mailbox holds the same messages with the same flags: one
// line per folder (INBOX first, then the others by name) with its number
// of messages, each followed by one line per message, in the order of
// their file names (of arrival), with its size in bytes and its flags from
// the file name ("S" seen, "T" deleted, ...; "-" none). A message counts
// whether it is still new or already in cur. Dovecot's index, uidlist and
// other files are ignored, as are folders' subscriptions. User's mailbox
// at start, for example, is
//
//	INBOX 1
//	  223 S
//	Drafts 0
//	Junk 0
//	Sent 0
//	Trash 0
func (s *Servers) MailboxState(t testing.TB, user string) string {
	t.Helper()
	state, err := s.mailboxState(user)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func (s *Servers) mailboxState(user string) (string, error) {
	maildir := s.Maildir(user)
	folders, err := s.folders(user)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range folders {
		dir := maildir
		if f != "INBOX" {
			dir = filepath.Join(maildir, "."+f)
		}
		msgs, err := messages(dir)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s %d\n", f, len(msgs))
		for _, m := range msgs {
			fmt.Fprintf(&b, "  %d %s\n", m.size, m.flags)
		}
	}
	return b.String(), nil
}

// folders lists user's folders: INBOX, then the others by name.
func (s *Servers) folders(user string) ([]string, error) {
	entries, err := os.ReadDir(s.Maildir(user))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".") || e.Name() == "." || e.Name() == ".." {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.Maildir(user), e.Name(), "cur")); err != nil {
			continue
		}
		names = append(names, e.Name()[1:])
	}
	slices.Sort(names)
	return append([]string{"INBOX"}, names...), nil
}

type messageFile struct {
	base  string // the name up to ":2,"
	size  int64
	flags string
}

// messages lists the messages of the Maildir folder dir, in new and cur,
// by file name.
func messages(dir string) ([]messageFile, error) {
	byBase := make(map[string]messageFile)
	// new first: a message that moves to cur meanwhile is found there
	// again (and counted once), not missed.
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			info, err := e.Info()
			if os.IsNotExist(err) {
				continue // moved from new to cur, or expunged, meanwhile
			}
			if err != nil {
				return nil, err
			}
			base, flags, _ := strings.Cut(e.Name(), ":2,")
			if flags == "" {
				flags = "-"
			}
			byBase[base] = messageFile{base: base, size: info.Size(), flags: flags}
		}
	}
	var msgs []messageFile
	for _, m := range byBase {
		msgs = append(msgs, m)
	}
	slices.SortFunc(msgs, func(a, b messageFile) int { return strings.Compare(a.base, b.base) })
	return msgs, nil
}

// WaitForMessages waits until user's folder ("INBOX", "Sent", ...) holds
// exactly n messages, and fails the test if it does not within timeout.
func (s *Servers) WaitForMessages(t testing.TB, user, folder string, n int, timeout time.Duration) {
	t.Helper()
	dir := s.Maildir(user)
	if !strings.EqualFold(folder, "INBOX") {
		dir = filepath.Join(dir, "."+folder)
	}
	deadline := time.Now().Add(timeout)
	for {
		msgs, err := messages(dir)
		if err == nil && len(msgs) == n {
			return
		}
		if time.Now().After(deadline) {
			state, _ := s.mailboxState(user)
			t.Fatalf("%s's %s: want %d messages after %v, got %d (%v); the mailbox:\n%s", user, folder, n, timeout, len(msgs), err, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
