package pdf_test

import (
	"errors"
	"fmt"

	"github.com/tqreg/tqreg/examples/portal/pdf"
)

func ExampleRender() {
	doc, err := pdf.Render(minimalForm(), nil) // no photo yet: the box reads 照片
	if err != nil {
		fmt.Println(err)
		return
	}
	s := inspect(doc)
	fmt.Println(string(doc[:5]), s.pages, "page,", "CJK font subset embedded:", s.subsetCJK)
	// Output: %PDF- 1 page, CJK font subset embedded: true
}

func ExampleRender_badPhoto() {
	_, err := pdf.Render(minimalForm(), []byte("not a JPEG"))
	fmt.Println(errors.Is(err, pdf.ErrPhoto))
	fmt.Println(err)
	// Output:
	// true
	// 照片无法读取，请重新上传照片后再下载申请表
}
