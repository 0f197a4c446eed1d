package publish

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/mailhelp/mailhelp/discovery"
	"github.com/mailhelp/mailhelp/knowledge"
)

// autoconfig answers GET /mail/config-v1.1.xml and its .well-known twin
// with the domain of ?emailaddress=, else of the autoconfig.<domain> host
// the request was sent to. An unknown domain is 404.
func (h *Handler) autoconfig(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	set := h.opts.Settings()
	d, ok := autoconfigDomain(set.Directory, r)
	if !ok {
		http.Error(w, "no mail settings are published for this domain", http.StatusNotFound)
		return
	}
	lang := h.lang(r, d, set.DefaultLang)
	loc := h.opts.Translator.For(lang)
	s := discovery.For(d)
	var docs []discovery.Doc
	if set.PublicURL != "" {
		u := set.PublicURL + "/" + lang + "/" + string(knowledge.Thunderbird) + "?domain=" + url.QueryEscape(s.Domain)
		docs = append(docs, discovery.Doc{URL: u, Lang: lang,
			Text: loc.Text("discovery.autoconfig.documentation", map[string]any{"Domain": knowledge.DisplayDomain(s.Domain)})})
	}
	w.Header().Set("Content-Type", discovery.AutoconfigContentType)
	_, _ = w.Write(discovery.Autoconfig(s, knowledge.DisplayDomain(s.Domain), docs))
}

// autoconfigDomain is the configured domain a request is about.
func autoconfigDomain(dir *knowledge.Directory, r *http.Request) (knowledge.Domain, bool) {
	if addr := r.URL.Query().Get("emailaddress"); addr != "" {
		a, ok := lookupAddress(dir, addr)
		return a.domain, ok
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	name, ok := strings.CutPrefix(strings.ToLower(host), autoconfigHostPrefix)
	if !ok {
		return knowledge.Domain{}, false
	}
	return dir.Lookup(name)
}
