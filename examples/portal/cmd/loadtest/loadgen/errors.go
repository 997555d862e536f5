package loadgen

import "errors"

func asStatus(err error, target **StatusError) bool { return errors.As(err, target) }
