package account_test

import (
	"errors"
	"fmt"

	"github.com/tqreg/tqreg/account"
)

func ExampleCheckPassword() {
	const doc = "11010519491231002X"
	for _, pw := range []string{"short", "11010519491231002x", "password1", "Tq7#mwp2-zz", "教师资格定期注册"} {
		err := account.CheckPassword(pw, doc)
		fmt.Println(err, errors.Is(err, account.ErrWeakPassword))
	}
	// Output:
	// 密码长度不能少于8位 true
	// 密码不能与证件号码相同,也不能包含证件号码 true
	// 密码过于常见,容易被猜到,请换一个 true
	// <nil> false
	// <nil> false
}

func ExamplePasswordPolicy_Check() {
	p := account.PasswordPolicy{MinLength: 10}
	fmt.Println(p.Check("abc12345", ""))
	// Output: 密码长度不能少于10位
}
