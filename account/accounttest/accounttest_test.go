package accounttest_test

import (
	"testing"

	"github.com/tqreg/tqreg/account"

	"github.com/tqreg/tqreg/account/accounttest"
)

func TestMemoryConforms(t *testing.T) {
	m := &accounttest.Memory{}
	accounttest.Conformance(t, m, m.AddAccount)
}

func TestMemoryCaptchaStoreConforms(t *testing.T) {
	accounttest.CaptchaConformance(t, &account.MemoryCaptchaStore{})
}
