package account

// HasherSlots exposes the semaphore of h to the black-box tests, so they can
// occupy every slot and prove that further hashing waits.
func HasherSlots(h *Hasher) chan struct{} { return h.sem }
