package web_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/examples/portal/web"
)

var demoNow = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

// Photos are stored under the hex SHA-256 of their bytes: the same bytes, the same key.
func ExamplePhotoKey() {
	fmt.Println(web.PhotoKey([]byte("jpeg bytes")))
	// Output: 1b48e21282963dfba2ffff3a4c331471242fe42fd0a51161e56df72085c445c9
}

// The demo catalogue has one open window per authority and stage in Guangzhou, a Shenzhen window
// that has not opened yet and a Nanning window that has closed.
func ExampleDemoCatalogue() {
	m := web.NewMemoryRegistration(web.DemoCatalogue(demoNow))
	cat, _ := m.Catalogue(context.Background())
	for _, id := range []string{"gz-edu-2", "sz-edu-2", "nn-edu-2"} {
		w, _ := cat.Window(id)
		err := w.Check(demoNow)
		fmt.Println(id, err == nil)
	}
	// Output:
	// gz-edu-2 true
	// sz-edu-2 false
	// nn-edu-2 false
}
