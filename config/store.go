package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// build checks the store section: a redis:// or rediss:// URL with a
// host, and no password (secrets come from the environment).
func (s storeFile) build() (Store, []error) {
	var out Store
	var errs []error
	if s.ClaimLease != "" {
		d, err := time.ParseDuration(s.ClaimLease)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("store.claim_lease: %q is not a duration (such as 30s)", s.ClaimLease))
		case d < time.Second || d > 10*time.Minute:
			errs = append(errs, fmt.Errorf("store.claim_lease: %s is not between 1s and 10m", d))
		default:
			out.ClaimLease = d
		}
	}
	if s.URL == "" {
		return out, errs
	}
	if err := CheckStoreURL(s.URL); err != nil {
		return out, append(errs, fmt.Errorf("store.url: %w", err))
	}
	if u, _ := parseStoreURL(s.URL); u.hasPassword {
		return out, append(errs, errors.New("store.url: a password does not belong in the file: "+
			"set the whole URL in $MAILHELP_REDIS_URL instead"))
	}
	out.URL = s.URL
	return out, errs
}

// CheckStoreURL says what is wrong with a store URL, from the file or
// from $MAILHELP_REDIS_URL (where a password is fine); nil when it is a
// redis:// or rediss:// URL naming a host. The error never repeats the
// URL, which may hold a password.
func CheckStoreURL(raw string) error {
	_, err := parseStoreURL(raw)
	return err
}

// storeURL is what parseStoreURL found.
type storeURL struct{ hasPassword bool }

// parseStoreURL reads a store URL without ever quoting it in an error.
func parseStoreURL(raw string) (storeURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return storeURL{}, errors.New("not a URL (want redis://host:port/db or rediss://…)")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return storeURL{}, errors.New("the scheme is not redis:// nor rediss://")
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return storeURL{}, errors.New("no host (want redis://host:port/db)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return storeURL{}, errors.New("the port is not a number from 1 to 65535")
		}
	}
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			return storeURL{}, errors.New("the path is not a database number (/0, /1…)")
		}
	}
	_, hasPassword := u.User.Password()
	return storeURL{hasPassword: hasPassword}, nil
}
