package registration

import (
	"strconv"

	"github.com/tqreg/tqreg/form"
)

// Stage is a current teaching stage (现任教学段), the third level of the window query
// (province → city → stage → authority). Stored codes: do not reorder.
//
// form.TeachingStage is the information form's 任教学段 code list with the same codes ("1".."5");
// StageOf and TeachingStage convert between the two. This type stays an integer because it is the
// catalogue's key and is stored in windows, scopes and applications.
type Stage int

// The stages. The zero value is not a stage.
const (
	StageKindergarten Stage = iota + 1 // 幼儿园
	StagePrimary                       // 小学
	StageJuniorMiddle                  // 初级中学
	StageSeniorMiddle                  // 高级中学
	StageVocational                    // 中等职业学校
)

// Stages lists every stage in stored-code order.
var Stages = []Stage{StageKindergarten, StagePrimary, StageJuniorMiddle, StageSeniorMiddle, StageVocational}

var stageLabels = [...]string{"", "幼儿园", "小学", "初级中学", "高级中学", "中等职业学校"}

// String returns the zh-CN label, e.g. "小学".
func (s Stage) String() string {
	if s.Valid() {
		return stageLabels[s]
	}
	return "未知学段（" + strconv.Itoa(int(s)) + "）"
}

// Valid reports whether s is one of the defined stages.
func (s Stage) Valid() bool { return s >= StageKindergarten && s <= StageVocational }

// ErrInvalidStage is returned by ParseStage for an unknown label or code.
var ErrInvalidStage = &Error{Code: "invalid_stage", Message: "任教学段无效"}

// ParseStage accepts the zh-CN label ("小学") or the stored code ("2").
func ParseStage(s string) (Stage, error) {
	for _, st := range Stages {
		if s == stageLabels[st] {
			return st, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && Stage(n).Valid() {
		return Stage(n), nil
	}
	return 0, ErrInvalidStage
}

// TeachingStage returns the form's code for s ("" for an invalid stage).
func (s Stage) TeachingStage() form.TeachingStage {
	if !s.Valid() {
		return ""
	}
	return form.TeachingStage(strconv.Itoa(int(s)))
}

// StageOf converts the form's 任教学段 code to a Stage (ErrInvalidStage for anything else).
func StageOf(t form.TeachingStage) (Stage, error) {
	if !form.TeachingStages.Valid(t) {
		return 0, ErrInvalidStage
	}
	return ParseStage(string(t))
}
