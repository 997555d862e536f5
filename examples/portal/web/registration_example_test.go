package web_test

import (
	"fmt"

	"github.com/tqreg/tqreg/examples/portal/web"
)

// Photos are stored under the hex SHA-256 of their bytes: the same bytes, the same key.
func ExamplePhotoKey() {
	fmt.Println(web.PhotoKey([]byte("jpeg bytes")))
	// Output: 1b48e21282963dfba2ffff3a4c331471242fe42fd0a51161e56df72085c445c9
}
