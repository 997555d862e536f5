package certificate

import (
	"errors"
	"strconv"
	"strings"
)

// Kind is a 资格种类 (qualification kind), numbered as in 《教师资格条例》§4. The number is
// the kind digit inside a certificate number and is stored: do not reorder.
type Kind int

// The qualification kinds. Stored codes: do not reorder.
const (
	Kindergarten       Kind = 1 // 幼儿园
	Primary            Kind = 2 // 小学
	JuniorMiddle       Kind = 3 // 初级中学
	SeniorMiddle       Kind = 4 // 高级中学
	Vocational         Kind = 5 // 中等职业学校
	VocationalPractice Kind = 6 // 中等职业学校实习指导
	Higher             Kind = 7 // 高等学校
)

var kindLabels = [...]string{
	Kindergarten:       "幼儿园",
	Primary:            "小学",
	JuniorMiddle:       "初级中学",
	SeniorMiddle:       "高级中学",
	Vocational:         "中等职业学校",
	VocationalPractice: "中等职业学校实习指导",
	Higher:             "高等学校",
}

// ErrInvalidKind is returned by ParseKind for anything that is not one of the seven kinds.
var ErrInvalidKind = errors.New("资格种类无效：应为1至7或其名称（幼儿园、小学、初级中学、高级中学、中等职业学校、中等职业学校实习指导、高等学校）")

// String returns the zh-CN label, e.g. "初级中学"; an unknown value prints as "未知资格种类(N)".
func (k Kind) String() string {
	if k.Valid() {
		return kindLabels[k]
	}
	return "未知资格种类(" + strconv.Itoa(int(k)) + ")"
}

// Valid reports whether k is one of the seven kinds.
func (k Kind) Valid() bool { return k >= Kindergarten && k <= Higher }

// Registrable reports whether certificates of this kind take part in periodic registration
// (定期注册): kinds 1–6. 高等学校 certificates are not registered here.
func (k Kind) Registrable() bool { return k >= Kindergarten && k <= VocationalPractice }

// Kinds returns the seven kinds in code order, e.g. for a select box.
func Kinds() []Kind {
	return []Kind{Kindergarten, Primary, JuniorMiddle, SeniorMiddle, Vocational, VocationalPractice, Higher}
}

// ParseKind reads a kind from its stored code ("1".."7") or its zh-CN label, optionally
// followed by "教师资格" (as the certificate query table prints it, e.g. "高等学校教师资格").
// Surrounding spaces are ignored.
func ParseKind(s string) (Kind, error) {
	s = strings.TrimSpace(s)
	if len(s) == 1 && s[0] >= '1' && s[0] <= '7' {
		return Kind(s[0] - '0'), nil
	}
	s = strings.TrimSuffix(s, "教师资格")
	for k := Kindergarten; k <= Higher; k++ {
		if s == kindLabels[k] {
			return k, nil
		}
	}
	return 0, ErrInvalidKind
}
