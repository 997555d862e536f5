// Package form is the registration-information form (注册信息): closed code lists,
// typed fields, decoding from url.Values, cross-field validation with zh-CN messages, and
// the model of the printable application form (申请表).
package form
