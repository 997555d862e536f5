package account_test

import (
	"fmt"
	"strings"

	"github.com/tqreg/tqreg/account"
)

func ExampleHasher() {
	h, err := account.NewHasher(account.DefaultParams, 0)
	if err != nil {
		panic(err)
	}
	phc, _ := h.Hash("Tq7#mwp2-zz")
	fmt.Println(strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$"))

	ok, err := h.Verify("Tq7#mwp2-zz", phc)
	fmt.Println(ok, err)
	ok, err = h.Verify("wrong", phc)
	fmt.Println(ok, err)
	ok, err = h.Verify("Tq7#mwp2-zz", "$argon2id$broken")
	fmt.Println(ok, err)
	fmt.Println(h.NeedsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$6rV8ubhtQ2YUp7GTSoD8MRCgSYGkHH4nj/QRP3r1Gh8"))
	// Output:
	// true
	// true <nil>
	// false <nil>
	// false 密码哈希格式错误
	// true
}

func ExampleParams_Validate() {
	fmt.Println(account.DefaultParams.Validate())
	p := account.DefaultParams
	p.SaltLen = 4 // too short a salt
	fmt.Println(p.Validate())
	// Output:
	// <nil>
	// 密码哈希参数超出范围
}
