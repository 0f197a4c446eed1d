package verify

import (
	"context"
	"net/url"
	"strings"

	"github.com/mailhelp/mailhelp/discovery"
)

// autoconfigURLs are where clients look for a Mozilla autoconfig
// document, in their order: the autoconfig name and the domain's
// well-known path over HTTPS, then the autoconfig name over plain HTTP.
func (r *run) autoconfigURLs() []string {
	q := "?" + url.Values{"emailaddress": {r.address}}.Encode()
	return []string{
		r.web.url("https", "autoconfig."+r.domain, "/mail/config-v1.1.xml"+q),
		r.web.url("https", r.domain, "/.well-known/autoconfig/mail/config-v1.1.xml"+q),
		r.web.url("http", "autoconfig."+r.domain, "/mail/config-v1.1.xml"+q),
	}
}

// autoconfig checks the autoconfig URLs.
func (r *run) autoconfig(ctx context.Context) []result {
	urls := r.autoconfigURLs()
	return inClientOrder(ctx, len(urls), func(ctx context.Context, i int) result {
		res := r.autoconfigSource(ctx, urls[i])
		if r.onWebsite(urls[i]) {
			res.fromWebsite()
		}
		return res
	})
}

// autoconfigSource fetches and judges one URL.
func (r *run) autoconfigSource(ctx context.Context, u string) result {
	res := newResult(discovery.KindAutoconfig, u)
	a := r.web.fetch(ctx, u, nil, "")
	if fromAnswer(&res, a) {
		return res
	}
	s, err := discovery.ParseAutoconfig(a.body)
	if err != nil {
		res.unusable(a, err, s)
		return res
	}
	res.read = true
	res.src.Found = &s
	if strings.HasPrefix(u, "http://") {
		res.add(discovery.Problem{Code: discovery.CodeInsecureTransport, Field: "document",
			Detail: "only the http:// URL answers: the settings travel without TLS and can be altered on the way"})
	}
	res.add(compareConfigured(s, r.expected, r.address)...)
	return res
}

// htmlDetail is the detail of a web page answered for a document.
const htmlDetail = "HTTP 200 with a web page, not a discovery document"

// documentProblem describes a body that is not the document expected.
func documentProblem(a answer, err error) discovery.Problem {
	if isHTML(a.contentType, a.body) {
		return invalid(htmlDetail)
	}
	return invalid(clipLong(err.Error()))
}
