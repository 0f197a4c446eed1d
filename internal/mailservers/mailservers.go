// Package mailservers runs a real Dovecot (IMAP 143 and 993) and a real
// Postfix (SMTP 25, submission 587 and 465) on loopback for integration
// tests, each from its own configuration in a temporary directory, with
// certificates from a test CA chosen by the TLS server name:
//
//	good.test        a valid certificate
//	expired.test     an expired certificate
//	wrongname.test   a certificate for other.test
//	selfsigned.test  a self-signed certificate
//
// All names resolve to 127.0.0.2 (through Resolver), where both servers
// listen: clients connect from 127.0.0.1, so Dovecot, which trusts a
// client whose address is its own, treats them as remote and withholds
// plaintext logins before STARTTLS as it would on a real network.
//
// They behave like one small mail system: Postfix delivers mail for
// good.test to Dovecot over LMTP, so a message submitted by a user to
// herself lands in her INBOX within moments. The users, all with the
// password "secret" and all logging in with their full address (a bare
// local part such as "alice" is unknown), are:
//
//	alice@good.test    User: an ordinary account
//	nosent@good.test   NoSentUser: no mailbox marked \Sent
//	full@good.test     FullUser: a 100 KiB quota, 95 % used
//	noidle@good.test   NoIdleUser: no IDLE after login
//	refused@good.test  RefusedUser: submission refuses its messages
//	held@good.test     HeldUser: its messages are accepted, never delivered
//	locked@good.test   LockedUser: disabled, login refused [CONTACTADMIN]
//
// See users.go for the details, and MailboxState to look at a mailbox.
//
// Start fails the test (it does not skip it) when the servers are not
// installed: the test command installs them (scripts/test.sh).
package mailservers

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailhelp/mailhelp/internal/testpki"
)

// The host names the servers answer to.
const (
	GoodHost       = "good.test"
	ExpiredHost    = "expired.test"
	WrongNameHost  = "wrongname.test"
	SelfSignedHost = "selfsigned.test"
)

// Addr is where the servers listen.
const Addr = "127.0.0.2"

// Credentials of the test user.
const (
	User     = "alice@good.test"
	Password = "secret"
)

// Servers are the running Dovecot and Postfix.
type Servers struct {
	// Ports of each service on Addr.
	IMAP, IMAPS, SMTP, Submission, Submissions int
	// LMTP is Dovecot's LMTP port on Addr, where Postfix delivers mail
	// for good.test.
	LMTP int
	// ClosedPort has nothing listening.
	ClosedPort int
	// CA signed the certificates (but not the self-signed one).
	CA *testpki.CA
	// Dir holds the configurations, certificates and logs.
	Dir string
}

// Resolver resolves the test names to 127.0.0.1 and nothing else.
type Resolver struct{}

// LookupNetIP implements probe.Resolver.
func (Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	switch strings.ToLower(host) {
	case GoodHost, ExpiredHost, WrongNameHost, SelfSignedHost:
		return []netip.Addr{netip.MustParseAddr(Addr)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

const (
	dovecotBin = "/usr/sbin/dovecot"
	masterBin  = "/usr/lib/postfix/sbin/master"
)

// Start runs both servers for the duration of the test.
func Start(t testing.TB) *Servers {
	t.Helper()
	for _, bin := range []string{dovecotBin, "/usr/lib/dovecot/imap", "/usr/lib/dovecot/lmtp", masterBin, "/usr/lib/postfix/sbin/post-install"} {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s is missing: install dovecot-imapd, dovecot-lmtpd and postfix (./scripts/test.sh does, as root): %v", bin, err)
		}
	}
	if os.Geteuid() != 0 {
		t.Fatal("the real-server tests run Dovecot and Postfix, which need root")
	}
	dir, err := os.MkdirTemp("", "mh-srv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Servers{Dir: dir}
	ports := freePorts(t, 7)
	s.IMAP, s.IMAPS, s.SMTP, s.Submission, s.Submissions, s.ClosedPort = ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]
	s.LMTP = ports[6]
	files := s.makeCerts(t)
	// Postfix's queue must exist, owned as Postfix wants, before Dovecot
	// puts its authentication socket there; then Postfix can start.
	master := s.preparePostfix(t, files)
	s.startDovecot(t, files)
	startProcess(t, "postfix", master)
	for _, p := range []int{s.IMAP, s.SMTP, s.Submission, s.LMTP} {
		waitPort(t, p, true)
	}
	for _, p := range []int{s.IMAPS, s.Submissions} {
		waitPort(t, p, false) // TLS from the first byte: nothing to read before a handshake
	}
	return s
}

// certFiles are the paths of each host's certificate files.
type certFiles map[string]struct{ crt, key, pem string }

func (s *Servers) makeCerts(t testing.TB) certFiles {
	t.Helper()
	ca, err := testpki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	s.CA = ca
	now := time.Now()
	year := now.AddDate(1, 0, 0)
	specs := []struct {
		host  string
		names []string
		from  time.Time
		to    time.Time
		self  bool
	}{
		{GoodHost, []string{GoodHost}, now.Add(-time.Hour), year, false},
		{ExpiredHost, []string{ExpiredHost}, now.AddDate(-1, 0, 0), now.AddDate(0, 0, -2), false},
		{WrongNameHost, []string{"other.test"}, now.Add(-time.Hour), year, false},
		{SelfSignedHost, []string{SelfSignedHost}, now.Add(-time.Hour), year, true},
	}
	files := make(certFiles)
	for _, sp := range specs {
		leaf, err := ca.Issue(sp.names, sp.from, sp.to, sp.self)
		if err != nil {
			t.Fatal(err)
		}
		crt, key, both, err := leaf.WriteFiles(s.Dir, sp.host)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{crt, key, both} {
			_ = os.Chmod(f, 0o644) // read by postfix's and dovecot's unprivileged processes
		}
		files[sp.host] = struct{ crt, key, pem string }{crt, key, both}
	}
	return files
}

func (s *Servers) startDovecot(t testing.TB, files certFiles) {
	t.Helper()
	d := filepath.Join(s.Dir, "dovecot")
	home := filepath.Join(d, "home")
	for _, p := range []string{filepath.Join(d, "run"), filepath.Join(d, "state"), home} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	users := filepath.Join(d, "users")
	writeFile(t, users, s.writeUsers(t, home))
	writeFile(t, filepath.Join(d, "denied-smtp"), LockedUser+"\n")
	queue := filepath.Join(s.Dir, "postfix", "queue")
	var b strings.Builder
	fmt.Fprintf(&b, `protocols = imap lmtp
listen = %[9]s
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = /dev/stderr
# The auth process reads NoIdleUser's capability list from here (a
# passwd-file extra field cannot hold spaces): see users.go.
import_environment = $import_environment %[10]s
ssl = required
ssl_cert = <%[2]s
ssl_key = <%[3]s
disable_plaintext_auth = yes
auth_mechanisms = plain login
# Dovecot delays failed logins by 2 s, and more and more (up to 15 s) the
# logins from an address that failed before; tests of a wrong password
# need not. (Without its anvil socket, auth gives no such penalty.)
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
mail_location = maildir:~/Maildir
# The users' mail belongs to the dovecot user (see users.go).
first_valid_uid = %[13]s
# Special-use folders exist only where users.go created them.
namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \Drafts
  }
  mailbox Sent {
    special_use = \Sent
  }
  mailbox Trash {
    special_use = \Trash
  }
  mailbox Junk {
    special_use = \Junk
  }
}
mail_plugins = $mail_plugins quota
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_rule = *:storage=%[11]s
}
# LockedUser's nologin refuses IMAP logins, but Postfix's SASL client
# ignores it: users listed in denied-<service> are refused outright.
passdb {
  driver = passwd-file
  deny = yes
  args = username_format=%%u %[1]s/denied-%%s
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[4]s
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[4]s
  default_fields = home=%[5]s/%%u
}
service imap-login {
  inet_listener imap {
    address = %[9]s
    port = %[6]d
  }
  inet_listener imaps {
    address = %[9]s
    port = %[7]d
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = %[9]s
    port = %[12]d
  }
}
service auth {
  unix_listener %[8]s/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
`, d, files[GoodHost].crt, files[GoodHost].key, users, home, s.IMAP, s.IMAPS, queue, Addr,
		noIdleEnv, defaultQuota, s.LMTP, mailUID(t))
	for _, h := range []string{ExpiredHost, WrongNameHost, SelfSignedHost} {
		fmt.Fprintf(&b, "local_name %s {\n  ssl_cert = <%s\n  ssl_key = <%s\n}\n", h, files[h].crt, files[h].key)
	}
	conf := filepath.Join(d, "dovecot.conf")
	writeFile(t, conf, b.String())
	cmd := exec.Command(dovecotBin, "-F", "-c", conf)
	cmd.Env = append(os.Environ(), noIdleEnv+"="+NoIdleCapability)
	startProcess(t, "dovecot", cmd)
}

// preparePostfix writes Postfix's configuration and queue, and returns
// the command that runs its master in the foreground.
func (s *Servers) preparePostfix(t testing.TB, files certFiles) *exec.Cmd {
	t.Helper()
	p := filepath.Join(s.Dir, "postfix")
	conf, queue, data := filepath.Join(p, "conf"), filepath.Join(p, "queue"), filepath.Join(p, "data")
	for _, dir := range []string{conf, queue, data} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run(t, "chown", "postfix", data)
	var sni []string
	for _, h := range []string{ExpiredHost, WrongNameHost, SelfSignedHost} {
		sni = append(sni, h+"="+files[h].pem)
	}
	var mailboxes []string
	for _, u := range testUsers {
		mailboxes = append(mailboxes, u.name+"=ok")
	}
	writeFile(t, filepath.Join(conf, "main.cf"), fmt.Sprintf(`compatibility_level = 3.6
queue_directory = %s
data_directory = %s
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = %s
mydestination =
maillog_file = /dev/stdout
smtpd_tls_chain_files = %s
tls_server_sni_maps = inline:{%s}
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_error_sleep_time = 0
biff = no
alias_maps =
# Clients connect from 127.0.0.1: trust only the server's own address, so
# that relaying needs authentication (on the submission ports).
mynetworks = %[6]s/32
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, reject_unauth_destination
# Mail for good.test goes to Dovecot over LMTP; unknown users are refused
# at RCPT.
virtual_mailbox_domains = %[3]s
virtual_mailbox_maps = inline:{%[7]s}
virtual_transport = lmtp:inet:%[6]s:%[8]d
# The submission services refuse RefusedUser's messages (at RCPT, as
# smtpd_delay_reject defers the sender check there).
mailhelp_submission_sender = check_sender_access inline:{ { %[9]s = REJECT 5.7.1 test sender refused }, { %[10]s = HOLD test sender held } }, permit_sasl_authenticated, reject
`, queue, data, GoodHost, files[GoodHost].pem, strings.Join(sni, ","), Addr, strings.Join(mailboxes, ", "), s.LMTP, RefusedUser, HeldUser))
	writeFile(t, filepath.Join(conf, "master.cf"), fmt.Sprintf(`%[4]s:%[1]d inet n - n - - smtpd
%[4]s:%[2]d inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject -o smtpd_sender_restrictions=$mailhelp_submission_sender
%[4]s:%[3]d inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject -o smtpd_sender_restrictions=$mailhelp_submission_sender
postlog   unix-dgram n - n - 1 postlogd
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
lmtp      unix - - n - - lmtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
tlsmgr    unix - - n 1000? 1 tlsmgr
`, s.SMTP, s.Submission, s.Submissions, Addr))
	run(t, "/usr/lib/postfix/sbin/post-install", "config_directory="+conf, "meta_directory=/etc/postfix",
		"command_directory=/usr/sbin", "daemon_directory=/usr/lib/postfix/sbin",
		"queue_directory="+queue, "data_directory="+data, "create-missing")
	return exec.Command(masterBin, "-c", conf, "-d")
}

// startProcess runs cmd until the test ends, keeping its output to show
// if the test fails.
func startProcess(t testing.TB, name string, cmd *exec.Cmd) {
	t.Helper()
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out.String())
		}
	})
	select {
	case <-done:
		t.Fatalf("%s exited at once:\n%s", name, out.String())
	case <-time.After(300 * time.Millisecond):
	}
}

// waitPort waits until port accepts connections and, with greets, until
// the service sends its first byte.
func waitPort(t testing.TB, port int, greets bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", Addr, port), time.Second)
		if err == nil {
			if greets {
				_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, _ = bufio.NewReader(c).ReadByte()
			}
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on port %d: %v", port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var lns []net.Listener
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", Addr+":0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
