package main

import "context"

func cmdServe(ctx context.Context, e *env, args []string) error  { return errUsage }
func cmdImport(ctx context.Context, e *env, args []string) error { return errUsage }
func cmdExport(ctx context.Context, e *env, args []string) error { return errUsage }
