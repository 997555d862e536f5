//go:build race

package photo_test

// raceDetector is true when the tests run under the race detector, which makes
// 12-megapixel work take tens of seconds.
const raceDetector = true
