// Package account handles identity documents (证件), accounts, passwords, login
// throttling, captcha and password reset (密码重置). It is pure: storage comes through
// interfaces the caller implements.
package account
