package clerk

// SetBeforePush sets the hook that runs between a sync's replay and its push.
func SetBeforePush(f func()) { testBeforePush = f }
