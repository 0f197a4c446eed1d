package discordbot

import "github.com/bwmarrin/discordgo"

func fr(s string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.French: s}
}

// Commands is the /mailhelp application command, registered (overwriting
// any older one) at start-up.
func Commands() []*discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	dm := true
	return []*discordgo.ApplicationCommand{{
		Name: "mailhelp", NameLocalizations: fr("mailhelp"),
		Description:              "Mail setup help: settings for your address, device steps, live checks",
		DescriptionLocalizations: fr("Aide à la configuration de la messagerie : réglages, étapes, vérifications"),
		DMPermission:             &dm,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: sub, Name: "configure", NameLocalizations: *fr("configurer"),
				Description: "Step-by-step setup of a device for your address", DescriptionLocalizations: *fr("Configurer un appareil pas à pas pour votre adresse"),
				Options: []*discordgo.ApplicationCommandOption{
					{Type: str, Name: "client", NameLocalizations: *fr("appareil"), Required: true, Autocomplete: true,
						Description: "Your device or mail app", DescriptionLocalizations: *fr("Votre appareil ou application de messagerie")},
					{Type: str, Name: "address", NameLocalizations: *fr("adresse"), Required: true, MaxLength: 254,
						Description: "Your mail address", DescriptionLocalizations: *fr("Votre adresse de messagerie")},
				}},
			{Type: sub, Name: "check", NameLocalizations: *fr("verifier"),
				Description: "Check a mail server live", DescriptionLocalizations: *fr("Vérifier un serveur de messagerie en direct"),
				Options: []*discordgo.ApplicationCommandOption{
					{Type: str, Name: "target", NameLocalizations: *fr("cible"), Required: true, MaxLength: 254,
						Description: "Your address or the server's name", DescriptionLocalizations: *fr("Votre adresse ou le nom du serveur")},
				}},
			{Type: sub, Name: "ports", NameLocalizations: *fr("ports"),
				Description: "Ports and security of the mail servers", DescriptionLocalizations: *fr("Ports et sécurité des serveurs de messagerie"),
				Options: []*discordgo.ApplicationCommandOption{
					{Type: str, Name: "address", NameLocalizations: *fr("adresse"), MaxLength: 254,
						Description: "Your address, for your own settings", DescriptionLocalizations: *fr("Votre adresse, pour vos propres réglages")},
				}},
			{Type: sub, Name: "announce", NameLocalizations: *fr("annoncer"),
				Description: "Admins: post a domain's mail settings in a channel", DescriptionLocalizations: *fr("Admins : publier les réglages d'un domaine dans un canal"),
				Options: []*discordgo.ApplicationCommandOption{
					{Type: str, Name: "domain", NameLocalizations: *fr("domaine"), Required: true, MaxLength: 253,
						Description: "The mail domain", DescriptionLocalizations: *fr("Le domaine de messagerie")},
					{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", NameLocalizations: *fr("canal"), Required: true,
						ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
						Description:  "Where to post it", DescriptionLocalizations: *fr("Où le publier")},
				}},
			{Type: sub, Name: "help", NameLocalizations: *fr("aide"),
				Description: "What mailhelp can do", DescriptionLocalizations: *fr("Ce que mailhelp sait faire")},
		},
	}}
}
