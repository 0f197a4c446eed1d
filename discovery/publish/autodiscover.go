package publish

import (
	"errors"
	"io"
	"net/http"

	"github.com/mailhelp/mailhelp/discovery"
)

// autodiscover answers Outlook's POST /autodiscover/autodiscover.xml.
// Whatever is wrong with the request, the answer is a documented POX
// error (600 invalid request, 601 unsupported schema, 500 unknown
// address) with status 200, as Exchange answers; only a body over
// discovery.MaxDocument is refused at the HTTP level (413).
func (h *Handler) autodiscover(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, discovery.MaxDocument))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	w.Header().Set("Content-Type", discovery.AutodiscoverContentType)
	fail := func(code int) {
		_, _ = w.Write(discovery.AutodiscoverError(code, requestID(), h.opts.Now()))
	}
	if err != nil {
		fail(discovery.ErrorInvalidRequest)
		return
	}
	addr, err := discovery.ParseAutodiscoverRequest(body)
	switch {
	case errors.Is(err, discovery.ErrSchema):
		fail(discovery.ErrorSchema)
		return
	case err != nil:
		fail(discovery.ErrorInvalidRequest)
		return
	}
	a, ok := lookupAddress(h.opts.Settings().Directory, addr)
	if !ok {
		fail(discovery.ErrorNotFound)
		return
	}
	_, _ = w.Write(discovery.Autodiscover(discovery.For(a.domain), a.login))
}
