package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tqreg/tqreg/photo"
)

// Uploads (照片上传): the photo is checked by its bytes (photo.Registration.Check on exactly what
// was sent) and stored re-encoded: the store only ever holds JPEG bytes the portal encoded itself,
// never the client's. A photo that passes is stored normalised (photo.Normalize, which also drops
// EXIF and every other metadata segment); one that fails but decodes is stored as the same pixels
// re-encoded, for the preview and 自动调整. When that re-encoding passes the check (a PNG of the
// right size, say), the page shows the stored photo as passing with a note that it was converted;
// otherwise it shows the check of the bytes sent. One that does not decode, or has more pixels
// than maxReencodePixels, is not stored at all and the page says why.
//
// A re-encoding does not apply the EXIF orientation (the check judges the stored pixel size, as
// sent): 自动调整 of such a photo then works on the pixels as stored.
//
// The decoding and encoding run in one of a few photo work slots (photoSlots), so concurrent
// uploads cannot take more than the machine's processors; an upload that gets no slot in time is
// answered 503 系统繁忙.

// maxReencodePixels bounds the pictures an upload may be re-encoded from: photo.MaxCheckPixels,
// the most Check itself decodes. The photo asked for is about 0.12 megapixels (under 300×418),
// so this leaves room for a picture about 8 times that to be kept for 自动调整, while one
// picture costs at most about 8 MB decoded (16-bit PNG): a flat 1024×1024 16-bit PNG (8 KB)
// took about 50 ms and 17 MB of allocations for check and re-encoding. Anything larger is
// refused from its header, unread, with a message to shrink it first.
const maxReencodePixels = photo.MaxCheckPixels

// photoSlotWait is how long an upload waits for a photo work slot before it is answered 503.
const photoSlotWait = 5 * time.Second

// msgPhotoBusy answers an upload that got no photo work slot.
const msgPhotoBusy = "系统繁忙,请稍后重试"

// errNotReencodable: the upload is not a JPEG or PNG the portal can decode and keep.
var errNotReencodable = errors.New("photo upload cannot be re-encoded")

// tooManyPixelsError: the upload's header claims more than maxReencodePixels pixels.
type tooManyPixelsError struct{ width, height int }

func (e *tooManyPixelsError) Error() string {
	return fmt.Sprintf("photo upload of %d×%d pixels is over the re-encoding bound", e.width, e.height)
}

// photoSlots bounds the photo decoding and encoding that run at once (GOMAXPROCS slots).
type photoSlots struct {
	slots chan struct{}
	// wait is the longest wait for a slot, in nanoseconds (photoSlotWait; tests set 0).
	wait atomic.Int64
}

func newPhotoSlots() *photoSlots {
	p := &photoSlots{slots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
	p.wait.Store(int64(photoSlotWait))
	return p
}

// acquire takes a slot, waiting at most the slot wait and never past ctx; false when none came.
// A true answer must be followed by release.
func (p *photoSlots) acquire(ctx context.Context) bool {
	select {
	case p.slots <- struct{}{}:
		return true
	default:
	}
	wait := time.Duration(p.wait.Load())
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	case <-t.C:
		return false
	}
}

func (p *photoSlots) release() { <-p.slots }

// storedUpload is what storableUpload keeps of an upload.
type storedUpload struct {
	data []byte
	// problems are the check's messages of bytes that fail it and whose re-encoding fails it
	// too: the page shows them instead of the stored photo's report.
	problems []string
	// note, when set, says the bytes sent failed the check but were converted into a stored
	// photo that passes it.
	note string
}

// storableUpload turns the bytes of an upload into the bytes to store; refusal is the zh-CN
// answer when nothing is stored. It decodes pictures: call it holding a photo work slot.
func storableUpload(sent []byte) (up storedUpload, refusal string) {
	rep := photo.Registration.Check(sent)
	if rep.OK() {
		if re, err := photo.Normalize(sent, photo.Registration); err == nil && photo.Registration.Check(re).OK() {
			return storedUpload{data: re}, ""
		}
	}
	re, err := reencodeJPEG(sent, photo.Registration.MaxBytes)
	if err != nil {
		if tm := (*tooManyPixelsError)(nil); errors.As(err, &tm) {
			s := photo.Registration
			return storedUpload{}, fmt.Sprintf("照片为 %d×%d 像素,超过系统可以处理的上限 %d 像素,照片未保存;请将照片缩小到宽度大于%d且小于%d像素、高度大于%d且小于%d像素后重新上传",
				tm.width, tm.height, maxReencodePixels, s.MinWidth, s.MaxWidth, s.MinHeight, s.MaxHeight)
		}
		if rep.OK() { // cannot happen for bytes Check decoded; answered plainly all the same
			return storedUpload{}, "照片文件无法读取,请重新上传"
		}
		return storedUpload{}, strings.Join(problemTexts(rep), ";")
	}
	if rep.OK() {
		return storedUpload{data: re}, ""
	}
	if photo.Registration.Check(re).OK() {
		note := "已将照片重新压缩为符合要求的JPEG格式。"
		if !bytes.HasPrefix(sent, []byte{0xFF, 0xD8, 0xFF}) {
			note = "已将照片转换为JPEG格式。"
		}
		return storedUpload{data: re, note: note}, ""
	}
	return storedUpload{data: re, problems: problemTexts(rep)}, ""
}

// reencodeJPEG decodes a JPEG or PNG (the bytes decide) of at most maxReencodePixels and encodes
// its pixels as a JPEG under maxBytes, at the highest of a few qualities that fits. A picture
// whose header claims more pixels is refused with a *tooManyPixelsError before any decoding.
func reencodeJPEG(data []byte, maxBytes int64) ([]byte, error) {
	var (
		decodeConfig func(io.Reader) (image.Config, error)
		decode       func(io.Reader) (image.Image, error)
	)
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		decodeConfig, decode = png.DecodeConfig, png.Decode
	default:
		return nil, errNotReencodable
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errNotReencodable
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxReencodePixels {
		return nil, &tooManyPixelsError{cfg.Width, cfg.Height}
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, errNotReencodable
	}
	var buf bytes.Buffer
	for _, q := range []int{92, 80, 65, 50} {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, errNotReencodable
		}
		if int64(buf.Len()) < maxBytes {
			return bytes.Clone(buf.Bytes()), nil
		}
	}
	return nil, errNotReencodable
}
