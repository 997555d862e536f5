package accounttest_test

import (
	"testing"

	"github.com/tqreg/tqreg/account/accounttest"
)

func TestMemoryConforms(t *testing.T) {
	m := &accounttest.Memory{}
	accounttest.Conformance(t, m, m.AddAccount)
}
