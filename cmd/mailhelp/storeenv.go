package main

import (
	"fmt"

	"github.com/mailhelp/mailhelp/config"
)

// redisURLEnv names the environment variable of the shared store's URL:
// it wins over store.url and may hold a password, which the file may
// not.
const redisURLEnv = "MAILHELP_REDIS_URL"

// withStoreEnv sets cfg's store URL from $MAILHELP_REDIS_URL when it is
// set, and refuses it when it is not a store URL (without quoting it).
func (m *Main) withStoreEnv(cfg *config.Config, err error) (*config.Config, error) {
	if err != nil {
		return nil, err
	}
	raw := m.Getenv(redisURLEnv)
	if raw == "" {
		return cfg, nil
	}
	if err := config.CheckStoreURL(raw); err != nil {
		return nil, fmt.Errorf("$%s: %w", redisURLEnv, err)
	}
	cfg.Store.URL = raw
	return cfg, nil
}
