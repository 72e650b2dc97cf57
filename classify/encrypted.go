package classify

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// encryptedContent recognises a message encrypted as a whole: S/MIME
// enveloped data (RFC 8551 §3.2) or PGP/MIME (RFC 3156 §4). Below the top,
// such a part cannot be read (uninspectable:encrypted-mime). At the top,
// the label is not taken on trust: the body must have the shape of what it
// claims to be (smimeEnveloped, pgpMIME), or the message is
// uninspectable:encrypted-label. Only then is Result.ContentEncrypted set.
//
// The shape is checked, not the cipher: a sender who builds a valid
// envelope around text in clear on purpose is not what the opt-out guards
// against. A CPR number in clear in the wire form is still found.
func (w *walker) encryptedContent(e *message.Entity, mt string, params map[string]string, depth int) bool {
	var verify func(*message.Entity) bool
	switch mt {
	case "application/pkcs7-mime", "application/x-pkcs7-mime":
		switch strings.ToLower(params["smime-type"]) {
		case "enveloped-data", "authenveloped-data":
			verify = smimeEnveloped
		}
	case "multipart/encrypted":
		if strings.ToLower(params["protocol"]) == "application/pgp-encrypted" {
			verify = w.pgpMIME
		}
	}
	switch {
	case verify == nil:
		return false
	case depth > 0:
		w.res.flag(UninspectableEncryptedMIME)
	case verify(e):
		w.res.ContentEncrypted = true
	default:
		w.res.flag(UninspectableEncryptedLabel)
	}
	return true
}

// DER encodings of the CMS content types of encrypted S/MIME (RFC 5652
// §6.1, RFC 5083 §2.1), with their tag and length.
var (
	oidEnvelopedData     = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03}
	oidAuthEnvelopedData = []byte{0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17}
)

// smimeEnveloped reports whether e's body, transfer encoding undone, is a
// CMS ContentInfo holding enveloped or authenticated-enveloped data, and
// decodes to its end without error.
func smimeEnveloped(e *message.Entity) bool {
	br := getReader(e.Body)
	defer putReader(br)
	head, _ := br.Peek(32)
	if !cmsEnveloped(head) {
		return false
	}
	_, err := io.Copy(io.Discard, br)
	return err == nil
}

// cmsEnveloped checks the start of a BER or DER ContentInfo: SEQUENCE, its
// length (definite or not), the content type, then the [0] content.
func cmsEnveloped(p []byte) bool {
	if len(p) < 2 || p[0] != 0x30 {
		return false
	}
	i := 2
	switch l := p[1]; {
	case l <= 0x80: // short form, or indefinite
	case l <= 0x84:
		i += int(l & 0x7f)
	default:
		return false
	}
	for _, oid := range [][]byte{oidEnvelopedData, oidAuthEnvelopedData} {
		if i+len(oid) < len(p) && bytes.Equal(p[i:i+len(oid)], oid) && p[i+len(oid)] == 0xa0 {
			return true
		}
	}
	return false
}

// pgpMIME reports whether e is a PGP/MIME encrypted message: exactly two
// parts, the control part saying only "Version: 1", then one ASCII-armored
// OpenPGP message whose packets are key packets followed by encrypted data
// (pgpArmored).
func (w *walker) pgpMIME(e *message.Entity) bool {
	mr := e.MultipartReader()
	ctl, err := mr.NextPart()
	if err != nil || ctl == nil {
		return false
	}
	if mt, _, _ := ctl.Header.ContentType(); mt != "application/pgp-encrypted" {
		return false
	}
	v, err := io.ReadAll(io.LimitReader(ctl.Body, 1024))
	if err != nil || strings.TrimSpace(string(v)) != "Version: 1" {
		return false
	}
	data, err := mr.NextPart()
	if err != nil || data == nil || !w.pgpArmored(data.Body) {
		return false
	}
	_, err = mr.NextPart()
	return err == io.EOF
}

const (
	armorBegin = "-----BEGIN PGP MESSAGE-----"
	armorEnd   = "-----END PGP MESSAGE-----"
)

var errArmor = errors.New("not an ASCII-armored OpenPGP message")

// pgpArmored reads an ASCII-armored OpenPGP message (RFC 4880 §6.2) to its
// end: nothing but white space around it, armor headers (scanned as text:
// a reader may see a Comment), base64 that decodes without error, and
// packets that are encrypted (pgpEncrypted).
func (w *walker) pgpArmored(r io.Reader) bool {
	br := getReader(r)
	defer putReader(br)
	line, err := nextLine(br)
	for err == nil && len(line) == 0 {
		line, err = nextLine(br)
	}
	if err != nil || string(line) != armorBegin {
		return false
	}
	for {
		if line, err = nextLine(br); err != nil {
			return false
		}
		if len(line) == 0 {
			break
		}
		if !bytes.Contains(line, []byte(": ")) {
			return false
		}
		w.scanString(string(line))
	}
	body := &armorBody{br: br}
	dec := base64.NewDecoder(base64.StdEncoding, body)
	head := make([]byte, 16<<10)
	n, err := io.ReadFull(dec, head)
	if err != nil && err != io.ErrUnexpectedEOF || !pgpEncrypted(head[:n]) {
		return false
	}
	if _, err := io.Copy(io.Discard, dec); err != nil || !body.end {
		return false
	}
	for {
		line, err := nextLine(br)
		if len(line) != 0 {
			return false
		}
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// nextLine returns the next line of br without its line ending or trailing
// white space; a line longer than br's buffer is an error.
func nextLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, errArmor
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	return bytes.TrimRight(line, " \t\r\n"), err
}

// armorBody reads the base64 lines of an armored message, up to the
// checksum line ("=XXXX") or the end line, which sets end.
type armorBody struct {
	br   *bufio.Reader
	buf  []byte
	sum  bool // the checksum line was read: only the end line may follow
	end  bool
	done bool
}

func (a *armorBody) Read(p []byte) (int, error) {
	for len(a.buf) == 0 {
		if a.done {
			return 0, io.EOF
		}
		line, err := nextLine(a.br)
		switch {
		case err != nil:
			return 0, errArmor
		case string(line) == armorEnd:
			a.end, a.done = true, true
		case a.sum:
			return 0, errArmor
		case len(line) == 5 && line[0] == '=':
			a.sum = true
		default:
			a.buf = line
		}
	}
	n := copy(p, a.buf)
	a.buf = a.buf[n:]
	return n, nil
}

// OpenPGP packet tags (RFC 4880 §4.3, RFC 9580 §5).
const (
	tagPKESK = 1  // public-key encrypted session key
	tagSKESK = 3  // symmetric-key encrypted session key
	tagSED   = 9  // symmetrically encrypted data
	tagSEIPD = 18 // symmetrically encrypted and integrity protected data
	tagAEAD  = 20 // AEAD encrypted data (LibrePGP)
)

// pgpEncrypted reports whether the OpenPGP packets starting p are one or
// more session-key packets followed by an encrypted-data packet.
func pgpEncrypted(p []byte) bool {
	keys := 0
	for len(p) > 0 {
		b := p[0]
		if b&0x80 == 0 {
			return false
		}
		var tag, hdr, n int
		if b&0x40 != 0 { // new format
			tag = int(b & 0x3f)
			if len(p) < 2 {
				return false
			}
			switch l := int(p[1]); {
			case l < 192:
				hdr, n = 2, l
			case l < 224:
				if len(p) < 3 {
					return false
				}
				hdr, n = 3, (l-192)<<8+int(p[2])+192
			case l == 255:
				if len(p) < 6 {
					return false
				}
				hdr, n = 6, int(p[2])<<24|int(p[3])<<16|int(p[4])<<8|int(p[5])
			default:
				hdr, n = 2, -1 // partial length: only for the data packet
			}
		} else { // old format
			tag = int(b>>2) & 0x0f
			switch b & 3 {
			case 0:
				hdr = 2
			case 1:
				hdr = 3
			case 2:
				hdr = 5
			default:
				hdr, n = 1, -1 // indeterminate: only for the data packet
			}
			if n == 0 {
				if len(p) < hdr {
					return false
				}
				for _, c := range p[1:hdr] {
					n = n<<8 | int(c)
				}
			}
		}
		switch tag {
		case tagSED, tagSEIPD, tagAEAD:
			return keys > 0
		case tagPKESK, tagSKESK:
			if n < 0 || hdr+n > len(p) {
				return false
			}
			keys++
			p = p[hdr+n:]
		default:
			return false
		}
	}
	return false
}
