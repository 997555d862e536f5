package web

// Services are the domain services the handlers use. Zero fields get development defaults.
type Services struct{}

func (sv Services) withDefaults(cfg Config) Services { return sv }
