package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// errNotFound is the handlers' own "no such page or not yours" (never says which).
var errNotFound = errors.New("页面不存在,或您无权查看。")

// errorMapping maps one typed error to an HTTP status and the zh-CN text a person sees. An empty
// message means the error's own (zh-CN) message is shown.
type errorMapping struct {
	target  error
	status  int
	message string
}

// errorTable is the one place typed domain and store errors become HTTP statuses and zh-CN
// messages (STYLE §5). The first match wins. Errors in no row are internal: logged, never shown.
var errorTable = []errorMapping{
	{errNotFound, http.StatusNotFound, ""},
	{store.ErrNotFound, http.StatusNotFound, "页面不存在,或您无权查看。"},
	{store.ErrConflict, http.StatusConflict, ""},
	{store.ErrDuplicate, http.StatusConflict, ""},
	{store.ErrUnavailable, http.StatusServiceUnavailable, ""},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "系统繁忙,请稍后再试。"},
	{account.ErrCaptchaWrong, http.StatusUnprocessableEntity, ""},
	{account.ErrCaptchaExpired, http.StatusUnprocessableEntity, ""},
	{account.ErrCaptchaInvalid, http.StatusUnprocessableEntity, ""},
	{account.ErrCaptchaBusy, http.StatusServiceUnavailable, ""},
	{account.ErrInvalidID, http.StatusUnprocessableEntity, ""},
	{account.ErrInvalidDocument, http.StatusUnprocessableEntity, ""},
	{account.ErrInvalidDocType, http.StatusUnprocessableEntity, ""},
	{account.ErrWeakPassword, http.StatusUnprocessableEntity, ""},
	{account.ErrInvalidPhone, http.StatusUnprocessableEntity, ""},
	{account.ErrResetMismatch, http.StatusUnprocessableEntity, ""},
	{account.ErrResetUnavailable, http.StatusUnprocessableEntity, ""},
	{account.ErrResetMethod, http.StatusUnprocessableEntity, ""},
	{account.ErrWeChatNotLinked, http.StatusUnprocessableEntity, ""},
	{account.ErrTicketInvalid, http.StatusUnprocessableEntity, ""},
	{account.ErrTokenInvalid, http.StatusGone, ""},
	{account.ErrTokenExpired, http.StatusGone, ""},
	{account.ErrCodeInvalid, http.StatusUnprocessableEntity, ""},
	{account.ErrCodeExpired, http.StatusUnprocessableEntity, ""},
	{account.ErrTooManyAttempts, http.StatusTooManyRequests, ""},
	{account.ErrCodeTooSoon, http.StatusTooManyRequests, ""},
	{account.ErrRealNameFailed, http.StatusUnprocessableEntity, ""},
	{account.ErrIdentityLocked, http.StatusConflict, ""},
}

// classify returns the status and zh-CN message for err, and whether err is a known (coded) one.
func classify(err error) (status int, message string, known bool) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, tooLargeMessage(mbe.Limit), true
	}
	for _, m := range errorTable {
		if errors.Is(err, m.target) {
			msg := m.message
			if msg == "" {
				msg = m.target.Error()
			}
			return m.status, msg, true
		}
	}
	return http.StatusInternalServerError, "", false
}

// userMessage returns the zh-CN text for a known error, or "" for an internal one.
func userMessage(err error) string {
	_, msg, known := classify(err)
	if !known {
		return ""
	}
	return msg
}

// fail answers a request that could not be served with the error page that err maps to. Unknown
// errors are logged (their text may not be shown) and become 500, or 503 when the database does
// not answer a ping.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg, known := classify(err)
	if !known {
		var se *store.Error
		cause := err.Error()
		if errors.As(err, &se) {
			cause = se.LogString()
		}
		s.log.Error("internal error", slog.String("route", r.Pattern), slog.String("error", cause))
		if s.ping(r.Context()) != nil {
			status = http.StatusServiceUnavailable
		}
	}
	s.errorPage(w, r, status, msg)
}

// errorPage renders the zh-CN error page for status with an optional message.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	title, text := errorText(status)
	if msg == "" {
		msg = text
	}
	s.render(w, r, status, ErrorPage(status, title, msg))
}

func errorText(status int) (title, text string) {
	switch status {
	case http.StatusBadRequest:
		return "请求有误", "提交的内容无法识别,请返回后重新填写。"
	case http.StatusUnauthorized:
		return "请先登录", "该页面需要登录后才能访问。"
	case http.StatusForbidden:
		return "禁止访问", "您没有权限进行此操作。"
	case http.StatusNotFound:
		return "页面不存在", "页面不存在,或您无权查看。"
	case http.StatusMethodNotAllowed:
		return "操作不支持", "该页面不支持此操作。"
	case http.StatusGone:
		return "链接已失效", "该链接已失效,请重新申请。"
	case http.StatusConflict:
		return "信息已变更", "信息已被修改,请刷新后重试。"
	case http.StatusRequestEntityTooLarge:
		return "提交内容过大", tooLargeMessage(DefaultBodyLimit)
	case http.StatusUnprocessableEntity:
		return "信息有误", "提交的信息有误,请检查后重试。"
	case http.StatusTooManyRequests:
		return "操作过于频繁", "操作过于频繁,请稍后再试。"
	case http.StatusServiceUnavailable:
		return "系统繁忙", "系统暂时无法访问数据库,请稍后再试。"
	default:
		return "系统错误", "系统出现错误,请稍后再试。我们已记录此问题。"
	}
}

func tooLargeMessage(limit int64) string {
	return "提交的内容超过了 " + formatKB(limit) + " 的上限。照片请小于 200KB,可使用“自动调整”后再上传。"
}

func formatKB(n int64) string {
	return itoa(int(n/1024)) + "KB"
}
