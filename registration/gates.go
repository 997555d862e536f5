package registration

// ErrActiveApplication refuses a second active application for the same account and certificate.
var ErrActiveApplication = &Error{Code: "active_application", Message: "该教师资格证书已有正在办理的定期注册报名,不能重复报名"}
