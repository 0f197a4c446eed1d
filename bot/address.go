package bot

// Address is a mail address found in a request.
type Address struct {
	// Local is the part before "@" without any +tag, as typed (NFC).
	Local string `json:"local"`
	// Tag is the sub-address after "+" ("mobile" in alice+mobile@…), if any.
	Tag string `json:"tag,omitempty"`
	// Domain is the domain in its display form: lowercase, Unicode.
	Domain string `json:"domain"`
}

// IsZero reports whether no address was found.
func (a Address) IsZero() bool { return a.Local == "" && a.Domain == "" }

// String returns the address as the user wrote it, tag included.
func (a Address) String() string {
	if a.IsZero() {
		return ""
	}
	if a.Tag != "" {
		return a.Local + "+" + a.Tag + "@" + a.Domain
	}
	return a.Local + "@" + a.Domain
}

// Username returns what the user logs in with: the full address without
// its +tag, since sub-addresses receive mail but are not accounts.
func (a Address) Username() string {
	if a.IsZero() {
		return ""
	}
	return a.Local + "@" + a.Domain
}
