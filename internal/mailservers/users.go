package mailservers

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// Test users besides User, each with the password Password. Like User,
// they log in with their full address.
const (
	// NoSentUser has no mailbox marked \Sent: its Maildir has Drafts,
	// Trash and Junk but no Sent folder (the special-use mailboxes exist
	// only where their folders do).
	NoSentUser = "nosent@good.test"
	// FullUser has a storage quota of FullQuota bytes, its INBOX
	// pre-filled with FullMessages messages of FullMessageSize bytes
	// each, 95 % of it: GETQUOTAROOT INBOX reports STORAGE 95 100 (KiB).
	// (Its quota rule is a userdb extra field, quota_rule=*:storage=...;
	// the others have 1 GiB.)
	FullUser = "full@good.test"
	// NoIdleUser's CAPABILITY after login is NoIdleCapability: the
	// capabilities every other user gets, without IDLE. (Before login,
	// Dovecot cannot know the user and lists IDLE as ever.)
	NoIdleUser = "noidle@good.test"
	// RefusedUser logs in to IMAP and authenticates to submission, but
	// both submission services refuse its messages with "554 5.7.1 ...
	// test sender refused", at RCPT TO (Postfix checks the sender there).
	RefusedUser = "refused@good.test"
	// HeldUser's messages are accepted by submission (250) but put on
	// hold in Postfix's queue, never delivered: mail that is lost on the
	// way, as far as the sender can tell.
	HeldUser = "held@good.test"
	// LockedUser exists but is disabled (passdb extra field nologin):
	// Dovecot 2.3 refuses its IMAP login, with the right password, with
	//
	//	NO [CONTACTADMIN] Login disabled for this user
	//
	// (nologin makes the failure LOGIN_DISABLED, which imap-login sends as
	// CONTACTADMIN; a code=user_disabled field would give
	// AUTHENTICATIONFAILED, code=temp_fail UNAVAILABLE and code=pass_expired
	// EXPIRED). With a wrong password it gets NO [AUTHENTICATIONFAILED], as
	// anyone. Postfix ignores nologin, so a deny passdb for the smtp
	// service makes the submission services refuse its authentication
	// (535 5.7.8).
	LockedUser = "locked@good.test"
)

// FullUser's quota and mailbox.
const (
	// FullQuota is FullUser's storage quota in bytes (100 KiB).
	FullQuota = 100 << 10
	// FullMessages messages of FullMessageSize bytes each (counted with
	// CRLF line ends, as IMAP and the quota count them) fill 95 % of it.
	FullMessages    = 19
	FullMessageSize = 5 << 10
)

// The other users' storage quota, which Dovecot also reports.
const defaultQuota = "1G"

// NoIdleCapability is what NoIdleUser's CAPABILITY lists after login:
// Dovecot 2.3's default list without IDLE, plus QUOTA, which the
// imap_quota plugin adds only to the default list. The package's test
// checks that it is what the others get, less IDLE.
const NoIdleCapability = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE QUOTA"

// noIdleEnv names the environment variable that carries NoIdleCapability
// to Dovecot's auth process: passwd-file extra fields are split at
// spaces, but their values are expanded, so NoIdleUser's entry says
// userdb_imap_capability=%{env:...}.
const noIdleEnv = "MAILHELP_NOIDLE_CAPABILITY"

// Users returns the addresses of all the test users.
func Users() []string {
	var names []string
	for _, u := range testUsers {
		names = append(names, u.name)
	}
	return names
}

type testUser struct {
	name string
	// passdb and userdb extra fields, space-separated (userdb ones
	// prefixed userdb_).
	extra string
	// noSent: no Sent folder.
	noSent bool
	// inbox: the messages the INBOX holds at start.
	inbox []message
}

type message struct {
	name string // the Maildir file name in cur
	body string
}

var testUsers = []testUser{
	{name: User, inbox: welcome(User)},
	{name: NoSentUser, noSent: true, inbox: welcome(NoSentUser)},
	{name: FullUser, extra: fmt.Sprintf("userdb_quota_rule=*:storage=%dB", FullQuota), inbox: filler(FullUser)},
	{name: NoIdleUser, extra: "userdb_imap_capability=%{env:" + noIdleEnv + "}", inbox: welcome(NoIdleUser)},
	{name: RefusedUser, inbox: welcome(RefusedUser)},
	{name: HeldUser, inbox: welcome(HeldUser)},
	{name: LockedUser, extra: "nologin", inbox: welcome(LockedUser)},
}

// specialFolders are the Maildir folders of each user (but NoSentUser's
// Sent); dovecot.conf marks them special-use.
var specialFolders = []string{"Drafts", "Sent", "Trash", "Junk"}

// writeUsers creates each user's Maildir under home and returns the
// passwd-file that is both passdb and userdb.
func (s *Servers) writeUsers(t testing.TB, home string) string {
	t.Helper()
	dc := mailUser(t)
	var file strings.Builder
	for _, u := range testUsers {
		// user:password:uid:gid:gecos:home:shell:extra fields (home
		// comes from the userdb's default_fields).
		fmt.Fprintf(&file, "%s:{PLAIN}%s:%s:%s::::%s\n", u.name, Password, dc.Uid, dc.Gid, u.extra)
		maildir := filepath.Join(home, u.name, "Maildir")
		folders := []string{maildir}
		for _, f := range specialFolders {
			if f == "Sent" && u.noSent {
				continue
			}
			folders = append(folders, filepath.Join(maildir, "."+f))
		}
		for _, f := range folders {
			for _, sub := range []string{"cur", "new", "tmp"} {
				if err := os.MkdirAll(filepath.Join(f, sub), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			if f != maildir {
				writeFile(t, filepath.Join(f, "maildirfolder"), "")
			}
		}
		// Subscribed, as a client that created them would have them.
		var subs strings.Builder
		subs.WriteString("V\t2\n\n")
		for _, f := range folders[1:] {
			subs.WriteString(filepath.Base(f)[1:] + "\n")
		}
		writeFile(t, filepath.Join(maildir, "subscriptions"), subs.String())
		for _, m := range u.inbox {
			writeFile(t, filepath.Join(maildir, "cur", m.name), m.body)
		}
	}
	run(t, "chown", "-R", "dovecot:dovecot", home)
	return file.String()
}

// mailUser is the system user that owns the users' mail: dovecot.
func mailUser(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Lookup("dovecot")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mailUID(t testing.TB) string { return mailUser(t).Uid }

// welcome is the one message of an ordinary user's INBOX, already seen.
func welcome(to string) []message {
	return []message{newMessage(1700000000, 1, to, "Welcome", "Welcome to good.test.\n", "S")}
}

// filler fills FullUser's INBOX to 95 % of its quota.
func filler(to string) []message {
	var ms []message
	for i := range FullMessages {
		when, n, subject := int64(1700000000+i), i+1, fmt.Sprintf("Filler %d", i+1)
		head := newMessage(when, n, to, subject, "", "").body
		// Pad the body to FullMessageSize, counting CRLF line ends.
		left := FullMessageSize - len(head) - strings.Count(head, "\n")
		var body strings.Builder
		for left > 80 {
			body.WriteString(strings.Repeat("x", 76) + "\n")
			left -= 78
		}
		body.WriteString(strings.Repeat("x", left-2) + "\n")
		ms = append(ms, newMessage(when, n, to, subject, body.String(), "S"))
	}
	return ms
}

// newMessage makes a message from the postmaster to to, and its Maildir file
// name, which carries its size (S=), its size with CRLF line ends (W=)
// and its flags, as Dovecot names the files it writes.
func newMessage(when int64, n int, to, subject, body, flags string) message {
	text := fmt.Sprintf("From: postmaster@good.test\nTo: %s\nSubject: %s\nDate: Tue, 14 Nov 2023 22:13:20 +0000\nMessage-ID: <%d.%d@good.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n%s",
		to, subject, when, n, body)
	name := fmt.Sprintf("%d.M%dP1.good.test,S=%d,W=%d:2,%s", when, n, len(text), len(text)+strings.Count(text, "\n"), flags)
	return message{name: name, body: text}
}
