//go:build loadtest

package web_test

// loadtestHookBuilt is true in a `-tags loadtest` build: the hook exists when its variable is set.
const loadtestHookBuilt = true
