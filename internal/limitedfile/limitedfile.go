// Package limitedfile reads files that must stay small (a configuration,
// a CA bundle) without ever holding more than the limit in memory.
package limitedfile

import (
	"fmt"
	"io"
	"os"
)

// Read returns the content of path, or an error when it is over limit
// bytes.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over the limit of %d bytes", path, limit)
	}
	return data, nil
}
