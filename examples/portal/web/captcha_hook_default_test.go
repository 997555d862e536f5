//go:build !loadtest

package web_test

// loadtestHookBuilt is false in the default build: GET /_loadtest/captcha must not exist.
const loadtestHookBuilt = false
