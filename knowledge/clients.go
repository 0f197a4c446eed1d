package knowledge

import "slices"

// ClientID names a mail client mailhelp knows about. It is stable: it appears
// in JSON answers and, later, in permalinks.
type ClientID string

// The clients mailhelp recognizes.
const (
	BlackBerry10       ClientID = "blackberry10"
	IOSMail            ClientID = "ios"
	Android            ClientID = "android" // the Gmail app on Android
	SamsungEmail       ClientID = "samsung"
	Outlook            ClientID = "outlook" // which Outlook: one of the three below
	OutlookNew         ClientID = "outlook-new"
	OutlookClassic     ClientID = "outlook-classic"
	OutlookMobile      ClientID = "outlook-mobile"
	Thunderbird        ClientID = "thunderbird"
	ThunderbirdAndroid ClientID = "thunderbird-android"
	AppleMail          ClientID = "applemail"
)

// Client describes one mail client and how people refer to it.
type Client struct {
	// ID is the stable identifier.
	ID ClientID
	// Name is the product name shown to users; brands are not translated.
	Name string
	// Aliases are other ids that name the client in web addresses
	// (/en/iphone is /en/ios).
	Aliases []ClientID
	// Phrases are exact ways people name the client, lowercase and without
	// accents, one or more words each ("blackberry hub", "bb10").
	Phrases []string
	// Fuzzy are single words also recognized with a typo or two
	// ("blackbery", "thunderbrid"); keep them long enough to be unambiguous.
	Fuzzy []string
	// Variants, for a name that covers several apps ("Outlook"), are the
	// clients to choose from; such a client has no guide of its own.
	Variants []ClientID
	// Guide is the client's step-by-step guide, or nil when mailhelp only
	// has the generic settings card for it.
	Guide *Guide
	// SelfConfig is how the client can set an account up by itself, if
	// it can from what a domain publishes.
	SelfConfig SelfConfig
}

// SelfConfig is a way a client configures itself.
type SelfConfig string

// The ways clients configure themselves.
const (
	// SelfConfigNone: the settings are typed in (or the client asks a
	// vendor's service mailhelp cannot feed).
	SelfConfigNone SelfConfig = ""
	// SelfConfigProfile: an Apple configuration profile, installed in
	// one tap (iPhone, iPad, Mac).
	SelfConfigProfile SelfConfig = "profile"
	// SelfConfigAutoconfig: Mozilla autoconfig, read from the domain
	// (Thunderbird, Thunderbird for Android).
	SelfConfigAutoconfig SelfConfig = "autoconfig"
	// SelfConfigAutodiscover: Outlook's Autodiscover, read from the
	// domain (classic Outlook for Windows).
	SelfConfigAutodiscover SelfConfig = "autodiscover"
)

// HasGuide reports whether the client has its own step-by-step guide.
func (c Client) HasGuide() bool { return c.Guide != nil }

// clients are listed most common first: examples and pickers show them
// in this order.
var clients = []Client{
	{
		ID:         IOSMail,
		Name:       "iPhone / iPad",
		SelfConfig: SelfConfigProfile,
		Aliases:    []ClientID{"iphone", "ipad"},
		// No typo matching: one letter off "iphone" is "phone".
		Phrases: []string{"iphone", "ipad", "i phone", "i pad", "ios", "ipod", "iphon", "ifone", "ipados"},
	},
	{
		ID:      Android,
		Name:    "Android (Gmail app)",
		Aliases: []ClientID{"gmail"},
		Phrases: []string{"android", "gmail app", "application gmail", "app gmail", "pixel", "google pixel",
			"xiaomi", "huawei", "oneplus", "motorola", "oppo"},
		Fuzzy: []string{"android"},
	},
	{
		ID:      SamsungEmail,
		Name:    "Samsung Email",
		Phrases: []string{"samsung", "galaxy", "samsung email", "samsung mail", "samsung e mail"},
		Fuzzy:   []string{"samsung"},
	},
	{
		ID:       Outlook,
		Name:     "Outlook",
		Phrases:  []string{"outlook", "ms outlook", "microsoft outlook", "outlook 365", "office 365"},
		Fuzzy:    []string{"outlook"},
		Variants: []ClientID{OutlookNew, OutlookClassic, OutlookMobile},
	},
	{
		ID:   OutlookNew,
		Name: "new Outlook for Windows",
		Phrases: []string{"new outlook", "outlook new", "nouvel outlook", "nouveau outlook", "neues outlook",
			"neuen outlook", "nuevo outlook", "outlook nuevo", "windows mail", "courrier windows", "mail app windows"},
	},
	{
		ID:         OutlookClassic,
		Name:       "classic Outlook for Windows",
		SelfConfig: SelfConfigAutodiscover,
		Phrases: []string{"classic outlook", "outlook classic", "outlook classique", "klassisches outlook",
			"outlook klassisch", "outlook clasico", "outlook 2013", "outlook 2016", "outlook 2019", "outlook 2021",
			"outlook 2024", "outlook desktop"},
	},
	{
		ID:   OutlookMobile,
		Name: "Outlook for iOS and Android",
		Phrases: []string{"outlook app", "outlook mobile", "outlook iphone", "outlook android", "outlook ipad",
			"app outlook", "application outlook", "outlook ios", "outlook for ios", "outlook for android",
			"outlook pour ios", "outlook pour android", "outlook fur ios", "outlook fur android", "outlook para ios",
			"outlook para android"},
	},
	{
		ID:         Thunderbird,
		Name:       "Thunderbird",
		SelfConfig: SelfConfigAutoconfig,
		Phrases:    []string{"thunderbird", "thunder bird", "tbird", "mozilla thunderbird"},
		Fuzzy:      []string{"thunderbird"},
	},
	{
		ID:         ThunderbirdAndroid,
		Name:       "Thunderbird for Android",
		SelfConfig: SelfConfigAutoconfig,
		Aliases:    []ClientID{"k9"},
		Phrases: []string{"thunderbird android", "thunderbird for android", "thunderbird pour android", "thunderbird fur android",
			"thunderbird para android", "k9", "k 9", "k9 mail", "k 9 mail"},
	},
	{
		ID:         AppleMail,
		Name:       "Apple Mail (Mac)",
		SelfConfig: SelfConfigProfile,
		Aliases:    []ClientID{"mac"},
		Phrases:    []string{"apple mail", "mail app", "mail.app", "macos mail", "mac mail", "mac", "macbook", "imac", "macos", "os x", "osx"},
	},
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
}

// setGuide gives a client its guide; each guide's file calls it from
// init, so a new guide is one new file.
func setGuide(id ClientID, g *Guide) {
	for i := range clients {
		if clients[i].ID == id {
			clients[i].Guide = g
			return
		}
	}
	panic("knowledge: a guide for unknown client " + string(id))
}

// Clients returns every known client, most common first.
func Clients() []Client {
	out := make([]Client, len(clients))
	copy(out, clients)
	return out
}

// ClientByID returns the client with the given ID or alias.
func ClientByID(id ClientID) (Client, bool) {
	for _, c := range clients {
		if c.ID == id || slices.Contains(c.Aliases, id) {
			return c, true
		}
	}
	return Client{}, false
}
