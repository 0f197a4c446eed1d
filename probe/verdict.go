package probe

// endpointStatus is the worst severity among an endpoint's problems;
// information is not a problem.
func endpointStatus(r *EndpointReport) Status {
	st := StatusOK
	for _, p := range r.Problems {
		switch p.Severity {
		case SeverityFail:
			return StatusFail
		case SeverityWarn:
			st = StatusWarn
		}
	}
	return st
}

// verdict picks the endpoints to recommend (the first working IMAP and
// the first working submission endpoint, in the order given) and judges
// the check by them alone: what the recommended settings need. A check
// with no working side fails; one that works only through a fallback, or
// with warnings, is a warning.
func verdict(eps []EndpointReport) (Status, Recommendation) {
	var rec Recommendation
	worst := StatusOK
	pick := func(match func(*EndpointReport) bool) *Endpoint {
		first := true
		for i := range eps {
			r := &eps[i]
			if !match(r) {
				continue
			}
			if r.Status != StatusFail {
				if !first || r.Status == StatusWarn {
					worst = StatusWarn
				}
				e := r.Endpoint
				return &e
			}
			first = false
		}
		worst = StatusFail
		return nil
	}
	rec.Incoming = pick(func(r *EndpointReport) bool { return r.Protocol == IMAP })
	if rec.Incoming != nil {
		for i := range eps {
			if eps[i].Endpoint == *rec.Incoming {
				rec.Push = eps[i].Push
			}
		}
	}
	failBefore := worst == StatusFail
	rec.Outgoing = pick(func(r *EndpointReport) bool { return r.Protocol == SMTP && r.Submission })
	if failBefore {
		worst = StatusFail
	}
	return worst, rec
}
