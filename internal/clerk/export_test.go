package clerk

// SetBeforePush sets the hook that runs between a sync's replay and its push.
func SetBeforePush(f func()) { testBeforePush = f }

// SetAfterPush sets the hook that runs between a sync's push and the move of the local
// branch; an error stops the sync there.
func SetAfterPush(f func() error) { testAfterPush = f }
