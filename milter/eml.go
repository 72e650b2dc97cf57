package milter

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// ReadMessage feeds a stored message (an .eml file, RFC 5322 with LF or
// CRLF line ends) to m the way Postfix hands it to a milter: one call per
// header field, the value without the space after the colon and its folded
// lines joined by "\n", then the body in chunks with CRLF line ends. A
// leading mbox "From " line is skipped. The caller calls m.Finish.
func ReadMessage(r io.Reader, m *Message) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var name, value string
	have := false
	flush := func() {
		if have {
			m.Header(name, value)
		}
		have = false
	}
	first := true
	// A header line longer than this is cut: it exceeds the header limit
	// on its own (limit:header either way), and Postfix cuts header fields
	// at header_size_limit (100 KiB by default) before milters see them.
	maxLine := 2*m.pol.Config.Limits.MaxHeaderBytes + 1
	for {
		line, err := readLine(br, maxLine)
		if err != nil && line == "" {
			if err == io.EOF {
				flush()
				m.EndHeaders()
				return nil
			}
			return err
		}
		if first && strings.HasPrefix(line, "From ") {
			first = false
			continue
		}
		first = false
		switch {
		case line == "":
			flush()
			m.EndHeaders()
			return readBody(br, m)
		case line[0] == ' ' || line[0] == '\t':
			if have {
				value += "\n" + line
			}
		default:
			flush()
			n, v, ok := strings.Cut(line, ":")
			if !ok {
				// Not a header field: Postfix ends the header block
				// here and takes the line as the first of the body.
				m.EndHeaders()
				m.Body([]byte(line + "\r\n"))
				return readBody(br, m)
			}
			name, value, have = strings.TrimRight(n, " \t"), strings.TrimPrefix(v, " "), true
		}
		if err == io.EOF {
			flush()
			m.EndHeaders()
			return nil
		}
	}
}

// readLine returns one line without its line end, cut after max bytes
// (the rest of the line is read and dropped).
func readLine(br *bufio.Reader, max int64) (string, error) {
	var b []byte
	for {
		frag, err := br.ReadSlice('\n')
		if room := max - int64(len(b)); room > 0 {
			b = append(b, frag[:min(int64(len(frag)), room)]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		return line, err
	}
}

// readBody passes the rest of br to m in chunks of whole lines, each ended
// by CRLF.
func readBody(br *bufio.Reader, m *Message) error {
	var chunk bytes.Buffer
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			eol := bytes.HasSuffix(line, []byte("\n"))
			if eol {
				line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
			}
			chunk.Write(line)
			if eol {
				chunk.WriteString("\r\n")
			}
		}
		if chunk.Len() >= bodyChunkBytes || err != nil && chunk.Len() > 0 {
			m.Body(chunk.Bytes())
			chunk.Reset()
		}
		switch {
		case err == nil, err == bufio.ErrBufferFull:
		case err == io.EOF:
			return nil
		default:
			return fmt.Errorf("reading the body: %w", err)
		}
	}
}

// bodyChunkBytes is the size of the body chunks ReadMessage passes on, the
// largest Postfix sends in one milter packet.
const bodyChunkBytes = 64 << 10
