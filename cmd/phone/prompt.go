package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// prompter asks questions on the terminal (or reads answers piped to stdin).
type prompter struct {
	in  *bufio.Reader
	out io.Writer
	tty *os.File // stdin when it is a terminal
}

func newPrompter(in io.Reader, out io.Writer) *prompter {
	p := &prompter{in: bufio.NewReader(in), out: out}
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = f
		}
	}
	return p
}

// errNoAnswer is returned when stdin ends before an answer.
var errNoAnswer = errors.New("no answer on standard input (give it with a flag to run non-interactively)")

// line asks q and returns the answer without surrounding spaces.
func (p *prompter) line(q string) (string, error) {
	fmt.Fprint(p.out, q)
	s, err := p.in.ReadString('\n')
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(p.out)
			return "", errNoAnswer
		}
		return "", err
	}
	return strings.TrimSpace(s), nil
}

// secret asks q without echoing the answer when stdin is a terminal.
func (p *prompter) secret(q string) (string, error) {
	if p.tty != nil && p.stty("-echo") == nil {
		defer func() {
			_ = p.stty("echo")
			fmt.Fprintln(p.out)
		}()
	}
	return p.line(q)
}

func (p *prompter) stty(arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = p.tty
	return cmd.Run()
}

// yesNo asks q until the answer is yes or no.
func (p *prompter) yesNo(q string) (bool, error) {
	for {
		a, err := p.line(q)
		if err != nil {
			return false, err
		}
		switch strings.ToLower(a) {
		case "y", "yes", "a", "accept":
			return true, nil
		case "n", "no", "d", "deny":
			return false, nil
		}
		fmt.Fprintln(p.out, "Please answer y (accept) or n (deny).")
	}
}
