package form

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// MandarinCertificate is a 普通话水平测试等级证书 as the form refers to it: the applicant
// chooses one of their own certificates, and the form stores its number and level.
type MandarinCertificate struct {
	Number string
	Level  MandarinLevel
}

// RegistrationInfo is the registration information (注册信息) of step 2 of the wizard
// (manual §3.1.2, SPEC §5), typed. Get one from Decode; check it with Validate.
type RegistrationInfo struct {
	Mandarin         MandarinCertificate // 普通话证书
	Education        Education           // 最高学历
	MajorCategory    MajorCategory       // 最高学历专业类别
	Degree           Degree              // 最高学位
	Major            string              // 所学专业
	GraduationSchool string              // 毕业学校 (full name)
	NewSchool        *NewSchool          // set when the graduation school was added (新增学校); its Name equals GraduationSchool
	GraduationDate   Date                // 毕业时间
	StudyMode        StudyMode           // 学习形式
	School           string              // 现任教学校 (full name)
	SchoolOwnership  SchoolOwnership     // 任教学校性质
	SchoolLocation   string              // 任教学校所在地
	WorkStart        Date                // 开始参加工作时间
	EmploymentStart  Date                // 本单位聘用起始日期
	TeacherTitle     TeacherTitle        // 教师职务
	PostType         PostType            // 岗位性质
	Political        Political           // 政治面貌
	Household        string              // 户籍所在地
	Address          string              // 通讯地址
	Postcode         string              // 通讯邮编, 6 ASCII digits
	Photo            string              // reference to the stored photo (照片), opaque here
}

// Decode reads the form from url.Values (field names: the Field* constants). Text is trimmed
// and its white space collapsed (NormalizeText); school names, codes, dates and the postcode
// are also folded from full-width to half-width. It returns the decoded value and every
// problem it can see in each field alone, without knowing the applicant or the date: codes
// or dates that do not parse, required fields, lengths, characters, the postcode. The rules
// between fields and against the birth date and today are Validate's. Combine with
// Validate for the rest:
//
//	info, errs := form.Decode(r.PostForm)
//	errs.Merge(info.Validate(ctx)) // the first, most specific message per field wins
//
// DecodeAndValidate does exactly that.
func Decode(v url.Values) (RegistrationInfo, Errors) {
	var r RegistrationInfo
	var e Errors
	get := func(f string) string { return v.Get(f) }

	r.Mandarin.Number = foldTrim(get(FieldMandarinNumber))
	r.Mandarin.Level = decodeCode(&e, FieldMandarinLevel, MandarinLevels, get(FieldMandarinLevel))
	r.Education = decodeCode(&e, FieldEducation, Educations, get(FieldEducation))
	r.MajorCategory = decodeCode(&e, FieldMajorCategory, MajorCategories, get(FieldMajorCategory))
	r.Degree = decodeCode(&e, FieldDegree, Degrees, get(FieldDegree))
	r.Major = NormalizeText(get(FieldMajor))
	r.GraduationSchool = NormalizeName(get(FieldGraduationSchool))
	if truthy(get(FieldNewSchool)) {
		r.NewSchool = &NewSchool{
			Name: r.GraduationSchool,
			Type: decodeCode(&e, FieldNewSchoolType, SchoolTypes, get(FieldNewSchoolType)),
		}
	}
	r.GraduationDate = decodeDate(&e, FieldGraduationDate, get(FieldGraduationDate))
	r.StudyMode = decodeCode(&e, FieldStudyMode, StudyModes, get(FieldStudyMode))
	r.School = NormalizeName(get(FieldSchool))
	r.SchoolOwnership = decodeCode(&e, FieldSchoolOwnership, SchoolOwnerships, get(FieldSchoolOwnership))
	r.SchoolLocation = NormalizeText(get(FieldSchoolLocation))
	r.WorkStart = decodeDate(&e, FieldWorkStart, get(FieldWorkStart))
	r.EmploymentStart = decodeDate(&e, FieldEmploymentStart, get(FieldEmploymentStart))
	r.TeacherTitle = decodeCode(&e, FieldTeacherTitle, TeacherTitles, get(FieldTeacherTitle))
	r.PostType = decodeCode(&e, FieldPostType, PostTypes, get(FieldPostType))
	r.Political = decodeCode(&e, FieldPolitical, Politicals, get(FieldPolitical))
	r.Household = NormalizeText(get(FieldHousehold))
	r.Address = NormalizeText(get(FieldAddress))
	r.Postcode = foldTrim(get(FieldPostcode))
	r.Photo = strings.TrimSpace(get(FieldPhoto))

	e.Merge(r.validate(Date{}, Date{}, false))
	return r, e
}

// DecodeAndValidate is Decode followed by Validate(ctx), with all problems merged.
func DecodeAndValidate(ctx context.Context, v url.Values) (RegistrationInfo, Errors) {
	r, e := Decode(v)
	e.Merge(r.Validate(ctx))
	return r, e
}

func truthy(s string) bool {
	switch strings.TrimSpace(s) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

// foldTrim folds full-width characters to half-width and trims.
func foldTrim(s string) string {
	if utf8.ValidString(s) {
		s = width.Fold.String(s)
	}
	return strings.TrimSpace(s)
}

func decodeCode[T ~string](e *Errors, field string, l *CodeList[T], s string) T {
	s = foldTrim(s)
	if s == "" {
		return "" // required-ness is Validate's
	}
	v, err := l.Parse(s)
	if err != nil {
		e.Add(field, err.Error())
	}
	return v
}

func decodeDate(e *Errors, field, s string) Date {
	s = foldTrim(s)
	if s == "" {
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		e.Add(field, FieldLabel(field)+"不是有效日期，请按2006-01-02的格式填写真实日期")
	}
	return d
}

// Validate checks r with the facts the context carries (see WithBirth, WithToday,
// WithMandarinCertificates): everything ValidateFor checks, with the birth date from
// BirthFrom (age rules are skipped when the context has none) and today from TodayFrom
// (today in China when the context has none), plus, when the context carries the
// applicant's Mandarin certificates, that the chosen one is among them.
func (r RegistrationInfo) Validate(ctx context.Context) Errors {
	birth, _ := BirthFrom(ctx)
	e := r.ValidateFor(birth, TodayFrom(ctx))
	if own, ok := MandarinCertificatesFrom(ctx); ok && r.Mandarin.Number != "" {
		found := false
		for _, c := range own {
			if strings.EqualFold(c.Number, r.Mandarin.Number) {
				found = true
				if r.Mandarin.Level != "" && c.Level != r.Mandarin.Level {
					e.Add(FieldMandarinLevel, "普通话等级与所选普通话证书不一致，请重新选择证书")
				}
			}
		}
		if !found {
			e.Add(FieldMandarinNumber, "请从本人的普通话证书信息中选择普通话证书")
		}
	}
	return e
}

// ValidateFor returns every problem with r at once, keyed by field name, in zh-CN:
// every field is required (新增学校 only when the school was added); codes are members of
// their lists; free text has no control characters and fits its limits (school names are
// full names of 2–60 characters; 所学专业 ≤ 50; places 2–60; address 5–100); the postcode is 6
// ASCII digits; dates are real and not after today; graduation is at least 14 years after
// birth; work start is at 16 or older; employment start is not before work start.
// A zero birth skips the age rules and a zero today skips the "not in the future" rule.
func (r RegistrationInfo) ValidateFor(birth, today Date) Errors {
	return r.validate(birth, today, true)
}

// validate checks every field alone and, when cross is set, the rules between fields.
func (r RegistrationInfo) validate(birth, today Date, cross bool) Errors {
	var e Errors
	add := func(field, msg string) {
		if msg != "" {
			e.Add(field, msg)
		}
	}

	switch n := r.Mandarin.Number; {
	case n == "":
		e.Add(FieldMandarinNumber, "请选择普通话证书")
	case len(n) > MaxMandarinNumber || !alnum(n):
		e.Add(FieldMandarinNumber, "普通话证书编号应为1至32位字母或数字")
	}
	add(FieldMandarinLevel, requireCode(MandarinLevels, r.Mandarin.Level))
	add(FieldEducation, requireCode(Educations, r.Education))
	add(FieldMajorCategory, requireCode(MajorCategories, r.MajorCategory))
	add(FieldDegree, requireCode(Degrees, r.Degree))
	add(FieldMajor, checkText("所学专业", r.Major, 2, MaxMajor))
	add(FieldGraduationSchool, checkSchoolName("毕业学校", r.GraduationSchool))
	if r.NewSchool != nil {
		e.Merge(r.NewSchool.Validate())
		if r.NewSchool.Name != r.GraduationSchool {
			e.Add(FieldGraduationSchool, "毕业学校与新增学校的名称不一致，请重新填写")
		}
	}
	add(FieldGraduationDate, checkDate(FieldGraduationDate, r.GraduationDate, today))
	add(FieldStudyMode, requireCode(StudyModes, r.StudyMode))
	add(FieldSchool, checkSchoolName("现任教学校", r.School))
	add(FieldSchoolOwnership, requireCode(SchoolOwnerships, r.SchoolOwnership))
	add(FieldSchoolLocation, checkText("任教学校所在地", r.SchoolLocation, MinPlace, MaxPlace))
	add(FieldWorkStart, checkDate(FieldWorkStart, r.WorkStart, today))
	add(FieldEmploymentStart, checkDate(FieldEmploymentStart, r.EmploymentStart, today))
	add(FieldTeacherTitle, requireCode(TeacherTitles, r.TeacherTitle))
	add(FieldPostType, requireCode(PostTypes, r.PostType))
	add(FieldPolitical, requireCode(Politicals, r.Political))
	add(FieldHousehold, checkText("户籍所在地", r.Household, MinPlace, MaxPlace))
	add(FieldAddress, checkText("通讯地址", r.Address, MinAddress, MaxAddress))
	switch {
	case r.Postcode == "":
		e.Add(FieldPostcode, "请填写通讯邮编")
	case !ValidPostcode(r.Postcode):
		e.Add(FieldPostcode, "通讯邮编应为6位数字")
	}
	switch {
	case r.Photo == "":
		e.Add(FieldPhoto, "请上传照片")
	case len(r.Photo) > MaxPhotoRef || checkChars("照片", r.Photo) != "":
		e.Add(FieldPhoto, "照片无效，请重新上传")
	}

	if !cross {
		return e
	}
	// Cross-field rules, only between dates that are themselves fine.
	ok := func(f string, d Date) bool { return !e.Has(f) && !d.IsZero() }
	if !birth.IsZero() && birth.Valid() {
		if ok(FieldGraduationDate, r.GraduationDate) && r.GraduationDate.Before(birth.AddYears(MinGraduationAge)) {
			e.Add(FieldGraduationDate, "毕业时间应在出生满14年之后，请核对")
		}
		if ok(FieldWorkStart, r.WorkStart) && r.WorkStart.Before(birth.AddYears(MinWorkingAge)) {
			e.Add(FieldWorkStart, "开始参加工作时间应在年满16周岁之后，请核对")
		}
	}
	if ok(FieldWorkStart, r.WorkStart) && ok(FieldEmploymentStart, r.EmploymentStart) &&
		r.EmploymentStart.Before(r.WorkStart) {
		e.Add(FieldEmploymentStart, "本单位聘用起始日期不能早于开始参加工作时间（"+r.WorkStart.String()+"）")
	}
	return e
}

func requireCode[T ~string](l *CodeList[T], v T) string {
	switch {
	case v == "":
		return "请选择" + l.Name()
	case !l.Valid(v):
		return l.Name() + "的选项无效，请重新选择"
	}
	return ""
}

func checkDate(field string, d, today Date) string {
	label := FieldLabel(field)
	switch {
	case d.IsZero():
		return "请选择" + label
	case !d.Valid():
		return label + "不是有效日期，请按2006-01-02的格式填写真实日期"
	case !today.IsZero() && d.After(today):
		return label + "不能晚于今天（" + today.String() + "）"
	}
	return ""
}

// ValidPostcode reports whether s is a postcode (邮政编码): exactly 6 ASCII digits.
func ValidPostcode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// Values returns r as form values under the Field* names, the inverse of Decode: a page that
// shows the form again (going back in the wizard, editing while 网报待确认) fills its inputs
// from these. Zero values are left out; Decode(r.Values()) gives r back for a decoded r.
func (r RegistrationInfo) Values() url.Values {
	v := url.Values{}
	set := func(f, s string) {
		if s != "" {
			v.Set(f, s)
		}
	}
	set(FieldMandarinNumber, r.Mandarin.Number)
	set(FieldMandarinLevel, string(r.Mandarin.Level))
	set(FieldEducation, string(r.Education))
	set(FieldMajorCategory, string(r.MajorCategory))
	set(FieldDegree, string(r.Degree))
	set(FieldMajor, r.Major)
	set(FieldGraduationSchool, r.GraduationSchool)
	if r.NewSchool != nil {
		set(FieldNewSchool, "1")
		set(FieldNewSchoolType, string(r.NewSchool.Type))
	}
	set(FieldGraduationDate, r.GraduationDate.String())
	set(FieldStudyMode, string(r.StudyMode))
	set(FieldSchool, r.School)
	set(FieldSchoolOwnership, string(r.SchoolOwnership))
	set(FieldSchoolLocation, r.SchoolLocation)
	set(FieldWorkStart, r.WorkStart.String())
	set(FieldEmploymentStart, r.EmploymentStart.String())
	set(FieldTeacherTitle, string(r.TeacherTitle))
	set(FieldPostType, string(r.PostType))
	set(FieldPolitical, string(r.Political))
	set(FieldHousehold, r.Household)
	set(FieldAddress, r.Address)
	set(FieldPostcode, r.Postcode)
	set(FieldPhoto, r.Photo)
	return v
}
