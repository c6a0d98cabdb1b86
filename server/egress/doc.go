// Package egress is the server's one way out to addresses that operators,
// relying parties or devices name: relying-party callbacks, custom
// registration webhooks, the audit webhook and Web Push endpoints.
//
// The guard runs at dial time, on the address actually connected to, so a
// public name that resolves (or later re-resolves: DNS rebinding) to an
// internal address is refused, and so is every hop of a redirect. Refused
// unless the operator allows private destinations: loopback, RFC 1918 and
// RFC 4193 private, link-local (169.254.0.0/16 with the cloud metadata
// address 169.254.169.254, fe80::/10), unspecified and "this network"
// (0.0.0.0/8), multicast and broadcast, carrier-grade NAT (100.64.0.0/10),
// reserved 240.0.0.0/4, and the IPv4-mapped, IPv4-compatible and NAT64
// (64:ff9b::/96) forms of those.
//
// Clients made here follow no redirect (a 3xx is the answer): every body
// this server posts is signed for one receiver, and a redirect would carry
// it elsewhere. The dial guard would refuse an internal hop anyway.
package egress
