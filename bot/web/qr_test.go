package web

import (
	"encoding/xml"
	"image"
	"image/color"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var (
	qrViewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	qrPathRE    = regexp.MustCompile(`<path fill="#000" d="([^"]*)"/>`)
	qrRunRE     = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// qrRaster reads an SVG made by qrSVG back into a grey image, scale
// pixels per module: white, with the path's rectangles in black.
func qrRaster(t *testing.T, svg string, scale int) *image.Gray {
	t.Helper()
	vb := qrViewBoxRE.FindStringSubmatch(svg)
	if vb == nil || vb[1] != vb[2] {
		t.Fatalf("no square viewBox in %.200s", svg)
	}
	n, _ := strconv.Atoi(vb[1])
	p := qrPathRE.FindAllStringSubmatch(svg, -1)
	if len(p) != 1 {
		t.Fatalf("%d paths, want exactly one", len(p))
	}
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	d, modules := p[0][1], 0
	for d != "" {
		m := qrRunRE.FindStringSubmatch(d)
		if m == nil {
			t.Fatalf("unexpected path data at %.40q", d)
		}
		d = d[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || w < 1 {
			t.Fatalf("run %q does not close on itself", m[0])
		}
		if x < 4 || y < 4 || x+w > n-4 || y >= n-4 {
			t.Fatalf("run %q in the quiet zone of a %d-unit code", m[0], n)
		}
		for px := x * scale; px < (x+w)*scale; px++ {
			for py := y * scale; py < (y+1)*scale; py++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
		modules += w
	}
	if modules == 0 {
		t.Fatal("no dark module")
	}
	return img
}

func qrDecode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decoding the QR code: %v", err)
	}
	return res.GetText()
}

func qrWellFormed(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%.300s", err, svg)
		}
	}
}

func TestQRSVGDecodes(t *testing.T) {
	long := "https://mailhelp.domaine.com/mobileconfig?address=" + strings.Repeat("alice.martin-dupont%40domaine.com,", 10) + "&lang=fr"
	if len(long) < 380 || len(long) > 420 {
		t.Fatalf("the long text is %d bytes", len(long))
	}
	for _, text := range []string{
		"https://mailhelp.domaine.com/mobileconfig?address=alice%40domaine.com&lang=fr",
		long,
		"Élodie – ✉ 日本語",
	} {
		t.Run(strconv.Itoa(len(text)), func(t *testing.T) {
			svg, err := qrSVG(text, `Code QR "<profil>" & lien`)
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			qrWellFormed(t, s)
			if !strings.HasPrefix(s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `) ||
				!strings.Contains(s, ` class="qr" role="img" aria-label="Code QR &#34;&lt;profil&gt;&#34; &amp; lien"`) ||
				!strings.Contains(s, `shape-rendering="crispEdges"`) || !strings.Contains(s, `<rect `) {
				t.Errorf("unexpected SVG head: %.300s", s)
			}
			if strings.Contains(s, "style") {
				t.Error("the SVG has a style attribute or element, which the CSP forbids")
			}
			if got := qrDecode(t, qrRaster(t, s, 4)); got != text {
				t.Errorf("decoded %q, want %q", got, text)
			}
		})
	}
}

func TestQRSVGErrors(t *testing.T) {
	for name, tc := range map[string]struct{ text, label string }{
		"empty":            {"", "QR"},
		"over 1 KB":        {strings.Repeat("a", 1025), "QR"},
		"NUL in label":     {"x", "a\x00b"},
		"invalid label":    {"x", "\xff"},
		"control in label": {"x", "a\x1bb"},
	} {
		if svg, err := qrSVG(tc.text, tc.label); err == nil {
			t.Errorf("%s: no error; got %.100s", name, svg)
		}
	}
	if _, err := qrSVG(strings.Repeat("é", 512), "QR"); err != nil {
		t.Errorf("exactly 1 KB: %v", err)
	}
}

func FuzzQRSVG(f *testing.F) {
	f.Add("https://mailhelp.domaine.com/mobileconfig?address=alice%40domaine.com&lang=fr", "QR code")
	f.Add("0123456789", `"><script>`)
	f.Add("HELLO WORLD", "]]>&amp;")
	f.Add("\x00\xff", "\t\n")
	f.Fuzz(func(t *testing.T, text, label string) {
		if len(text) > qrMaxText {
			if _, err := qrSVG(text, label); err == nil {
				t.Fatal("no error for a text over 1 KB")
			}
			return
		}
		svg, err := qrSVG(text, label)
		if err != nil {
			return
		}
		qrWellFormed(t, string(svg))
	})
}
