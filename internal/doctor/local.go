package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/mailhelp/mailhelp/config"
	"github.com/mailhelp/mailhelp/probe"
)

// local checks what needs no network: the configuration and the audit
// trail.
func (d *doctor) local(ctx context.Context) []Finding {
	out := []Finding{d.configFinding()}
	if d.cfg() == nil {
		return append(out, Finding{Check: "audit", Status: StatusSkip, Message: "not checked: the configuration did not load"})
	}
	f := auditFinding(d.o.AuditFile)
	if d.o.AuditFile == "" && d.o.AuditErr != nil {
		f.Message = d.o.AuditErr.Error()
	}
	return append(out, f)
}

// configFinding says whether the configuration loaded, and whether it is
// the built-in demonstration.
func (d *doctor) configFinding() Finding {
	f := Finding{Check: "config"}
	src := d.o.ConfigSource
	if d.o.ConfigErr != nil {
		f.Status, f.Message = StatusFail, d.o.ConfigErr.Error()
		var ce *config.Error
		if errors.As(d.o.ConfigErr, &ce) {
			var ps []string
			for _, p := range ce.Problems {
				s := p.Msg
				if p.Field != "" {
					s = p.Field + ": " + s
				}
				if p.Line > 0 {
					s = fmt.Sprintf("line %d: %s", p.Line, s)
				}
				ps = append(ps, s)
			}
			f.Message = src + ": " + strings.Join(ps, "; ")
		}
		f.Fix = "run `mailhelp config check " + orDefault(src, "FILE") + "` for each problem with its line, fix them, and run doctor again"
		return f
	}
	n := len(d.cfg().Directory.Domains())
	if src == "" {
		f.Status = StatusWarn
		f.Message = fmt.Sprintf("no configuration file given: this is the built-in demonstration (%s)", strings.Join(domainNames(d.cfg()), ", "))
		f.Fix = "write your own with `mailhelp config init`, then point MAILHELP_CONFIG (or --config) at it"
		return f
	}
	f.Status, f.Message = StatusOK, fmt.Sprintf("%s is valid: %s", src, plural(n, "domain"))
	return f
}

func domainNames(cfg *config.Config) []string {
	var names []string
	for _, dom := range cfg.Directory.Domains() {
		names = append(names, dom.Name)
	}
	return names
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// auditFinding says whether mailhelp can write its audit trail at path:
// the file opens for appending and its directory takes new files (rotation
// renames files there). It writes no record: a probe file is created and
// removed. It runs as the user running doctor, who may not be the
// service's.
func auditFinding(path string) Finding {
	f := Finding{Check: "audit", Subject: path}
	switch {
	case path == "off":
		f.Subject = ""
		f.Status, f.Message = StatusWarn, "turned off (audit.file: off): live checks and admin actions are not recorded"
		f.Fix = "remove audit.file: off to record them in the state directory"
		return f
	case path == "":
		f.Status, f.Message = StatusFail, "nowhere to write it"
		f.Fix = "set audit.file, or run mailhelp where its state directory is known ($STATE_DIRECTORY, $XDG_STATE_HOME or $HOME)"
		return f
	}
	fix := "make the directory writable by the user mailhelp runs as (under systemd, StateDirectory=mailhelp does it), or set audit.file to a writable path"
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		f.Status, f.Message, f.Fix = StatusFail, "is a directory, not a file", "set audit.file to a file's path"
		return f
	}
	existing, missing := nearestDir(dir)
	if existing == "" {
		f.Status, f.Message, f.Fix = StatusFail, "no existing directory above it", fix
		return f
	}
	if file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err == nil {
		_ = file.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		f.Status, f.Message, f.Fix = StatusFail, fmt.Sprintf("cannot be opened for appending: %v", unwrapPath(err)), fix
		return f
	}
	probeFile, err := os.CreateTemp(existing, ".mailhelp-doctor-*")
	if err != nil {
		f.Status, f.Message, f.Fix = StatusFail, fmt.Sprintf("cannot create files in %s: %v", existing, unwrapPath(err)), fix
		return f
	}
	_ = probeFile.Close()
	_ = os.Remove(probeFile.Name())
	if missing {
		f.Status, f.Message = StatusOK, fmt.Sprintf("%s does not exist yet; mailhelp creates it on its first record (checked as %s)", dir, whoami())
		return f
	}
	f.Status, f.Message = StatusOK, "writable (checked as "+whoami()+")"
	if !filepath.IsAbs(path) {
		f.Status = StatusWarn
		f.Message += ", but relative: it lands in whatever directory mailhelp is started from"
		f.Fix = "give audit.file an absolute path, or leave it unset for the state directory"
	}
	return f
}

// nearestDir returns dir when it exists, else its nearest existing
// ancestor with missing set; "" when none is a directory.
func nearestDir(dir string) (existing string, missing bool) {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return "", true
			}
			return d, d != dir
		}
		if parent := filepath.Dir(d); parent == d {
			return "", true
		}
	}
}

// unwrapPath drops the path a *PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// whoami names the user running doctor: the service's user may differ,
// and so may what it may write.
func whoami() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "user " + u.Username
	}
	return fmt.Sprintf("uid %d", os.Getuid())
}

// domains checks that each configured domain's servers resolve and,
// with a live check, that they work.
func (d *doctor) domains(ctx context.Context) []Finding {
	cfg := d.cfg()
	if cfg == nil {
		return []Finding{{Check: "domain_dns", Status: StatusSkip, Message: "not checked: the configuration did not load"}}
	}
	var hosts []string
	for _, dom := range cfg.Directory.Domains() {
		for _, h := range []string{dom.Incoming().Host, dom.Outgoing().Host} {
			if !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
	}
	out := make([]Finding, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = d.resolve(ctx, h)
		}()
	}
	wg.Wait()
	if d.o.LiveCheck == nil {
		return append(out, Finding{Check: "domain_check", Status: StatusSkip, Message: "not run: add --check for a live check of each domain's servers"})
	}
	doms := cfg.Directory.Domains()
	checks := make([]Finding, len(doms))
	for i, dom := range doms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checks[i] = d.liveCheck(ctx, dom.Name, dom.Incoming().Host)
		}()
	}
	wg.Wait()
	return append(out, checks...)
}

// resolve says whether host resolves from here, and whether that
// matters: a host pinned in check.hosts is dialed at its pin by the
// live check, but users' devices still resolve it.
func (d *doctor) resolve(ctx context.Context, host string) Finding {
	f := Finding{Check: "domain_dns", Subject: host}
	pin, pinned := d.cfg().Check.Hosts[host]
	cctx, cancel := d.callCtx(ctx)
	defer cancel()
	addrs, err := d.o.Resolver.LookupHost(cctx, host)
	switch {
	case err == nil && len(addrs) > 0:
		f.Status, f.Message = StatusOK, "resolves to "+strings.Join(addrs, ", ")
		if pinned {
			f.Message += fmt.Sprintf(" (live checks dial the pinned %s: check.hosts)", pin)
		}
	case pinned:
		f.Status = StatusWarn
		f.Message = fmt.Sprintf("does not resolve from here (%s); live checks dial the pinned %s (check.hosts)", dnsProblem(err), pin)
		f.Fix = "make sure users' devices resolve it (their DNS, or the public zone)"
	default:
		f.Status = StatusFail
		f.Message = "does not resolve from here: " + dnsProblem(err)
		f.Fix = "check the name in the configuration (host, imap.host, smtp.host) and its DNS record; for a name only internal DNS knows, pin its address in check.hosts"
	}
	return f
}

func dnsProblem(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return "no such host"
	}
	if err == nil {
		return "no address"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return unwrapPath(err).Error()
}

// liveCheck runs the live check of domain (whose servers are at host)
// through mailhelp check's path.
func (d *doctor) liveCheck(ctx context.Context, domain, host string) Finding {
	f := Finding{Check: "domain_check", Subject: domain}
	fix := "run `mailhelp check --host " + host + "` for the full report and what each problem means"
	rep, err := d.o.LiveCheck(ctx, domain)
	if err != nil {
		f.Status, f.Message, f.Fix = StatusFail, "could not run: "+err.Error(), fix
		return f
	}
	problems := reportProblems(rep)
	switch rep.Verdict {
	case probe.StatusOK:
		f.Status, f.Message = StatusOK, "the recommended settings work"
	case probe.StatusWarn:
		f.Status, f.Message, f.Fix = StatusWarn, "the recommended settings work, with warnings: "+problems, fix
	default:
		f.Status, f.Message, f.Fix = StatusFail, "the recommended settings do not work: "+problems, fix
	}
	return f
}

// reportProblems lists a report's problems that weigh on its verdict,
// one per endpoint and code.
func reportProblems(rep *probe.Report) string {
	var ps []string
	for _, e := range rep.Endpoints {
		for _, p := range e.Problems {
			if p.Severity == probe.SeverityInfo {
				continue
			}
			ps = append(ps, fmt.Sprintf("%s %s:%d %s", e.Protocol, orDefault(e.Host, rep.Host), e.Port, p.Code))
		}
	}
	if len(ps) == 0 {
		return "no detail"
	}
	return strings.Join(ps, ", ")
}
