package verify

import "github.com/mailhelp/mailhelp/discovery"

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
