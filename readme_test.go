package tqreg_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"net/url"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// The bodies of these examples are the snippets of README.md's tour, verbatim (TestReadmeSnippets
// keeps them so): `go test -run Example_ .` runs every snippet and checks what it prints.

func Example_account() {
	id, err := account.ParseResidentID("11010519491231002x") // GB 11643: checksum, date, region
	fmt.Println(id, id.Birth().Format("2006-01-02"), id.Male(), err)

	_, err = account.ParseResidentID("110105194912310021")
	fmt.Println(err, errors.Is(err, account.ErrInvalidID))

	fmt.Println(account.CheckPassword("12345678", id.String()))
	// Output:
	// 11010519491231002X 1949-12-31 false <nil>
	// 身份证号码校验位错误 true
	// 密码过于常见,容易被猜到,请换一个
}

func Example_certificate() {
	n, err := certificate.ParseNumber("20114400121000123")
	fmt.Println(n.Year(), n.Province(), n.Kind(), n.Kind().Registrable(), err)

	// A 1997 certificate that never synced may be added by hand.
	issued := time.Date(1997, 9, 10, 0, 0, 0, 0, account.ChinaStandardTime)
	fmt.Println(certificate.ManualEntryAllowed(certificate.MustParseNumber("974401002100123"), issued, false))
	// Output:
	// 2011 44 小学 true <nil>
	// <nil>
}

func Example_photo() {
	// A phone-sized picture: a grey figure on white, 1200×1600 pixels.
	img := image.NewRGBA(image.Rect(0, 0, 1200, 1600))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(300, 500, 900, 1600), image.NewUniform(color.Gray{90}), image.Point{}, draw.Src)
	var phonePhoto bytes.Buffer
	if err := jpeg.Encode(&phonePhoto, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}

	r := photo.Registration.Check(phonePhoto.Bytes()) // every problem at once, zh-CN, header before pixels
	for _, p := range r.Problems {
		fmt.Println(p.Code, "|", p.Message)
	}
	fixed, err := photo.Normalize(phonePhoto.Bytes(), photo.Registration) // crop, resize, re-encode into the bounds
	after := photo.Registration.Check(fixed)
	fmt.Println(err, after.Width, after.Height, after.OK())
	// Output:
	// 文件太小 | 照片文件大小为 36020 字节（35.2 KB），应大于 51200 字节（50 KB）且小于 204800 字节（200 KB）
	// 宽度不符 | 照片宽度为 1200 像素，应大于 290 像素且小于 300 像素
	// 高度不符 | 照片高度为 1600 像素，应大于 408 像素且小于 418 像素
	// <nil> 295 413 true
}

func Example_form() {
	_, errs := form.Decode(url.Values{form.FieldPostcode: {"12345"}})
	fmt.Println(errs.Get(form.FieldPostcode))
	// Output:
	// 通讯邮编应为6位数字
}

func Example_registration() {
	fmt.Println(registration.CanTransition(registration.StatusPending,
		registration.StatusConfirmed, registration.ActorConfirmationPoint))

	a := registration.Assess(registration.CycleRecord{TrainingHours: 359,
		Appraisals: []registration.Appraisal{registration.AppraisalCompetent}})
	fmt.Println(a.Conclusion, a.Reasons)
	// Output:
	// true
	// 暂缓注册 [培训学时不足：完成359学时，应不少于360学时]
}
