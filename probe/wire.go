package probe

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
)

// Errors of the wire layer, reported as the "protocol" problem.
var (
	errLineTooLong = errors.New("line too long")
	errBudget      = errors.New("byte budget exhausted")
)

// budgetConn fails reads once a connection has delivered its byte budget,
// so no server can make the probe read without end.
type budgetConn struct {
	net.Conn
	left int64
}

func (c *budgetConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= int64(n)
	return n, err
}

// wire reads bounded lines and writes commands on one connection.
type wire struct {
	conn    net.Conn
	br      *bufio.Reader
	maxLine int
}

func newWire(conn net.Conn, maxLine int) *wire {
	return &wire{conn: conn, br: bufio.NewReaderSize(conn, 4096), maxLine: maxLine}
}

// readLine returns one line without its CRLF (or LF). A line longer than
// maxLine is an error; its bytes are not kept.
func (w *wire) readLine() (string, error) {
	var line []byte
	for {
		chunk, err := w.br.ReadSlice('\n')
		if len(line)+len(chunk) > w.maxLine {
			return "", fmt.Errorf("%w (over %d bytes)", errLineTooLong, w.maxLine)
		}
		line = append(line, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return "", fmt.Errorf("connection closed mid-line: %w", io.ErrUnexpectedEOF)
		}
		return "", err
	}
	n := len(line) - 1
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return string(line[:n]), nil
}

// send writes one command line.
func (w *wire) send(line string) error {
	_, err := io.WriteString(w.conn, line+"\r\n")
	return err
}

// buffered returns and drops what the server sent that has not been read
// yet: after a STARTTLS go-ahead, such bytes were injected in plaintext.
func (w *wire) buffered() []byte {
	n := w.br.Buffered()
	if n == 0 {
		return nil
	}
	b := make([]byte, min(n, 64))
	copy(b, must(w.br.Peek(len(b))))
	_, _ = w.br.Discard(n)
	return b
}

func must(b []byte, _ error) []byte { return b }
