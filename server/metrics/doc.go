// Package metrics holds the Token Server's Prometheus metrics (DESIGN §15):
// one registry per server instance, served on the admin listener at
// /metrics.
//
// Every recording method is safe on a nil *Metrics (it does nothing), so
// packages and tests that run without metrics need no special case. The
// hot path is cheap: label children are resolved once per label set and
// kept in copy-on-write maps read without locks; recording a request costs
// a map lookup and atomic adds, no allocation.
//
// Families (all prefixed oma_):
//
//	http_requests_total{route,code}                   route is the ServeMux pattern, never the raw path
//	http_request_duration_seconds{route}              histogram
//	transactions_created_total{type,method}           method: otp or push
//	transactions_answered_total{type,method,result}   result: accepted or denied
//	transactions_expired_total{type,method}           counted once across instances
//	callbacks_total{result}                           delivered, retried or failed (gave up)
//	outbox_depth                                      undelivered live callbacks (read at scrape)
//	rate_limit_rejections_total{limit}
//	store_operation_duration_seconds{op}              histogram: in_tx, view, autocommit, claim_once, answer_once
//	push_sends_total{provider,result}                 see PushSent
//	build_info{version,revision,goversion}            always 1
//
// plus the Go runtime (go_*) and process (process_*) collectors.
package metrics
