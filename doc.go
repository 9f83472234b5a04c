// Package ktgs holds the domain of KTGS, the information system for the
// Party's inspection, supervision and discipline work: organisations over
// time, party members, bodies and terms, and the error vocabulary shared by
// every layer.
//
// The package does no I/O. Storage lives in internal/store (SQLite and
// PostgreSQL behind one contract), use cases in internal/app, HTTP in
// internal/web and the operator CLI in cmd/ktgs. See docs/ARCHITECTURE.md.
package ktgs
