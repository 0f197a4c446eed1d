package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"rsc.io/qr"
)

// qrMaxText is the longest text qrSVG encodes, in bytes: a link to this
// site is far shorter, and a code for more is too dense to scan from a
// screen.
const qrMaxText = 1024

// qrQuiet is the quiet zone around a code, in modules: the 4 the QR
// specification asks for.
const qrQuiet = 4

// qrSVG returns text as a QR code (error correction level M) in one
// inline SVG element, labelled for screen readers with label. The code is
// a white square, quiet zone included, with a single path drawing the
// dark modules in a viewBox of one unit per module, so it scales with
// the CSS width of the .qr class; it has no style attribute (the site's
// Content-Security-Policy allows no inline style), only presentation
// attributes.
//
// Each horizontal run of dark modules is drawn as one rectangle of
// height 1 (h/v commands), which is the same as one 1×1 square per
// module in fewer bytes.
func qrSVG(text, label string) (template.HTML, error) {
	if text == "" {
		return "", errors.New("qr: empty text")
	}
	if len(text) > qrMaxText {
		return "", fmt.Errorf("qr: text of %d bytes, longer than %d", len(text), qrMaxText)
	}
	if err := xmlText(label); err != nil {
		return "", fmt.Errorf("qr: label: %w", err)
	}
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	n := strconv.Itoa(code.Size + 2*qrQuiet)
	var b strings.Builder
	// About 5 runs per row, of 15 bytes each: one allocation for most codes.
	b.Grow(256 + len(label) + code.Size*80)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n +
		`" class="qr" role="img" aria-label="` + html.EscapeString(label) +
		`" shape-rendering="crispEdges"><rect width="` + n + `" height="` + n +
		`" fill="#fff"/><path fill="#000" d="`)
	var num [20]byte
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for code.Black(x+run, y) {
				run++
			}
			// "M<x> <y>h<run>v1h-<run>z"
			b.WriteByte('M')
			b.Write(strconv.AppendInt(num[:0], int64(x+qrQuiet), 10))
			b.WriteByte(' ')
			b.Write(strconv.AppendInt(num[:0], int64(y+qrQuiet), 10))
			b.WriteByte('h')
			r := strconv.AppendInt(num[:0], int64(run), 10)
			b.Write(r)
			b.WriteString("v1h-")
			b.Write(r)
			b.WriteByte('z')
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}

// xmlText refuses text an XML attribute cannot carry: invalid UTF-8, and
// control characters other than tab, line feed and carriage return.
func xmlText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("holds the character %U", r)
		}
	}
	return nil
}
