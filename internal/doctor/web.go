package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/mailhelp/mailhelp/bot/web"
)

// web checks that web.public_url reaches this instance: GET /healthz
// there must be mailhelp's, started with this web.public_url, and
// ideally of this build.
func (d *doctor) web(ctx context.Context) []Finding {
	f := Finding{Check: "web_public_url"}
	cfg := d.cfg()
	if cfg == nil {
		f.Status, f.Message = StatusSkip, "not checked: the configuration did not load"
		return []Finding{f}
	}
	base := cfg.Web.PublicURL
	if base == "" {
		f.Status, f.Message = StatusWarn, "web.public_url is not set: answers carry no link to their web page"
		f.Fix = "set web.public_url to the address people reach mailhelp at (https://help.example.com)"
		return []Finding{f}
	}
	f.Subject = base
	h, fail := d.health(ctx, base)
	if fail != nil {
		return []Finding{*fail}
	}
	switch {
	case h.Service != web.Service:
		f.Status, f.Message = StatusWarn, "a mailhelp answers /healthz there, but an older one that does not say which instance it is"
		f.Fix = "restart mailhelp serve with this version, then run doctor again"
	case h.PublicURL != base:
		f.Status = StatusFail
		f.Message = fmt.Sprintf("the mailhelp there was started with web.public_url %q, not this configuration's: another instance, or one not restarted since the change", h.PublicURL)
		f.Fix = "point the address (DNS, reverse proxy) at this instance, or restart mailhelp serve with this configuration"
	case h.Version != d.o.Version:
		f.Status = StatusWarn
		f.Message = fmt.Sprintf("serves this configuration, but runs %s while this mailhelp is %s", h.Version, d.o.Version)
		f.Fix = "restart mailhelp serve after an upgrade (or run doctor with the binary the service runs)"
	default:
		f.Status, f.Message = StatusOK, "reachable, and serving this instance ("+h.Version+")"
	}
	if f.Status == StatusOK && isPlainHTTP(base) {
		f.Status = StatusWarn
		f.Message += ", but over plain http://: the web chat and answer pages travel unencrypted"
		f.Fix = "put HTTPS in front (see \"Behind a reverse proxy\") and set web.public_url to https://…"
	}
	return []Finding{f}
}

// health reads base's /healthz, or says why it could not.
func (d *doctor) health(ctx context.Context, base string) (*web.Health, *Finding) {
	fail := func(msg, fix string) (*web.Health, *Finding) {
		return nil, &Finding{Check: "web_public_url", Subject: base, Status: StatusFail, Message: msg, Fix: fix}
	}
	proxyFix := "make sure mailhelp serve runs, and that the reverse proxy forwards " + base + " to its web.listen (" + d.cfg().Web.Listen + ")"
	cctx, cancel := d.callCtx(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return fail(err.Error(), "fix web.public_url")
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := d.client(true).Do(req)
	if err != nil {
		return fail("cannot be reached from here: "+netProblem(err), proxyFix+"; check DNS and the firewall between here and there")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Sprintf("/healthz answered HTTP %d: not a running mailhelp", resp.StatusCode), proxyFix)
	}
	var h web.Health
	if err := json.Unmarshal(body, &h); err != nil || h.Status != "ok" {
		return fail("something other than mailhelp answers /healthz there", proxyFix)
	}
	return &h, nil
}

// isPlainHTTP reports whether u is http:// to a host other than loopback.
func isPlainHTTP(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" {
		return false
	}
	switch p.Hostname() {
	case "localhost", "127.0.0.1", "::1":
		return false
	}
	return true
}
