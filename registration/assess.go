package registration

import (
	"fmt"
	"strconv"
)

// Appraisal is an annual appraisal result (年度考核等次). Stored codes: do not reorder.
type Appraisal int

// The appraisal results. The zero value is not a result.
const (
	AppraisalExcellent          Appraisal = iota + 1 // 优秀
	AppraisalCompetent                               // 合格
	AppraisalBasicallyCompetent                      // 基本合格
	AppraisalIncompetent                             // 不合格
)

// Appraisals lists every appraisal result in stored-code order.
var Appraisals = []Appraisal{AppraisalExcellent, AppraisalCompetent, AppraisalBasicallyCompetent, AppraisalIncompetent}

var appraisalLabels = [...]string{"", "优秀", "合格", "基本合格", "不合格"}

// String returns the zh-CN label, e.g. "基本合格".
func (a Appraisal) String() string {
	if a.Valid() {
		return appraisalLabels[a]
	}
	return "未知等次（" + strconv.Itoa(int(a)) + "）"
}

// Valid reports whether a is one of the defined results.
func (a Appraisal) Valid() bool { return a >= AppraisalExcellent && a <= AppraisalIncompetent }

// ErrInvalidAppraisal is returned by ParseAppraisal for an unknown label or code.
var ErrInvalidAppraisal = &Error{Code: "invalid_appraisal", Message: "年度考核等次无效"}

// ParseAppraisal accepts the zh-CN label ("优秀") or the stored code ("1").
func ParseAppraisal(s string) (Appraisal, error) {
	for _, a := range Appraisals {
		if s == appraisalLabels[a] {
			return a, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && Appraisal(n).Valid() {
		return Appraisal(n), nil
	}
	return 0, ErrInvalidAppraisal
}

// MinTrainingHours is the training required in one registration cycle (每个注册有效期内不少于360学时).
const MinTrainingHours = 360

// CycleRecord is what the authority knows of a teacher's registration cycle (注册周期).
type CycleRecord struct {
	// TrainingHours are the training hours (培训学时) completed in the cycle.
	TrainingHours int
	// Appraisals are the annual appraisals, oldest first, one per year.
	Appraisals []Appraisal
	// SeriousMisconduct: a serious violation of law or teachers' ethics (严重违反师德).
	SeriousMisconduct bool
	// QualificationLost: the qualification was revoked or lost (教师资格被撤销或丧失).
	QualificationLost bool
	// AbsentBeyondSemester: out of teaching for more than one semester without an allowed reason
	// (study, training, exchange, sick or maternity leave) (无正当理由未在教育教学岗位工作超过一个学期).
	AbsentBeyondSemester bool
	// Unfit: not in the health to do the work (身心健康状况不能胜任教育教学工作).
	Unfit bool
}

// Assessment is the suggested conclusion (注册结论建议) for a cycle, with a zh-CN reason for each
// clause of the rules that applied.
type Assessment struct {
	// Conclusion is StatusQualified, StatusDeferred or StatusUnqualified.
	Conclusion Status
	// Reasons says, in zh-CN and in the order of the rules, every clause that applied; for
	// 注册合格 it says that every condition was met.
	Reasons []string
}

// Assess applies the conclusion rules of 《中小学教师资格定期注册暂行办法》 (SPEC §4):
//
//   - 注册不合格 when any of: serious misconduct; the qualification revoked or lost; 不合格 in two or
//     more consecutive annual appraisals. This overrides everything else.
//   - otherwise 暂缓注册 when any of: fewer than 360 training hours; absent from teaching beyond one
//     semester; one 不合格, or several that are never consecutive; an appraisal below 合格
//     (基本合格 — the rules require 合格 or better every year but list no clause for it, so this
//     project defers); unfit for the work (a condition of 注册合格 with no clause of its own; the
//     cause can go away, so this project defers rather than fails).
//   - otherwise 注册合格.
//
// Every clause that applied gives a reason, including those a harsher conclusion overrode.
// An appraisal value that is not valid counts as a year without 不合格.
func Assess(r CycleRecord) Assessment {
	var unqualified, deferred []string

	if r.SeriousMisconduct {
		unqualified = append(unqualified, "严重违反法律法规或教师职业道德规范")
	}
	if r.QualificationLost {
		unqualified = append(unqualified, "教师资格被撤销或丧失")
	}
	incompetent, run, longest, basic := 0, 0, 0, 0
	for _, a := range r.Appraisals {
		switch a {
		case AppraisalIncompetent:
			incompetent++
			run++
			longest = max(longest, run)
			continue
		case AppraisalBasicallyCompetent:
			basic++
		}
		run = 0
	}
	if longest >= 2 {
		unqualified = append(unqualified, fmt.Sprintf("年度考核连续%d年不合格", longest))
	} else if incompetent == 1 {
		deferred = append(deferred, "注册周期内年度考核1次不合格")
	} else if incompetent > 1 {
		deferred = append(deferred, fmt.Sprintf("注册周期内年度考核%d次不合格（均不连续）", incompetent))
	}
	if r.TrainingHours < MinTrainingHours {
		deferred = append(deferred, fmt.Sprintf("培训学时不足：完成%d学时，应不少于%d学时", r.TrainingHours, MinTrainingHours))
	}
	if r.AbsentBeyondSemester {
		deferred = append(deferred, "无正当理由未在教育教学岗位工作超过一个学期")
	}
	if basic > 0 {
		deferred = append(deferred, fmt.Sprintf("注册周期内年度考核%d次为基本合格，未达到合格以上等次", basic))
	}
	if r.Unfit {
		deferred = append(deferred, "身心健康状况不能胜任教育教学工作")
	}

	switch {
	case len(unqualified) > 0:
		return Assessment{Conclusion: StatusUnqualified, Reasons: append(unqualified, deferred...)}
	case len(deferred) > 0:
		return Assessment{Conclusion: StatusDeferred, Reasons: deferred}
	}
	return Assessment{Conclusion: StatusQualified, Reasons: []string{
		fmt.Sprintf("遵守法律法规和师德规范，年度考核均为合格以上等次，完成培训%d学时，身心健康胜任工作", r.TrainingHours),
	}}
}
