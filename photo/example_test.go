package photo_test

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"

	"github.com/tqreg/tqreg/photo"
)

// A photo 320 pixels wide and 210 KB large, on a light-blue background: Check
// names every problem at once.
func ExampleSpec_Check() {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, portrait(320, 413, lightBlue, 6, 1), &jpeg.Options{Quality: 90})
	data := append(buf.Bytes()[:2:2], comment(210*1024-buf.Len())...)
	data = append(data, buf.Bytes()[2:]...)

	r := photo.Registration.Check(data)
	fmt.Println(r.OK(), r.Width, r.Height, r.Bytes)
	for _, p := range r.Problems {
		fmt.Printf("%s：%s\n", p.Code, p.Message)
	}
	// Output:
	// false 320 413 215040
	// 文件太大：照片文件大小为 215040 字节（210 KB），应大于 51200 字节（50 KB）且小于 204800 字节（200 KB）
	// 宽度不符：照片宽度为 320 像素，应大于 290 像素且小于 300 像素
	// 背景不是白色：照片背景不是白色：顶部和两侧边缘接近白色的部分只有 0%，应至少 85%
}

// The bytes decide the format: a PNG is refused even when it is named photo.jpg.
func ExampleSpec_Check_notJPEG() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, portrait(40, 40, white, 0, 1))
	for _, p := range photo.Registration.Check(buf.Bytes()).Problems {
		if p.Code == photo.CodeNotJPEG {
			fmt.Println(p.Message)
		} else {
			fmt.Println(p.Code)
		}
	}
	// Output:
	// 文件太小
	// 照片不是 JPEG（JPG）格式（文件内容为 PNG 图片），请上传 JPG 格式的照片
}

// Normalize turns a 600×840 JPEG portrait into a photo that passes Check (a PNG
// is read the same way).
func ExampleNormalize() {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, portrait(600, 840, white, 6, 2), &jpeg.Options{Quality: 90})

	out, err := photo.Normalize(buf.Bytes(), photo.Registration)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := photo.Registration.Check(out)
	fmt.Println(r.OK(), r.Width, r.Height, r.Bytes > 50*1024 && r.Bytes < 200*1024)
	// Output:
	// true 295 413 true
}

// Normalize refuses what it cannot read with a zh-CN error that errors.Is can match.
func ExampleNormalize_error() {
	_, err := photo.Normalize([]byte("GIF89a..."), photo.Registration)
	fmt.Println(err)
	// Output:
	// 图片格式不支持（文件内容为 GIF 图片），只能处理 JPEG 或 PNG 图片
}

func ExampleParseCode() {
	c, err := photo.ParseCode("背景不是白色")
	fmt.Println(c == photo.CodeBackground, err)
	// Output:
	// true <nil>
}

// comment returns a JPEG COM segment of exactly n bytes (n >= 4).
func comment(n int) []byte {
	seg := []byte{0xff, 0xfe, byte((n - 2) >> 8), byte(n - 2)}
	return append(seg, make([]byte, n-4)...)
}
