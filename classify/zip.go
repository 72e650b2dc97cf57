package classify

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"path"
	"strings"

	"github.com/tlsgate/tlsgate/classify/internal/office"
)

// Archive limits, per message (all archives and nested archives together).
// A zip bomb inflates a small part into gigabytes; these stop it after a
// bounded amount of work, with the whole archive left uninspectable.
const (
	// maxZipEntries bounds the entries opened.
	maxZipEntries = 10000
	// maxZipBytes bounds the bytes inflated.
	maxZipBytes = 128 << 20
	// maxZipRatio bounds one entry's inflated size over its compressed
	// size, once it is past zipRatioFloor (small entries of repetitive
	// text compress well and are harmless).
	maxZipRatio   = 100
	zipRatioFloor = 1 << 20
)

// zipArchive scans every entry of a zip archive, or the text of an Office
// document when the archive is one.
func (w *walker) zipArchive(ra io.ReaderAt, size int64, depth int) {
	if n, ok := zipDirEntries(ra, size); ok && n > uint64(maxZipEntries-w.ex.zipEntries) {
		// Checked before archive/zip allocates one record per entry.
		w.res.flag(LimitZipEntries)
		return
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		w.res.flag(UninspectableZip)
		return
	}
	if f := office.Detect(zr); f != office.None {
		w.office(zr, f, depth)
		return
	}
	for _, f := range zr.File {
		if w.stopped() {
			return
		}
		w.scanString(f.Name) // a file name is text a sender writes
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !w.zipEntry(f, depth) {
			return
		}
	}
}

// zipEntry inspects one archive entry; false means stop the archive.
func (w *walker) zipEntry(f *zip.File, depth int) bool {
	rc, ok := w.openEntry(f)
	if rc == nil {
		return ok
	}
	defer rc.Close()
	w.inspect(rc, path.Base(f.Name), "", depth+1, false)
	return rc.err == nil
}

// openEntry opens an entry with the archive limits applied. A nil reader
// with ok means skip the entry; with !ok, stop the archive.
func (w *walker) openEntry(f *zip.File) (rc *boundedEntry, ok bool) {
	w.ex.zipEntries++
	switch {
	case w.ex.zipEntries > maxZipEntries:
		w.res.flag(LimitZipEntries)
		return nil, false
	case f.Flags&0x1 != 0: // APPNOTE 4.4.4 bit 0: encrypted
		w.res.flag(UninspectableEncryptedZip)
		return nil, true
	case f.UncompressedSize64 > maxZipBytes:
		w.res.flag(LimitZipSize)
		return nil, false
	case f.UncompressedSize64 > zipRatioFloor && f.UncompressedSize64/max(f.CompressedSize64, 1) > maxZipRatio:
		w.res.flag(LimitZipRatio)
		return nil, false
	}
	r, err := f.Open()
	if err != nil {
		w.res.flag(UninspectableZip)
		return nil, true
	}
	return &boundedEntry{rc: r, w: w, comp: int64(f.CompressedSize64)}, true
}

// boundedEntry reads an entry's inflated bytes, failing with a limit
// reason as soon as the archive limits are crossed; the declared sizes in
// the archive are not trusted. Corruption becomes "uninspectable:zip".
type boundedEntry struct {
	rc   io.ReadCloser
	w    *walker
	n    int64
	comp int64
	err  error
}

func (b *boundedEntry) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	b.n += int64(n)
	b.w.ex.zipBytes += int64(n)
	switch {
	case b.w.stopped():
		// Scan flags limit:timeout; this only stops the inflating.
		b.err = reasonError(LimitTimeout)
	case b.w.ex.zipBytes > maxZipBytes:
		b.err = reasonError(LimitZipSize)
	case b.n > zipRatioFloor && b.n/max(b.comp, 1) > maxZipRatio:
		b.err = reasonError(LimitZipRatio)
	case err != nil && err != io.EOF:
		b.err = reasonError(UninspectableZip)
	}
	if b.err != nil {
		return 0, b.err
	}
	return n, err
}

func (b *boundedEntry) Close() error { return b.rc.Close() }

// zipDirEntries reads the entry count from the end of central directory
// record (APPNOTE 4.3.16), or its ZIP64 form (4.3.14).
func zipDirEntries(ra io.ReaderAt, size int64) (uint64, bool) {
	const tail = 65535 + 22 + 20 // comment, EOCD, ZIP64 locator
	off := max(size-tail, 0)
	buf := make([]byte, size-off)
	if _, err := ra.ReadAt(buf, off); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < 22 {
		return 0, false
	}
	n := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xffff || i < 20 || string(buf[i-20:i-16]) != "PK\x06\x07" {
		return n, true
	}
	// ZIP64: the locator points at the ZIP64 end record.
	rec := make([]byte, 40)
	at := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	if _, err := ra.ReadAt(rec, at); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
