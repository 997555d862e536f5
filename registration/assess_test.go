package registration_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/registration"
)

const (
	exc = registration.AppraisalExcellent
	ok_ = registration.AppraisalCompetent
	bas = registration.AppraisalBasicallyCompetent
	inc = registration.AppraisalIncompetent
)

func good() registration.CycleRecord {
	return registration.CycleRecord{TrainingHours: 360, Appraisals: []registration.Appraisal{ok_, exc, ok_, ok_, exc}}
}

func TestAssessClauses(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*registration.CycleRecord)
		want    registration.Status
		reasons []string // substrings, one per reason, in order
	}{
		{"all conditions met is qualified", func(*registration.CycleRecord) {}, registration.StatusQualified, []string{"完成培训360学时"}},
		{"360 hours is enough", func(r *registration.CycleRecord) { r.TrainingHours = 360 }, registration.StatusQualified, []string{"360学时"}},
		{"359 hours defers", func(r *registration.CycleRecord) { r.TrainingHours = 359 }, registration.StatusDeferred, []string{"培训学时不足：完成359学时"}},
		{"zero hours defers", func(r *registration.CycleRecord) { r.TrainingHours = 0 }, registration.StatusDeferred, []string{"培训学时不足"}},
		{"absent beyond a semester defers", func(r *registration.CycleRecord) { r.AbsentBeyondSemester = true }, registration.StatusDeferred, []string{"超过一个学期"}},
		{"unfit defers", func(r *registration.CycleRecord) { r.Unfit = true }, registration.StatusDeferred, []string{"不能胜任"}},
		{"one 不合格 defers", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{ok_, inc, ok_, ok_, ok_} }, registration.StatusDeferred, []string{"1次不合格"}},
		{"two 不合格 apart defer", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{inc, ok_, inc, ok_, ok_} }, registration.StatusDeferred, []string{"2次不合格（均不连续）"}},
		{"three 不合格 never consecutive defer", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{inc, ok_, inc, ok_, inc} }, registration.StatusDeferred, []string{"3次不合格"}},
		{"two consecutive 不合格 fail", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{ok_, inc, inc, ok_, ok_} }, registration.StatusUnqualified, []string{"连续2年不合格"}},
		{"two consecutive 不合格 at the end fail", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{ok_, ok_, ok_, inc, inc} }, registration.StatusUnqualified, []string{"连续2年不合格"}},
		{"three consecutive 不合格 fail", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{inc, inc, inc, ok_, ok_} }, registration.StatusUnqualified, []string{"连续3年不合格"}},
		{"基本合格 defers", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{ok_, bas, ok_, ok_, ok_} }, registration.StatusDeferred, []string{"1次为基本合格"}},
		{"基本合格 between two 不合格 breaks the run", func(r *registration.CycleRecord) { r.Appraisals = []registration.Appraisal{inc, bas, inc, ok_, ok_} }, registration.StatusDeferred, []string{"2次不合格", "基本合格"}},
		{"misconduct fails", func(r *registration.CycleRecord) { r.SeriousMisconduct = true }, registration.StatusUnqualified, []string{"严重违反"}},
		{"qualification lost fails", func(r *registration.CycleRecord) { r.QualificationLost = true }, registration.StatusUnqualified, []string{"撤销或丧失"}},
		{"misconduct overrides every deferral and keeps their reasons", func(r *registration.CycleRecord) {
			r.SeriousMisconduct = true
			r.TrainingHours = 10
			r.AbsentBeyondSemester = true
			r.Unfit = true
			r.Appraisals = []registration.Appraisal{inc, ok_}
		}, registration.StatusUnqualified, []string{"严重违反", "1次不合格", "培训学时不足", "超过一个学期", "不能胜任"}},
		{"every failing clause is named", func(r *registration.CycleRecord) {
			r.SeriousMisconduct = true
			r.QualificationLost = true
			r.Appraisals = []registration.Appraisal{inc, inc}
		}, registration.StatusUnqualified, []string{"严重违反", "撤销或丧失", "连续2年不合格"}},
		{"every deferring clause is named", func(r *registration.CycleRecord) {
			r.TrainingHours = 359
			r.AbsentBeyondSemester = true
		}, registration.StatusDeferred, []string{"培训学时不足", "超过一个学期"}},
		{"no appraisals and enough hours is qualified", func(r *registration.CycleRecord) { r.Appraisals = nil }, registration.StatusQualified, []string{"合格"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.edit(&r)
			got := registration.Assess(r)
			if got.Conclusion != tt.want {
				t.Errorf("Conclusion = %v, want %v (reasons %q)", got.Conclusion, tt.want, got.Reasons)
			}
			if len(got.Reasons) != len(tt.reasons) {
				t.Fatalf("Reasons = %q, want %d reasons like %q", got.Reasons, len(tt.reasons), tt.reasons)
			}
			for i, sub := range tt.reasons {
				if !strings.Contains(got.Reasons[i], sub) {
					t.Errorf("Reasons[%d] = %q, want it to contain %q", i, got.Reasons[i], sub)
				}
			}
		})
	}
}

func TestAssessDoesNotKeepCallerSlice(t *testing.T) {
	r := good()
	r.Appraisals = []registration.Appraisal{inc, inc}
	before := slices.Clone(r.Appraisals)
	registration.Assess(r)
	if !slices.Equal(before, r.Appraisals) {
		t.Error("Assess changed the record")
	}
}

func ExampleAssess() {
	a := registration.Assess(registration.CycleRecord{
		TrainingHours: 300,
		Appraisals:    []registration.Appraisal{registration.AppraisalCompetent, registration.AppraisalIncompetent, registration.AppraisalCompetent},
	})
	fmt.Println(a.Conclusion)
	for _, r := range a.Reasons {
		fmt.Println(r)
	}
	// Output:
	// 暂缓注册
	// 注册周期内年度考核1次不合格
	// 培训学时不足：完成300学时，应不少于360学时
}
