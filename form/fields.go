package form

// The HTML field names of the registration-information form (注册信息). Templates and
// Errors use exactly these names.
const (
	FieldMandarinNumber   = "mandarin_number"   // 普通话证书编号 (the chosen certificate)
	FieldMandarinLevel    = "mandarin_level"    // 普通话等级 of the chosen certificate
	FieldEducation        = "education"         // 最高学历
	FieldMajorCategory    = "major_category"    // 最高学历专业类别
	FieldDegree           = "degree"            // 最高学位
	FieldMajor            = "major"             // 所学专业
	FieldGraduationSchool = "graduation_school" // 毕业学校
	FieldNewSchool        = "new_school"        // "1" when the graduation school was added (新增学校)
	FieldNewSchoolType    = "new_school_type"   // 办学类型 of an added school
	FieldGraduationDate   = "graduation_date"   // 毕业时间
	FieldStudyMode        = "study_mode"        // 学习形式
	FieldSchool           = "school"            // 现任教学校 (full name)
	FieldSchoolOwnership  = "school_ownership"  // 任教学校性质
	FieldSchoolLocation   = "school_location"   // 任教学校所在地
	FieldWorkStart        = "work_start"        // 开始参加工作时间
	FieldEmploymentStart  = "employment_start"  // 本单位聘用起始日期
	FieldTeacherTitle     = "teacher_title"     // 教师职务
	FieldPostType         = "post_type"         // 岗位性质
	FieldPolitical        = "political"         // 政治面貌
	FieldHousehold        = "household"         // 户籍所在地
	FieldAddress          = "address"           // 通讯地址
	FieldPostcode         = "postcode"          // 通讯邮编
	FieldPhoto            = "photo"             // 照片 (reference to the checked, stored photo)
)

// fieldOrder is the order of the form on the page (manual §3.1.2 step 2).
var fieldOrder = []string{
	FieldMandarinNumber, FieldMandarinLevel, FieldEducation, FieldMajorCategory, FieldDegree,
	FieldMajor, FieldGraduationSchool, FieldNewSchool, FieldNewSchoolType, FieldGraduationDate,
	FieldStudyMode, FieldSchool, FieldSchoolOwnership, FieldSchoolLocation, FieldWorkStart,
	FieldEmploymentStart, FieldTeacherTitle, FieldPostType, FieldPolitical, FieldHousehold,
	FieldAddress, FieldPostcode, FieldPhoto,
}

var fieldLabels = map[string]string{
	FieldMandarinNumber:   "普通话证书",
	FieldMandarinLevel:    "普通话等级",
	FieldEducation:        "最高学历",
	FieldMajorCategory:    "最高学历专业类别",
	FieldDegree:           "最高学位",
	FieldMajor:            "所学专业",
	FieldGraduationSchool: "毕业学校",
	FieldNewSchool:        "新增学校",
	FieldNewSchoolType:    "办学类型",
	FieldGraduationDate:   "毕业时间",
	FieldStudyMode:        "学习形式",
	FieldSchool:           "现任教学校",
	FieldSchoolOwnership:  "任教学校性质",
	FieldSchoolLocation:   "任教学校所在地",
	FieldWorkStart:        "开始参加工作时间",
	FieldEmploymentStart:  "本单位聘用起始日期",
	FieldTeacherTitle:     "教师职务",
	FieldPostType:         "岗位性质",
	FieldPolitical:        "政治面貌",
	FieldHousehold:        "户籍所在地",
	FieldAddress:          "通讯地址",
	FieldPostcode:         "通讯邮编",
	FieldPhoto:            "照片",
}

var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(fieldOrder))
	for i, f := range fieldOrder {
		m[f] = i
	}
	return m
}()

// FieldNames returns every field name of the form in page order (a fresh slice).
func FieldNames() []string { return append([]string(nil), fieldOrder...) }

// FieldLabel returns the zh-CN label of a field name, e.g. "毕业时间", or "" for an unknown name.
func FieldLabel(field string) string { return fieldLabels[field] }

// Length limits of the free-text fields, in characters (runes).
const (
	MinSchoolName     = 2   // school names are full names
	MaxSchoolName     = 60  //
	MaxMajor          = 50  // 所学专业
	MinPlace          = 2   // 任教学校所在地, 户籍所在地
	MaxPlace          = 60  //
	MinAddress        = 5   // 通讯地址
	MaxAddress        = 100 //
	MaxMandarinNumber = 32  // 普通话证书编号, ASCII letters and digits
	MaxPhotoRef       = 200 // the photo reference is opaque to this package
	MinGraduationAge  = 14  // graduation at least 14 years after birth
	MinWorkingAge     = 16  // work start at 16 or older
)
