package verify

import (
	"context"
	"encoding/xml"
	"errors"
	"strconv"

	"github.com/mailhelp/mailhelp/discovery"
)

// autodiscoverURLs are where Outlook posts its Autodiscover (POX)
// request, in its order.
func (r *run) autodiscoverURLs() []string {
	const path = "/autodiscover/autodiscover.xml"
	return []string{
		r.web.url("https", r.domain, path),
		r.web.url("https", "autodiscover."+r.domain, path),
	}
}

// autodiscoverRequest is Outlook's request for an address.
func autodiscoverRequest(address string) []byte {
	type request struct {
		EMailAddress             string `xml:"EMailAddress"`
		AcceptableResponseSchema string `xml:"AcceptableResponseSchema"`
	}
	type autodiscover struct {
		XMLName xml.Name `xml:"Autodiscover"`
		XMLNS   string   `xml:"xmlns,attr"`
		Request request  `xml:"Request"`
	}
	out, err := xml.MarshalIndent(autodiscover{XMLNS: discovery.RequestSchema,
		Request: request{EMailAddress: address, AcceptableResponseSchema: discovery.OutlookResponseSchema}}, "", "  ")
	if err != nil {
		// Only strings: Marshal cannot fail.
		panic("verify: autodiscover request: " + err.Error())
	}
	return append([]byte(xml.Header), out...)
}

// autodiscover checks the Autodiscover URLs.
func (r *run) autodiscover(ctx context.Context) []result {
	urls := r.autodiscoverURLs()
	body := autodiscoverRequest(r.address)
	return inClientOrder(ctx, len(urls), func(ctx context.Context, i int) result {
		res := r.autodiscoverSource(ctx, urls[i], body)
		if r.onWebsite(urls[i]) {
			res.fromWebsite()
		}
		return res
	})
}

// autodiscoverSource posts the request to one URL and judges the answer.
func (r *run) autodiscoverSource(ctx context.Context, u string, body []byte) result {
	res := newResult(discovery.KindAutodiscover, u)
	a := r.web.fetch(ctx, u, body, discovery.AutodiscoverContentType)
	if fromAnswer(&res, a) {
		return res
	}
	s, err := discovery.ParseAutodiscoverResponse(a.body, r.address)
	var ae *discovery.AutodiscoverErrorResponse
	switch {
	case errors.As(err, &ae) && ae.Code == strconv.Itoa(discovery.ErrorNotFound):
		res.missing(clipLong(ae.Error()))
		return res
	case err != nil:
		res.unusable(a, err, s)
		return res
	}
	res.read = true
	res.src.Found = &s
	res.add(compareConfigured(s, r.expected, r.address)...)
	return res
}
