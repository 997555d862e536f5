// Package tqreg is an embeddable library for 中小学教师资格定期注册, the five-yearly
// re-registration of primary and secondary school teacher qualifications in China.
//
// The domain lives in pure packages that import no I/O frameworks:
//
//   - account: identity documents (证件), passwords, login throttling, captcha, password reset
//   - certificate: teacher qualification certificate numbers (教师资格证书) and their rules
//   - photo: the registration photo check (照片) and normalisation
//   - form: the registration-information form (注册信息) and the printable application form (申请表)
//   - registration: windows, the wizard, applications, statuses and conclusions (注册结论)
//
// examples/portal is the reference web portal built on them.
package tqreg
