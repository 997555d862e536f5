package photo

import (
	"errors"
	"fmt"
)

// Code is a photo problem code (照片问题代码), a closed set. The values are stored
// codes: do not reorder; add new codes at the end.
type Code uint8

// The photo problem codes. Stored codes: do not reorder.
const (
	// CodeNotJPEG: the bytes are not a JPEG (不是 JPEG 格式).
	CodeNotJPEG Code = iota + 1
	// CodeTooSmall: the file is not larger than the minimum size.
	CodeTooSmall
	// CodeTooLarge: the file is not smaller than the maximum size.
	CodeTooLarge
	// CodeWidth: the width is outside the bounds.
	CodeWidth
	// CodeHeight: the height is outside the bounds.
	CodeHeight
	// CodeBackground: the background is not white.
	CodeBackground
	// CodeCorrupt: a JPEG that cannot be read (damaged or truncated).
	CodeCorrupt
)

var codeLabels = [...]string{
	CodeNotJPEG:    "不是 JPEG 格式",
	CodeTooSmall:   "文件太小",
	CodeTooLarge:   "文件太大",
	CodeWidth:      "宽度不符",
	CodeHeight:     "高度不符",
	CodeBackground: "背景不是白色",
	CodeCorrupt:    "文件已损坏",
}

// String returns the zh-CN label of c.
func (c Code) String() string {
	if c > 0 && int(c) < len(codeLabels) {
		return codeLabels[c]
	}
	return fmt.Sprintf("Code(%d)", uint8(c))
}

// ErrUnknownCode is returned by [ParseCode] for a label that names no code.
var ErrUnknownCode = errors.New("未知的照片问题代码")

// ParseCode returns the code whose zh-CN label is s (the inverse of [Code.String]).
func ParseCode(s string) (Code, error) {
	for c := CodeNotJPEG; int(c) < len(codeLabels); c++ {
		if codeLabels[c] == s {
			return c, nil
		}
	}
	return 0, ErrUnknownCode
}
