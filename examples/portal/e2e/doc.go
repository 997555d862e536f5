// Package e2e holds the portal's end-to-end test (端到端测试): a real headless Chromium drives
// the real portal, served in-process over an SQLite store in a temporary folder with an injected
// clock. The package has no code of its own; see e2e_test.go.
//
//	go test -race -count=1 -run TestEndToEnd -v ./examples/portal/e2e/
//
// The test skips when no Chromium is installed, and fails instead when REQUIRE_BROWSER=1 (CI).
// It saves a screenshot of each step under screenshots/ at the repository root (git-ignored).
//
// TestAccessibility (a11y_test.go) drives the same portal through its pages and runs axe-core
// (testdata/axe-core, test data only: the portal never serves it) on each, with the WCAG 2.0–2.2
// A/AA rules, plus two checks of its own (ids used twice, content wider than 320px):
//
//	go test -race -count=1 -run TestAccessibility -v ./examples/portal/e2e/
package e2e
