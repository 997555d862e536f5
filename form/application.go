package form

import (
	"errors"
	"strings"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// ApplicationFormTitle is the title printed on the 申请表.
const ApplicationFormTitle = "中小学教师资格定期注册申请表"

// Applicant is the applicant's identity as printed on the application form, taken from the
// account (the document) and its verified identity.
type Applicant struct {
	Name      string          // 姓名
	Gender    Gender          // 性别
	Birth     Date            // 出生日期
	DocType   account.DocType // 证件类型
	DocNumber string          // 证件号码, canonical
}

// Submission is what the registration adds to the application form: the chosen registration
// authority (注册机构) and confirmation point (确认点), the application number (报名号) and the
// date of submission.
type Submission struct {
	Authority         string
	ConfirmationPoint string
	ApplicationNumber string
	Submitted         Date
}

// Row is one printed line of the application form: a zh-CN label and its value.
type Row struct {
	Label string
	Value string
}

// Section is a titled group of rows (个人信息, 教师资格证书信息, 注册信息, 申报信息).
type Section struct {
	Title string
	Rows  []Row
}

// ApplicationForm is the model of the printable 申请表 (SPEC §6): the parts it was built from
// and the ordered sections of (label, value) rows that every renderer (HTML preview, PDF)
// prints in the same order, plus the signature lines. Build it with NewApplicationForm.
type ApplicationForm struct {
	Title       string
	Applicant   Applicant
	Photo       string // the photo reference (RegistrationInfo.Photo), printed in the photo box
	Certificate certificate.Certificate
	Info        RegistrationInfo
	Submission  Submission
	Sections    []Section
	Signatures  []string // labels of the signature lines, e.g. "申请人签名"
}

// ErrIncompleteForm matches (errors.Is) the error of NewApplicationForm when a part the form
// must print is missing.
var ErrIncompleteForm = errors.New("申请表信息不完整")

// IncompleteFormError lists the zh-CN labels of the missing parts.
type IncompleteFormError struct {
	Missing []string
}

// Error returns "申请表信息不完整，缺少：姓名、报名号".
func (e *IncompleteFormError) Error() string {
	return ErrIncompleteForm.Error() + "，缺少：" + strings.Join(e.Missing, "、")
}

// Is makes errors.Is(err, ErrIncompleteForm) true.
func (e *IncompleteFormError) Is(target error) bool { return target == ErrIncompleteForm }

// NewApplicationForm builds the application form from its parts. It refuses (with an
// *IncompleteFormError) a form without the applicant's name or document, the certificate
// number, the photo, the authority, the confirmation point or the application number; the
// registration information itself is expected to have passed Validate.
func NewApplicationForm(a Applicant, c certificate.Certificate, info RegistrationInfo, s Submission) (ApplicationForm, error) {
	var missing []string
	need := func(ok bool, label string) {
		if !ok {
			missing = append(missing, label)
		}
	}
	need(strings.TrimSpace(a.Name) != "", "姓名")
	need(a.DocType.Valid(), "证件类型")
	need(strings.TrimSpace(a.DocNumber) != "", "证件号码")
	need(!c.Number.IsZero(), "教师资格证书号码")
	need(info.Photo != "", "照片")
	need(strings.TrimSpace(s.Authority) != "", "注册机构")
	need(strings.TrimSpace(s.ConfirmationPoint) != "", "确认点")
	need(strings.TrimSpace(s.ApplicationNumber) != "", "报名号")
	if len(missing) > 0 {
		return ApplicationForm{}, &IncompleteFormError{Missing: missing}
	}

	f := ApplicationForm{
		Title:       ApplicationFormTitle,
		Applicant:   a,
		Photo:       info.Photo,
		Certificate: c,
		Info:        info,
		Submission:  s,
		Signatures:  []string{"申请人签名", "签名日期", "确认点审核意见", "注册机构审核意见"},
	}
	kind := c.Kind
	if !kind.Valid() {
		kind = c.Number.Kind()
	}
	firstReg := "否"
	if c.FirstRegistered {
		firstReg = "是"
		if !c.FirstRegisteredOn.IsZero() {
			firstReg += "（" + DateOf(c.FirstRegisteredOn).Chinese() + "）"
		}
	}
	var issued string
	if !c.Issued.IsZero() {
		issued = DateOf(c.Issued).Chinese()
	}
	school := info.GraduationSchool
	if info.NewSchool != nil && info.NewSchool.Type != "" {
		school += "（" + info.NewSchool.Type.String() + "）"
	}
	f.Sections = []Section{
		{Title: "个人信息", Rows: []Row{
			{"姓名", a.Name},
			{"性别", a.Gender.String()},
			{"出生日期", a.Birth.Chinese()},
			{"证件类型", a.DocType.String()},
			{"证件号码", a.DocNumber},
			{FieldLabel(FieldPolitical), info.Political.String()},
			{FieldLabel(FieldHousehold), info.Household},
			{FieldLabel(FieldAddress), info.Address},
			{FieldLabel(FieldPostcode), info.Postcode},
		}},
		{Title: "教师资格证书信息", Rows: []Row{
			{"教师资格证书号码", c.Number.String()},
			{"资格种类", kind.String()},
			{"任教学科", c.Subject},
			{"认定机构", c.Authority},
			{"证书签发日期", issued},
			{"是否参加过首次注册", firstReg},
		}},
		{Title: "注册信息", Rows: []Row{
			{"普通话证书编号", info.Mandarin.Number},
			{FieldLabel(FieldMandarinLevel), info.Mandarin.Level.String()},
			{FieldLabel(FieldEducation), info.Education.String()},
			{FieldLabel(FieldMajorCategory), info.MajorCategory.String()},
			{FieldLabel(FieldDegree), info.Degree.String()},
			{FieldLabel(FieldMajor), info.Major},
			{FieldLabel(FieldGraduationSchool), school},
			{FieldLabel(FieldGraduationDate), info.GraduationDate.Chinese()},
			{FieldLabel(FieldStudyMode), info.StudyMode.String()},
			{FieldLabel(FieldSchool), info.School},
			{FieldLabel(FieldSchoolOwnership), info.SchoolOwnership.String()},
			{FieldLabel(FieldSchoolLocation), info.SchoolLocation},
			{FieldLabel(FieldWorkStart), info.WorkStart.Chinese()},
			{FieldLabel(FieldEmploymentStart), info.EmploymentStart.Chinese()},
			{FieldLabel(FieldTeacherTitle), info.TeacherTitle.String()},
			{FieldLabel(FieldPostType), info.PostType.String()},
		}},
		{Title: "申报信息", Rows: []Row{
			{"报名号", s.ApplicationNumber},
			{"注册机构", s.Authority},
			{"确认点", s.ConfirmationPoint},
			{"申报日期", s.Submitted.Chinese()},
		}},
	}
	return f, nil
}

// Rows returns every row of every section in print order.
func (f ApplicationForm) Rows() []Row {
	var out []Row
	for _, s := range f.Sections {
		out = append(out, s.Rows...)
	}
	return out
}
