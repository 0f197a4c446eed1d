package main

import "path/filepath"

// The tests' environments (Main.Getenv) have no HOME; the account's home
// directory, the state directory's last resort, is then a directory
// beside the offline configuration, which TestMain removes: no test
// writes an audit trail into the home of whoever runs them.
func init() {
	lookupAccountHome = func() (string, error) { return filepath.Join(filepath.Dir(offlineConfig), "home"), nil }
}
