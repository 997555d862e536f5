package registrationtest_test

import (
	"time"

	"github.com/tqreg/tqreg/registration"
)

var testNow = time.Date(2026, 7, 10, 10, 0, 0, 0, registration.CST)
