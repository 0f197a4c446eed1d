package discordbot

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/mailhelp/mailhelp/bot"
)

// localized gives a command's names and descriptions in every language
// mailhelp speaks, each under the Discord locales its message file lists
// (lang.discord_locales): a new language file localizes the command
// with no code change.
type localized struct{ tr bot.Translator }

// of returns the localizations of message id, or nil when there are none.
func (l localized) of(id string) map[discordgo.Locale]string {
	m := map[discordgo.Locale]string{}
	for _, lang := range l.tr.Languages() {
		loc := l.tr.For(lang)
		text := loc.Text(id, nil)
		for _, dl := range strings.Fields(loc.Text("lang.discord_locales", nil)) {
			m[discordgo.Locale(dl)] = text
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// ptr returns the localizations of id as the pointer discordgo wants for
// a command's own name and description.
func (l localized) ptr(id string) *map[discordgo.Locale]string {
	m := l.of(id)
	return &m
}

// en is a message in the fallback language: the command's default words.
func (l localized) en(id string) string { return l.tr.For(bot.LangEnglish).Text(id, nil) }

// Commands is the /mailhelp application command, registered (overwriting
// any older one) at start-up. The names Discord sends back are always
// the default ones below; only what users see is localized.
func Commands(tr bot.Translator) []*discordgo.ApplicationCommand {
	l := localized{tr}
	str := discordgo.ApplicationCommandOptionString
	sub := discordgo.ApplicationCommandOptionSubCommand
	option := func(typ discordgo.ApplicationCommandOptionType, name, nameID, descID string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: typ, Name: name, NameLocalizations: l.of(nameID),
			Description: l.en(descID), DescriptionLocalizations: l.of(descID)}
	}
	dm := true
	configure := option(sub, "configure", "discord.cmd.configure.name", "discord.cmd.configure.description")
	client := option(str, "client", "discord.cmd.client.name", "discord.cmd.client.description")
	client.Required, client.Autocomplete = true, true
	address := option(str, "address", "discord.cmd.address.name", "discord.cmd.address.description")
	address.Required, address.MaxLength = true, 254
	configure.Options = []*discordgo.ApplicationCommandOption{client, address}

	check := option(sub, "check", "discord.cmd.check.name", "discord.cmd.check.description")
	target := option(str, "target", "discord.cmd.target.name", "discord.cmd.target.description")
	target.Required, target.MaxLength = true, 254
	check.Options = []*discordgo.ApplicationCommandOption{target}

	ports := option(sub, "ports", "discord.cmd.ports.name", "discord.cmd.ports.description")
	portsAddress := option(str, "address", "discord.cmd.address.name", "discord.cmd.ports_address.description")
	portsAddress.MaxLength = 254
	ports.Options = []*discordgo.ApplicationCommandOption{portsAddress}

	announce := option(sub, "announce", "discord.cmd.announce.name", "discord.cmd.announce.description")
	domain := option(str, "domain", "discord.cmd.domain.name", "discord.cmd.domain.description")
	domain.Required, domain.MaxLength = true, 253
	channel := option(discordgo.ApplicationCommandOptionChannel, "channel", "discord.cmd.channel.name", "discord.cmd.channel.description")
	channel.Required = true
	channel.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
	announce.Options = []*discordgo.ApplicationCommandOption{domain, channel}

	help := option(sub, "help", "discord.cmd.help.name", "discord.cmd.help.description")
	return []*discordgo.ApplicationCommand{{
		Name: "mailhelp", Description: l.en("discord.cmd.description"),
		DescriptionLocalizations: l.ptr("discord.cmd.description"),
		DMPermission:             &dm,
		Options:                  []*discordgo.ApplicationCommandOption{configure, check, ports, announce, help},
	}}
}
