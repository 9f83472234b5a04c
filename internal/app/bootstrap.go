package app

import (
	"context"
	"time"

	"ktgs"
	"ktgs/internal/authz"
	"ktgs/internal/store"
)

// FirstAdmin is the username of the administrator created on first start.
const FirstAdmin = "admin"

// FirstStart prepares a database that has no account yet: it creates the
// administrator "admin" without a password, scoped to the root
// organisations, and returns a one-time setup link token for it (valid
// AuthConfig.SetupLinkAge). While that administrator has not chosen a
// password, every start issues a fresh link. Once any account can sign
// in, it returns "". There is never a default password.
func (s *Service) FirstStart(ctx context.Context) (string, error) {
	ctx = AsSystem(ctx)
	var link string
	err := s.DB.Update(ctx, func(tx *store.Tx) error {
		roots, err := tx.RootIDs(ctx)
		if err != nil {
			return err
		}
		u, err := tx.UserByName(ctx, FirstAdmin)
		switch {
		case notFound(err):
			if n, _, err := tx.CountUsers(ctx); err != nil || n > 0 {
				return err
			}
			u = &ktgs.User{Username: FirstAdmin, DisplayName: "Quản trị hệ thống", Role: authz.RoleAdmin, Scope: roots}
			if err := tx.InsertUser(ctx, u); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, auditEntry{Action: "user.create", ObjectType: "user", ObjectID: u.ID, After: viewOf(u)}); err != nil {
				return err
			}
		case err != nil:
			return err
		case u.PasswordHash != "":
			// Set up already; give the administrator the roots once
			// the register has been imported.
			if len(u.Scope) == 0 && len(roots) > 0 && u.Role == authz.RoleAdmin {
				before := viewOf(u)
				u.Scope = roots
				if err := tx.UpdateUser(ctx, u); err != nil {
					return err
				}
				return s.audit(ctx, tx, auditEntry{Action: "user.update", ObjectType: "user", ObjectID: u.ID, Before: before, After: viewOf(u)})
			}
			return nil
		}
		if len(u.Scope) == 0 && len(roots) > 0 {
			u.Scope = roots
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		link, err = s.newSetupLink(ctx, tx, u.ID)
		return err
	})
	return link, err
}

// DemoPassword is the published password of the demo accounts.
const DemoPassword = "ktgs-demo-2026"

// DemoAccount is one published demo account.
type DemoAccount struct {
	Username    string
	DisplayName string
	Role        authz.Role
	Clearance   authz.Mark
	OrgCode     string // scope
}

// DemoAccounts are created by "ktgs serve --demo" with DemoPassword and
// listed on the login page. Two-factor authentication is off for them.
var DemoAccounts = []DemoAccount{
	{"quantri", "Quản trị hệ thống (demo)", authz.RoleAdmin, authz.Normal, "TW"},
	{"chunhiem", "Chủ nhiệm UBKT tỉnh Ninh Bình (demo)", authz.RoleChair, authz.TopSecret, "P19"},
	{"kiemtra", "Cán bộ kiểm tra tỉnh Ninh Bình (demo)", authz.RoleInspector, authz.Secret, "P19"},
	{"thuongvu", "Ủy viên Ban Thường vụ Đảng ủy xã Gia Tường (demo)", authz.RoleStanding, authz.Secret, "P19-O1-D01-C01"},
	{"bithu", "Bí thư Chi bộ thôn Đoàn Kết (demo)", authz.RoleSecretary, authz.Normal, "P19-O1-D01-C01-VM1"},
	{"kiemtoan", "Kiểm toán nhật ký (demo)", authz.RoleAuditor, authz.Normal, "TW"},
	{"xem", "Người xem tỉnh Thanh Hóa (demo)", authz.RoleViewer, authz.Normal, "P08"},
}

// CreateDemoAccounts creates the demo accounts that do not exist yet.
func (s *Service) CreateDemoAccounts(ctx context.Context) error {
	ctx = AsSystem(ctx)
	hash, err := s.Auth.Hasher.Hash(ctx, DemoPassword)
	if err != nil {
		return err
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error {
		for _, d := range DemoAccounts {
			if _, err := tx.UserByName(ctx, d.Username); err == nil {
				continue
			} else if !notFound(err) {
				return err
			}
			org, err := tx.OrgIDByCode(ctx, d.OrgCode)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			u := &ktgs.User{Username: d.Username, DisplayName: d.DisplayName, Role: d.Role, Clearance: d.Clearance,
				Scope: []int64{org}, PasswordHash: hash, Demo: true, PasswordChangedAt: &now}
			if err := tx.InsertUser(ctx, u); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, auditEntry{Action: "user.create", ObjectType: "user", ObjectID: u.ID, After: viewOf(u)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CheckProduction refuses to run in production while demo accounts (with
// their published password) exist.
func (s *Service) CheckProduction(ctx context.Context) error {
	return s.DB.View(ctx, func(tx *store.Tx) error {
		_, demo, err := tx.CountUsers(ctx)
		if err != nil {
			return err
		}
		if demo > 0 {
			return ktgs.Errorf(ktgs.EFORBIDDEN, "err.auth.demo_in_production", demo)
		}
		return nil
	})
}
