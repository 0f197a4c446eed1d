package publish

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/mailhelp/mailhelp/discovery/profile"
	"github.com/mailhelp/mailhelp/knowledge"
)

// profile answers GET /mobileconfig?address=… with the Apple
// configuration profile of that address, in the asked language, signed
// when a signer is configured. An invalid or unknown address is 404.
func (h *Handler) profile(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	set := h.opts.Settings()
	a, ok := lookupAddress(set.Directory, r.URL.Query().Get("address"))
	if !ok {
		http.Error(w, "no mail settings are published for this address", http.StatusNotFound)
		return
	}
	loc := h.opts.Translator.For(h.lang(r, a.domain, set.DefaultLang))
	data := map[string]any{"Address": a.login, "Domain": knowledge.DisplayDomain(a.domain.Name)}
	names := profile.Names{
		Profile:      loc.Text("discovery.profile.name", data),
		Description:  loc.Text("discovery.profile.description", data),
		Account:      loc.Text("discovery.profile.account", data),
		Organization: knowledge.DisplayDomain(a.domain.Name),
	}
	out, err := profile.Build(a.domain, profile.Account{Address: a.login, Username: a.login}, names)
	if err == nil && set.Signer != nil {
		out, err = set.Signer.Sign(out)
	}
	if err != nil {
		h.opts.Logger.Error("profile", "domain", a.domain.Name, "err", err)
		http.Error(w, "the profile could not be built", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", profile.ContentType)
	name, err := knowledge.CanonicalDomain(a.domain.Name)
	if err != nil {
		name = "mail"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".mobileconfig"}))
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	_, _ = w.Write(out)
}
