package enrollpolicy

// DisenrolledKey is the settings key marking a profile whose enrollment was
// removed by another device's enrollment or by the operator (tokenserver user
// reset-devices); the device learns why its claims fail (user_disenrolled).
// The mark is deleted when the profile enrolls again.
func DisenrolledKey(profileID string) string { return "disenrolled:" + profileID }
