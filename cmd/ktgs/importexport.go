package main

import "context"

// cmdImport and cmdExport are implemented in import.go and export.go.
func cmdImport(ctx context.Context, e *env, args []string) error { return errUsage }
func cmdExport(ctx context.Context, e *env, args []string) error { return errUsage }
