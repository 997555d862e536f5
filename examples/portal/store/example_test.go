package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/store"
)

func ExampleParseStaffRole() {
	for _, s := range []string{"authority", "确认点工作人员", "root"} {
		r, err := store.ParseStaffRole(s)
		fmt.Printf("%q → %q (%s) %v\n", s, string(r), r, err)
	}
	// Output:
	// "authority" → "authority" (注册机构工作人员) <nil>
	// "确认点工作人员" → "confirmation_point" (确认点工作人员) <nil>
	// "root" → "" (未知角色) 工作人员角色无效
}

func ExamplePhotoKey() {
	fmt.Println(store.PhotoKey([]byte("jpeg bytes")))
	// Output:
	// 1b48e21282963dfba2ffff3a4c331471242fe42fd0a51161e56df72085c445c9
}

func ExampleSyntheticHolder() {
	doc, name := store.SyntheticHolder(42)
	fmt.Println(doc, name, store.SyntheticCertificateNumber(42))
	// Output:
	// 11010819600105000X 叶静伟 20141100111000042
}

func FuzzParseStaffRole(f *testing.F) {
	for _, s := range []string{"admin", "authority", "confirmation_point", "管理员", "", "ADMIN", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := store.ParseStaffRole(s)
		if err != nil {
			if !errors.Is(err, store.ErrInvalidRole) || r != "" {
				t.Fatalf("ParseStaffRole(%q) = %q, %v", s, r, err)
			}
			return
		}
		// A parsed role round-trips through its code and its label.
		if back, err := store.ParseStaffRole(string(r)); err != nil || back != r {
			t.Fatalf("code of %q does not parse back: %q %v", r, back, err)
		}
		if back, err := store.ParseStaffRole(r.String()); err != nil || back != r {
			t.Fatalf("label of %q does not parse back: %q %v", r, back, err)
		}
	})
}
