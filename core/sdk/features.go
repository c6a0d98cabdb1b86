package sdk

// registrars lists every feature package's method registration, in order.
// Feature packages (client, user, mobileauth) are added here.
var registrars = []Registrar{}
