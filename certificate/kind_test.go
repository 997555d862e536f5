package certificate_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tqreg/tqreg/certificate"
)

func TestKindLabelsAndRegistrable(t *testing.T) {
	want := []struct {
		code        int
		label       string
		registrable bool
	}{
		{1, "幼儿园", true}, {2, "小学", true}, {3, "初级中学", true}, {4, "高级中学", true},
		{5, "中等职业学校", true}, {6, "中等职业学校实习指导", true}, {7, "高等学校", false},
	}
	kinds := certificate.Kinds()
	if len(kinds) != len(want) {
		t.Fatalf("Kinds() has %d entries, want %d", len(kinds), len(want))
	}
	for i, w := range want {
		k := kinds[i]
		if int(k) != w.code || k.String() != w.label || k.Registrable() != w.registrable || !k.Valid() {
			t.Errorf("kind %d: got code %d label %q registrable %v", w.code, int(k), k.String(), k.Registrable())
		}
		for _, in := range []string{fmt.Sprint(w.code), w.label, w.label + "教师资格", " " + w.label + " "} {
			got, err := certificate.ParseKind(in)
			if err != nil || got != k {
				t.Errorf("ParseKind(%q) = %v, %v; want %v", in, got, err, k)
			}
		}
	}
}

func TestKindInvalid(t *testing.T) {
	for _, k := range []certificate.Kind{0, 8, -1} {
		if k.Valid() || k.Registrable() {
			t.Errorf("Kind(%d) valid or registrable", int(k))
		}
		if got, want := k.String(), fmt.Sprintf("未知资格种类(%d)", int(k)); got != want {
			t.Errorf("String = %q, want %q", got, want)
		}
	}
	for _, in := range []string{"", "0", "8", "12", "初中", "高校", "１"} {
		if _, err := certificate.ParseKind(in); !errors.Is(err, certificate.ErrInvalidKind) {
			t.Errorf("ParseKind(%q) err = %v, want ErrInvalidKind", in, err)
		}
	}
}
