package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot/discordbot"
	"github.com/mailhelp/mailhelp/bot/web"
	"github.com/mailhelp/mailhelp/internal/buildinfo"
)

// newDiscord builds the Discord bot from the environment, or returns nil
// when DISCORD_BOT_TOKEN is not set. Secrets come only from there.
func (m *Main) newDiscord(a *app.App, log *slog.Logger, metrics *web.Metrics) (*discordbot.Bot, error) {
	token := m.Getenv("DISCORD_BOT_TOKEN")
	if token == "" {
		return nil, nil
	}
	cfg := discordbot.Config{Token: token, AppID: m.Getenv("DISCORD_APP_ID"),
		GuildID: m.Getenv("DISCORD_GUILD_ID"), APIURL: m.Getenv("DISCORD_API_URL")}
	if cfg.AppID == "" {
		return nil, errors.New("discord: DISCORD_BOT_TOKEN needs DISCORD_APP_ID (the application id, to register /mailhelp)")
	}
	if id, count := m.Getenv("DISCORD_SHARD_ID"), m.Getenv("DISCORD_SHARD_COUNT"); id != "" || count != "" {
		var err1, err2 error
		cfg.ShardID, err1 = strconv.Atoi(id)
		cfg.ShardCount, err2 = strconv.Atoi(count)
		if err1 != nil || err2 != nil || cfg.ShardCount < 1 || cfg.ShardID < 0 || cfg.ShardID >= cfg.ShardCount {
			return nil, fmt.Errorf("discord: DISCORD_SHARD_ID %q and DISCORD_SHARD_COUNT %q must be 0 <= id < count", id, count)
		}
	}
	b, err := discordbot.New(cfg, discordbot.Options{Router: a.Answerer(), Translator: a.Catalog(), Logger: log,
		Announcements: a.Announcements(), Deliveries: a.Deliveries(), TakeoverAfter: a.TakeoverAfter(),
		Journal: a.Journal()})
	if err != nil {
		return nil, err
	}
	b.Reconnected = func() { metrics.Reconnected("discord") }
	b.Session.UserAgent = buildinfo.Get().DiscordUserAgent() // every REST call goes through this session
	return b, nil
}
