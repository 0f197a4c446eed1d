package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mailhelp/mailhelp/app"
	"github.com/mailhelp/mailhelp/bot"
	"github.com/mailhelp/mailhelp/bot/render"
)

// maxLineBytes bounds what ask keeps of one stdin line; the rest of a
// longer line is read and dropped, and only its size is remembered.
const maxLineBytes = bot.MaxTextBytes + 1

// ask answers the question in the arguments, or each line of stdin.
func (m *Main) ask(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var of outputFlags
	of.register(fs, "the question's")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: mailhelp ask [flags] [QUESTION...]")
		fmt.Fprintln(m.Stderr, "With no QUESTION, reads one question per line from standard input.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !of.validate(m.Stderr, "ask") {
		return exitUsage
	}
	write, lang := writers[*of.format], of.lang
	a, err := m.newApp(*of.config, app.Options{})
	if err != nil {
		fmt.Fprintf(m.Stderr, "mailhelp ask: %v\n", err)
		return exitFail
	}
	defer a.Close()
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	// Questions read from stdin are one conversation: a line may follow
	// up on the one before ("and for iPhone?").
	conv := ""
	locale := m.locale()
	answer := func(n int, text string, size int) error {
		reply := a.Answerer().Serve(ctx, &bot.Request{Text: text, Size: size, Platform: "cli", UserID: "cli",
			Conversation: conv, ForceLang: *lang, LocaleHint: locale})
		return write(out, n, reply)
	}
	if fs.NArg() > 0 {
		if err := answer(0, strings.Join(fs.Args(), " "), 0); err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp ask: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	conv = "stdin"
	return m.askLines(ctx, out, answer)
}

// askLines answers each line of stdin, keeping at most maxLineBytes of
// a line.
func (m *Main) askLines(ctx context.Context, out *bufio.Writer, answer func(n int, text string, size int) error) int {
	in := bufio.NewReaderSize(m.Stdin, 64<<10)
	for n := 0; ; {
		if err := ctx.Err(); err != nil {
			return exitFail
		}
		line, size, err := readLine(in, maxLineBytes)
		if size > 0 || err == nil {
			if strings.TrimSpace(line) != "" || size > len(line) {
				if werr := answer(n, line, size); werr != nil {
					fmt.Fprintf(m.Stderr, "mailhelp ask: %v\n", werr)
					return exitFail
				}
				n++
				if ferr := out.Flush(); ferr != nil {
					return exitFail
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return exitOK
		}
		if err != nil {
			fmt.Fprintf(m.Stderr, "mailhelp ask: reading standard input: %v\n", err)
			return exitFail
		}
	}
}

// readLine reads one line, keeping at most limit bytes of it and
// discarding the rest. size is the line's full length without its end.
func readLine(r *bufio.Reader, limit int) (line string, size int, err error) {
	var b strings.Builder
	for {
		chunk, isPrefix, err := r.ReadLine()
		size += len(chunk)
		if room := limit - b.Len(); room > 0 {
			b.Write(chunk[:min(len(chunk), room)])
		}
		if err != nil {
			return b.String(), size, err
		}
		if !isPrefix {
			return b.String(), size, nil
		}
	}
}

// writers print one answer; n is its position in the output.
var writers = map[string]func(w io.Writer, n int, r *bot.Reply) error{
	"text": func(w io.Writer, n int, r *bot.Reply) error {
		if n > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, render.Text(r))
		return err
	},
	"markdown": func(w io.Writer, n int, r *bot.Reply) error {
		if n > 0 {
			if _, err := io.WriteString(w, "\n---\n\n"); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, render.Markdown(r))
		return err
	},
	"json": func(w io.Writer, n int, r *bot.Reply) error {
		b, err := render.JSON(render.AnswerOf(r))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	},
}

// locale is the terminal's language, for questions whose own language
// is unclear: $LC_ALL, else $LC_MESSAGES, else $LANG ("fr_FR.UTF-8").
func (m *Main) locale() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := m.Getenv(v); l != "" {
			return l
		}
	}
	return ""
}
