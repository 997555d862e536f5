// Package form is the registration-information form (注册信息, SPEC §5): closed code lists,
// typed fields, decoding from url.Values, validation with zh-CN messages keyed by the HTML
// field name, and the model of the printable application form (申请表, SPEC §6).
//
// A handler decodes and validates in one go, with the applicant's birth date (from the
// account's document) and today carried by the context:
//
//	ctx = form.WithToday(form.WithBirth(ctx, birth), form.ChinaDate(now))
//	info, errs := form.DecodeAndValidate(ctx, r.PostForm)
//	if errs.Len() > 0 { /* show errs.Get(form.FieldPostcode) inline, errs.Fields() in a summary */ }
//
// ValidateFor(birth, today) is the same check without a context. Code lists (MandarinLevels,
// Educations, Degrees, MajorCategories, StudyModes, SchoolOwnerships, TeacherTitles, PostTypes,
// Politicals, SchoolTypes, TeachingStages, Subjects, Genders) each offer Parse, All, Options and
// Label; their value types print their zh-CN label. NewApplicationForm builds the 申请表 as
// ordered sections of (label, value) rows for the HTML and PDF renderers.
package form
