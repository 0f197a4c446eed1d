package verify

import (
	"slices"

	"github.com/mailhelp/mailhelp/discovery"
)

// verdict judges a check by each kind of source, the worst kind winning.
func verdict(all []result) discovery.Verdict {
	v := discovery.VerdictOK
	for _, k := range []discovery.Kind{discovery.KindSRV, discovery.KindAutoconfig, discovery.KindAutodiscover} {
		var rs []result
		for _, r := range all {
			if r.src.Kind == k && r.src.Status != discovery.StatusSkipped {
				rs = append(rs, r)
			}
		}
		v = worse(v, kindVerdict(k, rs))
	}
	return v
}

// kindVerdict judges one kind by its effective sources, those clients
// take their settings from: every SRV service once one answered (a
// service without its record is then a warning), or the first document
// read. With none, the kind is a warning when it is
// simply not published (missing, or nothing listening) and a failure
// when something is there that cannot be read (an invalid answer, a
// certificate error, a timeout…).
func kindVerdict(k discovery.Kind, rs []result) discovery.Verdict {
	var eff []result
	for _, r := range rs {
		if r.read {
			eff = []result{r}
			if k == discovery.KindSRV {
				eff = rs
			}
			break
		}
	}
	if len(eff) == 0 {
		for _, r := range rs {
			if r.src.Status != discovery.StatusMissing && !r.refused {
				return discovery.VerdictFail
			}
		}
		return discovery.VerdictWarning
	}
	v := discovery.VerdictOK
	for _, r := range eff {
		for _, p := range r.src.Problems {
			switch p.Code {
			case discovery.CodeMissing, discovery.CodeInsecureTransport:
				v = worse(v, discovery.VerdictWarning)
			case discovery.CodeFetchFailed:
				// Not for a source that was read.
			default:
				return discovery.VerdictFail
			}
		}
	}
	return v
}

var verdictOrder = []discovery.Verdict{discovery.VerdictOK, discovery.VerdictWarning, discovery.VerdictFail}

// worse returns the worse of two verdicts.
func worse(a, b discovery.Verdict) discovery.Verdict {
	if slices.Index(verdictOrder, b) > slices.Index(verdictOrder, a) {
		return b
	}
	return a
}
