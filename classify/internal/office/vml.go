package office

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxVMLToken bounds one token of a VML part in memory.
const maxVMLToken = 1 << 20

// vmlAttrs are the VML attributes that hold text a person wrote.
var vmlAttrs = map[string]bool{"alt": true, "title": true}

// vmlText writes the text of a VML part: the character data, with tags as
// white space (a legacy text box's lines join as a reader's eye joins
// them), and the alternative text of shapes as a field of its own.
func vmlText(r io.Reader, out io.Writer) error {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxVMLToken)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				if err == html.ErrBufferExceeded {
					return ErrTooLarge
				}
				return err
			}
			return nil
		case html.TextToken:
			out.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			out.Write(space)
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if vmlAttrs[string(k)] && len(v) > 0 {
					out.Write(hard)
					out.Write(v)
					out.Write(hard)
				}
			}
		case html.EndTagToken:
			out.Write(space)
		}
	}
}

// utf16Text writes a UTF-16LE string part as UTF-8 (a byte-order mark, if
// any, is dropped by the scanner's normaliser). An odd length is not
// UTF-16: ErrSyntax.
func utf16Text(r io.Reader, out io.Writer) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(b)%2 != 0 {
		return ErrSyntax
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	var buf []byte
	for _, r := range utf16.Decode(u) {
		buf = utf8.AppendRune(buf, r)
	}
	out.Write(buf)
	return nil
}
