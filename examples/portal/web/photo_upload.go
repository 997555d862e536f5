package web

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"github.com/tqreg/tqreg/photo"
)

// Uploads (照片上传): the photo is checked by its bytes (photo.Registration.Check on exactly what
// was sent) and stored re-encoded: the store only ever holds JPEG bytes the portal encoded itself,
// never the client's. A photo that passes is stored normalised (photo.Normalize, which also drops
// EXIF and every other metadata segment); one that fails but decodes is stored as the same pixels
// re-encoded, for the preview and 自动调整, and the page shows the check of the bytes sent; one
// that does not decode is not stored at all and the page shows the check's messages.
//
// A re-encoding does not apply the EXIF orientation (the check judges the stored pixel size, as
// sent): 自动调整 of such a photo then works on the pixels as stored.

// maxReencodePixels bounds the pictures an upload may be re-encoded from (the photo asked for is
// about 0.12 megapixels; 4 megapixels decode into 16 MB).
const maxReencodePixels = 4 << 20

// errNotReencodable: the upload is not a JPEG or PNG the portal can decode and keep.
var errNotReencodable = errors.New("photo upload cannot be re-encoded")

// storableUpload turns the bytes of an upload into the bytes to store. problems are the check's
// messages for a photo that fails it but is kept (re-encoded); refusal is the zh-CN answer when
// nothing is stored.
func storableUpload(sent []byte) (data []byte, problems []string, refusal string) {
	rep := photo.Registration.Check(sent)
	if rep.OK() {
		if re, err := photo.Normalize(sent, photo.Registration); err == nil && photo.Registration.Check(re).OK() {
			return re, nil, ""
		}
	}
	re, err := reencodeJPEG(sent, photo.Registration.MaxBytes)
	if err != nil {
		if rep.OK() { // cannot happen for bytes Check decoded; answered plainly all the same
			return nil, nil, "照片文件无法读取,请重新上传"
		}
		return nil, nil, strings.Join(problemTexts(rep), ";")
	}
	if rep.OK() {
		return re, nil, ""
	}
	return re, problemTexts(rep), ""
}

// reencodeJPEG decodes a JPEG or PNG (the bytes decide) of at most maxReencodePixels and encodes
// its pixels as a JPEG under maxBytes, at the highest of a few qualities that fits.
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
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxReencodePixels {
		return nil, errNotReencodable
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
