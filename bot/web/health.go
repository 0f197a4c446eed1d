package web

import "net/http"

// Service is what /healthz names as the service answering, so that a
// client (mailhelp doctor) can tell mailhelp from another server behind
// the same address.
const Service = "mailhelp"

// Health is the body of GET /healthz: the process is up, and which build
// and which deployment answer. mailhelp doctor compares Version with its
// own and PublicURL with its configuration's web.public_url to tell that
// the public address reaches this instance.
type Health struct {
	Status string `json:"status"`
	// Service is always Service.
	Service string `json:"service"`
	// Version is the running binary's build (InstanceVersion).
	Version string `json:"version"`
	// PublicURL is the web.public_url this instance was started with;
	// omitted when it has none.
	PublicURL string `json:"public_url,omitempty"`
}

// InstanceVersion is the version /healthz reports: Build's version and
// the first 12 digits of its commit, or "unknown" when Build is unset.
func InstanceVersion() string { return versionOf(Build) }

// versionOf is b's version and short commit, "v1.2.3 6184ef0abcde".
func versionOf(b BuildInfo) string {
	if b.Version == "" {
		return "unknown"
	}
	if c := b.Commit; c != "" {
		return b.Version + " " + c[:min(len(c), 12)]
	}
	return b.Version
}

// healthz says the process is up, and which build and deployment it is.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Health{Status: "ok", Service: Service, Version: InstanceVersion(), PublicURL: s.opts.PublicURL})
}

// readyz says whether the process can serve: configuration loaded and
// adapters connected (as Options.Ready reports), and what works less
// well meanwhile (Options.Degraded).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
			return
		}
	}
	if s.opts.Degraded != nil {
		if err := s.opts.Degraded(); err != nil {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "degraded": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
