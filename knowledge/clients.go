package knowledge

// ClientID names a mail client mailhelp knows about. It is stable: it appears
// in JSON answers and, later, in permalinks.
type ClientID string

// The clients mailhelp recognizes.
const (
	BlackBerry10 ClientID = "blackberry10"
	IOSMail      ClientID = "ios"
	Android      ClientID = "android"
	Outlook      ClientID = "outlook"
	Thunderbird  ClientID = "thunderbird"
	AppleMail    ClientID = "applemail"
)

// Client describes one mail client and how people refer to it.
type Client struct {
	// ID is the stable identifier.
	ID ClientID
	// Name is the product name shown to users; brands are not translated.
	Name string
	// Phrases are exact ways people name the client, lowercase and without
	// accents, one or more words each ("blackberry hub", "bb10").
	Phrases []string
	// Fuzzy are single words also recognized with a typo or two
	// ("blackbery", "thunderbrid"); keep them long enough to be unambiguous.
	Fuzzy []string
	// Guide is the client's step-by-step guide, or nil when mailhelp only
	// has the generic settings card for it.
	Guide *Guide
}

// HasGuide reports whether the client has its own step-by-step guide.
func (c Client) HasGuide() bool { return c.Guide != nil }

var clients = []Client{
	{
		ID:   BlackBerry10,
		Name: "BlackBerry 10",
		Phrases: []string{
			"blackberry", "black berry", "blackberry 10", "blackberry10", "bb10", "bb 10",
			"bb", "blackberry hub", "bb hub", "bbos", "bb os", "bbos10", "blackberry os",
			"blackberry os 10", "bberry",
		},
		Fuzzy: []string{"blackberry"},
		Guide: &blackBerry10Guide,
	},
	{
		ID:   IOSMail,
		Name: "iPhone / iPad",
		// No typo matching: one letter off "iphone" is "phone".
		Phrases: []string{"iphone", "ipad", "i phone", "i pad", "ios", "ipod", "iphon", "ifone"},
	},
	{
		ID:      Android,
		Name:    "Android",
		Phrases: []string{"android", "samsung", "galaxy", "pixel", "gmail app", "application gmail", "xiaomi", "huawei"},
		Fuzzy:   []string{"android"},
	},
	{
		ID:      Outlook,
		Name:    "Outlook",
		Phrases: []string{"outlook", "ms outlook", "microsoft outlook"},
		Fuzzy:   []string{"outlook"},
	},
	{
		ID:      Thunderbird,
		Name:    "Thunderbird",
		Phrases: []string{"thunderbird", "thunder bird", "tbird", "mozilla thunderbird"},
		Fuzzy:   []string{"thunderbird"},
	},
	{
		ID:      AppleMail,
		Name:    "Apple Mail",
		Phrases: []string{"apple mail", "mail app", "mail.app", "macos mail", "mac mail", "mac", "macbook", "imac", "macos", "os x", "osx"},
	},
}

// Clients returns every known client, the ones with a guide first.
func Clients() []Client {
	out := make([]Client, len(clients))
	copy(out, clients)
	return out
}

// ClientByID returns the client with the given ID.
func ClientByID(id ClientID) (Client, bool) {
	for _, c := range clients {
		if c.ID == id {
			return c, true
		}
	}
	return Client{}, false
}
