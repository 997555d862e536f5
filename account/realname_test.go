package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

func TestDevRealNameVerifier(t *testing.T) {
	ctx := context.Background()
	v := account.DevRealNameVerifier{Now: func() time.Time { return acctT0 }}
	tests := []struct {
		name   string
		typ    account.DocType
		number string
		person string
		want   error
	}{
		{"valid resident ID passes", account.DocResidentID, "11010519491231002X", "张三", nil},
		{"well-formed HK/Macao permit passes", account.DocHKMacaoPermit, "H12345678", "陈大文", nil},
		{"well-formed passport passes", account.DocPassport, "E12345678", "JOHN SMITH", nil},
		{"resident ID with a wrong check character fails", account.DocResidentID, "110105194912310021", "张三", account.ErrRealNameFailed},
		{"malformed permit fails", account.DocHKMacaoPermit, "X12345678", "陈大文", account.ErrRealNameFailed},
		{"name with the failure marker fails", account.DocResidentID, "11010519491231002X", "张三测试失败", account.ErrRealNameFailed},
		{"empty name fails", account.DocResidentID, "11010519491231002X", "  ", account.ErrRealNameFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Verify(ctx, tc.typ, tc.number, tc.person)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := v.Verify(canceled, account.DocResidentID, "11010519491231002X", "张三"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify on a canceled context = %v", err)
	}
}

func TestChangeName(t *testing.T) {
	ctx := context.Background()
	v := account.DevRealNameVerifier{}
	a := account.Account{ID: 7, DocType: account.DocResidentID, DocNumber: "11010519491231002X", Name: "张三"}
	tests := []struct {
		name     string
		newName  string
		inUse    bool
		want     error
		wantName string
	}{
		{"verified change is applied", " 张叁 ", false, nil, "张叁"},
		{"failed verification leaves the name", "张叁测试失败", false, account.ErrRealNameFailed, "张三"},
		{"a certificate in use locks the identity", "张叁", true, account.ErrIdentityLocked, "张三"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := account.ChangeName(ctx, v, a, tc.newName, tc.inUse)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("ChangeName = %v, want %v", err, tc.want)
			}
			if got.Name != tc.wantName || got.RealNameVerified != (tc.want == nil) {
				t.Fatalf("account after ChangeName: %+v", got)
			}
		})
	}
}

func TestCanEditIdentity(t *testing.T) {
	if err := account.CanEditIdentity(false); err != nil {
		t.Fatalf("free identity: %v", err)
	}
	if err := account.CanEditIdentity(true); !errors.Is(err, account.ErrIdentityLocked) {
		t.Fatalf("locked identity: %v", err)
	}
}

func ExampleCanEditIdentity() {
	fmt.Println(account.CanEditIdentity(false))
	fmt.Println(account.CanEditIdentity(true))
	// Output:
	// <nil>
	// 证书已在报名业务中使用或报名信息已进行现场确认,无法修改个人身份信息,请联系您的认定机构
}

func ExampleDevRealNameVerifier() {
	v := account.DevRealNameVerifier{}
	ctx := context.Background()
	fmt.Println(v.Verify(ctx, account.DocResidentID, "11010519491231002X", "张三"))
	fmt.Println(v.Verify(ctx, account.DocResidentID, "11010519491231002X", "张三测试失败"))
	// Output:
	// <nil>
	// 实名审核失败,信息更新未成功。您仍可正常办理业务
}
