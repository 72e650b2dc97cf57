package pdf

// Stream filters (PDF §7.4) under the decompression budgets.

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
)

// errFilter: a stream uses a filter this reader does not implement (an
// image codec, LZW, encryption). Such a stream is skipped.
var errFilter = errors.New("pdf: unsupported filter")

// decode applies the stream's filters within the budgets. Results are
// cached: a font or form may be used by many pages.
func (x *extractor) decode(s *stream) ([]byte, error) {
	if dec, ok := x.decoded[s]; ok {
		return dec, nil
	}
	names := x.arrayOf(s.dict["Filter"])
	if len(names) > maxFilters {
		return nil, fmt.Errorf("%w: too many filters", ErrMalformed)
	}
	parms := x.arrayOf(s.dict["DecodeParms"])
	out := s.raw
	for i, f := range names {
		n, _ := x.resolve(f).(name)
		var err error
		switch n {
		case "FlateDecode", "Fl":
			out, err = x.inflate(out)
			if err == nil && i < len(parms) {
				out, err = predict(out, x.dictOf(parms[i]))
			}
		case "ASCIIHexDecode", "AHx":
			out = hexDecode(out)
		case "ASCII85Decode", "A85":
			out, err = x.ascii85(out)
		case "RunLengthDecode", "RL":
			out, err = x.runLength(out)
		default:
			return nil, fmt.Errorf("%w %s", errFilter, n)
		}
		if err != nil {
			return nil, err
		}
	}
	x.decoded[s] = out
	return out, nil
}

// inflate decompresses zlib, falling back to raw deflate, which some
// producers write without the zlib header.
func (x *extractor) inflate(b []byte) ([]byte, error) {
	out, err := x.readCapped(func() (io.Reader, error) { return zlib.NewReader(bytes.NewReader(b)) })
	if err == nil || errors.Is(err, ErrLimit) {
		return out, err
	}
	if len(out) > 0 {
		return out, nil // truncated stream: keep what we got
	}
	return x.readCapped(func() (io.Reader, error) { return flate.NewReader(bytes.NewReader(b)), nil })
}

func (x *extractor) ascii85(b []byte) ([]byte, error) {
	if i := bytes.Index(b, []byte("~>")); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimPrefix(bytes.TrimSpace(b), []byte("<~"))
	return x.readCapped(func() (io.Reader, error) { return ascii85.NewDecoder(bytes.NewReader(b)), nil })
}

// runLength undoes RunLengthDecode (PDF §7.4.5).
func (x *extractor) runLength(b []byte) ([]byte, error) {
	var out []byte
	limit := min(int64(maxStream), x.budget)
	for i := 0; i < len(b) && b[i] != 128; {
		n := int(b[i])
		i++
		switch {
		case n < 128:
			end := min(len(b), i+n+1)
			out = append(out, b[i:end]...)
			i = end
		case i < len(b):
			out = append(out, bytes.Repeat(b[i:i+1], 257-n)...)
			i++
		}
		if int64(len(out)) > limit {
			return nil, ErrLimit
		}
	}
	x.budget -= int64(len(out))
	return out, nil
}

// predict undoes a PNG predictor (PDF §7.4.4.4), which cross-reference and
// object streams may use. TIFF predictor 2 is left as it is: it is met in
// images only.
func predict(b []byte, parms dict) ([]byte, error) {
	pred, _ := parms["Predictor"].(float64)
	if pred < 10 {
		return b, nil
	}
	cols, colors, bpc := 1.0, 1.0, 8.0
	if v, ok := parms["Columns"].(float64); ok {
		cols = v
	}
	if v, ok := parms["Colors"].(float64); ok {
		colors = v
	}
	if v, ok := parms["BitsPerComponent"].(float64); ok {
		bpc = v
	}
	bpp := max(1, int(colors*bpc+7)/8)
	row := int(cols*colors*bpc+7) / 8
	if row <= 0 || row > 1<<20 {
		return nil, fmt.Errorf("%w: predictor columns", ErrMalformed)
	}
	out := make([]byte, 0, len(b))
	prev := make([]byte, row)
	for i := 0; i+row < len(b)+1 && i < len(b); i += row + 1 {
		cur := make([]byte, row)
		copy(cur, b[i+1:min(len(b), i+1+row)])
		unfilter(b[i], cur, prev, bpp)
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

// unfilter reverses one PNG filter type in place.
func unfilter(t byte, cur, prev []byte, bpp int) {
	for j := range cur {
		var a, c byte
		if j >= bpp {
			a, c = cur[j-bpp], prev[j-bpp]
		}
		up := prev[j]
		switch t {
		case 1:
			cur[j] += a
		case 2:
			cur[j] += up
		case 3:
			cur[j] += byte((int(a) + int(up)) / 2)
		case 4:
			cur[j] += paeth(a, up, c)
		}
	}
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// readCapped reads a decoder to the end, charging the global budget and
// stopping at the per-stream cap, so a deflate bomb costs at most the cap.
func (x *extractor) readCapped(open func() (io.Reader, error)) ([]byte, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	limit := min(int64(maxStream), x.budget)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if n > limit {
		return nil, ErrLimit
	}
	x.budget -= n
	if err != nil && err != io.ErrUnexpectedEOF {
		return buf.Bytes(), err
	}
	return buf.Bytes(), nil
}
