package verify

import (
	"net/url"
	"strings"

	"github.com/mailhelp/mailhelp/discovery"
)

// result is one source's outcome, with what the verdict needs beyond
// what the report shows.
type result struct {
	src discovery.Source
	// read: the source answered with a usable document, or with DNS
	// records: clients take their settings from it.
	read bool
	// refused: nothing listens where the source would be; clients move
	// on at once, as for a source that is not published.
	refused bool
}

// newResult starts the result of a source.
func newResult(kind discovery.Kind, where string) result {
	return result{src: discovery.Source{Kind: kind, Where: where}}
}

// add records a problem.
func (r *result) add(ps ...discovery.Problem) { r.src.Problems = append(r.src.Problems, ps...) }

// missing marks the source as not published.
func (r *result) missing(detail string) {
	r.src.Status = discovery.StatusMissing
	r.add(discovery.Problem{Code: discovery.CodeMissing, Field: "document", Detail: detail})
}

// failed marks the source as not fetched, for problem p.
func (r *result) failed(p discovery.Problem) {
	r.src.Status = discovery.StatusFailed
	r.add(p)
}

// skipped marks a source clients do not reach, because an earlier one
// answered; what was fetched from it, if anything, is dropped.
func (r *result) skip() {
	r.src.Status, r.src.Found, r.src.Problems = discovery.StatusSkipped, nil, nil
	r.read, r.refused = false, false
}

// settle sets the status of a source that was read from its problems.
func (r *result) settle() {
	switch r.src.Status {
	case "", discovery.StatusOK, discovery.StatusProblems:
		r.src.Status = discovery.StatusOK
		if len(r.src.Problems) > 0 {
			r.src.Status = discovery.StatusProblems
		}
	}
}

// fetchFailed is a CodeFetchFailed problem about the whole source.
func fetchFailed(detail string) discovery.Problem {
	return discovery.Problem{Code: discovery.CodeFetchFailed, Field: "document", Detail: detail}
}

// invalid is a CodeInvalid problem about the whole source.
func invalid(detail string) discovery.Problem {
	return discovery.Problem{Code: discovery.CodeInvalid, Field: "document", Detail: detail}
}

// budgetDetail explains a source the check's time ran out on.
const budgetDetail = "budget: the check ran out of time"

// onWebsite reports whether u is on the domain's own name, where its web
// site usually answers whatever is asked.
func (r *run) onWebsite(u string) bool {
	parsed, err := url.Parse(u)
	return err == nil && strings.EqualFold(parsed.Hostname(), r.domain)
}

// websiteAnswers are the beginnings of the details of what a web site
// answers for a path it does not serve: a redirect (to www., to a login
// page), an error status, a web page.
var websiteAnswers = []string{redirectDetail, "HTTP 4", htmlDetail}

// fromWebsite turns what the domain's web site answers for a URL it does
// not serve into a source that is not published: clients move on from
// it as from a 404, so it is nothing to fix.
func (r *result) fromWebsite() {
	if r.read || len(r.src.Problems) != 1 {
		return
	}
	p := r.src.Problems[0]
	for _, prefix := range websiteAnswers {
		if (p.Code == discovery.CodeInvalid || p.Code == discovery.CodeFetchFailed) && strings.HasPrefix(p.Detail, prefix) {
			r.src.Problems, r.src.Found, r.refused = nil, nil, false
			r.missing("the domain's web site answers, not with a discovery document (" + p.Detail + "); apps move on")
			return
		}
	}
}

// unusable records a document that could not be used, keeping what
// could be read of it.
func (r *result) unusable(a answer, err error, s discovery.Settings) {
	r.add(documentProblem(a, err))
	if len(s.Incoming)+len(s.Outgoing) > 0 {
		r.src.Found = &s
	}
}
