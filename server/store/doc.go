// Package store is the Token Server's persistence: one Store interface whose
// operations run inside transactions (InTx for state changes, View for reads),
// and one SQL implementation over database/sql that serves both SQLite
// (modernc.org/sqlite, WAL) and PostgreSQL (pgx stdlib) through a small dialect
// layer (placeholders, locking clauses, migrations per dialect).
//
// Every state change that must survive a crash — answers, the callback outbox,
// PIN failure counters, the proof replay cache — is written inside an InTx
// transaction, so a killed server loses nothing it acknowledged. Races that
// matter are decided by conditional updates (claim: pending → claimed; answer:
// claimed → accepted/denied), so exactly one of two racing devices wins.
package store
