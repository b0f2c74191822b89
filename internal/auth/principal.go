// Package auth knows who is asking: users, roles, divisions and enterprise,
// sessions and tokens, and the scope filter every store query applies.
package auth

import (
	"context"
	"slices"
	"strings"
)

// Role names, exactly as the API and docs/access.md use them.
const (
	RoleAdmin      = "admin"
	RoleCity       = "city"
	RoleCounty     = "county"
	RoleInspector  = "inspector"
	RoleEnterprise = "enterprise"
	RoleRescue     = "rescue"
	RoleObserver   = "observer"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleCity, RoleCounty, RoleInspector, RoleEnterprise, RoleRescue, RoleObserver}

// ValidRole tells whether r is a role name.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Principal is the caller: a user through a session, or a user's API token.
type Principal struct {
	UserID       int64    `json:"id"`
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	Role         string   `json:"role"`
	Regions      []string `json:"regions"`
	EnterpriseID *int64   `json:"enterprise_id"`
	// TokenID is set when the caller authenticated with an API token.
	TokenID int64 `json:"token_id,omitempty"`
}

// System is the principal of the platform's own jobs (migrations, demo
// loading, timers).
var System = &Principal{UserID: 0, Username: "system", Role: RoleAdmin}

// Name answers how events name the principal.
func (p *Principal) Name() string {
	if p == nil {
		return "anonymous"
	}
	return p.Username
}

// ActorID answers the user id for events, nil for the system.
func (p *Principal) ActorID() *int64 {
	if p == nil || p.UserID == 0 {
		return nil
	}
	id := p.UserID
	return &id
}

// AllRegions tells whether the principal sees every division.
func (p *Principal) AllRegions() bool {
	switch p.Role {
	case RoleAdmin, RoleCity, RoleRescue:
		return true
	case RoleObserver:
		return len(p.Regions) == 0
	}
	return false
}

// Is tells whether the principal has one of the roles.
func (p *Principal) Is(roles ...string) bool { return p != nil && slices.Contains(roles, p.Role) }

// IsRegulator: a role that acts for a regulator (not a mine).
func (p *Principal) IsRegulator() bool { return p.Is(RoleAdmin, RoleCity, RoleCounty, RoleInspector) }

// SeesRegion tells whether a record in division code is in scope by region.
// It does not apply to enterprise users, whose scope is their enterprise.
func (p *Principal) SeesRegion(code string) bool {
	if p.Role == RoleEnterprise {
		return false
	}
	if p.AllRegions() {
		return true
	}
	for _, r := range p.Regions {
		// A user may hold the city code, which covers its divisions.
		if r == code || (strings.HasSuffix(r, "00") && strings.HasPrefix(code, strings.TrimSuffix(r, "00"))) {
			return true
		}
	}
	return false
}

// SeesMine tells whether a mine (by its division and enterprise) is in scope.
func (p *Principal) SeesMine(regionCode string, enterpriseID int64) bool {
	if p == nil {
		return false
	}
	if p.Role == RoleEnterprise {
		return p.EnterpriseID != nil && *p.EnterpriseID == enterpriseID
	}
	return p.SeesRegion(regionCode)
}

// MineScope answers the SQL condition that limits a query to the mines the
// principal may see, given the column names of the mine's division and
// enterprise (for example "m.region_code", "m.enterprise_id"). Every store
// function that reads mine-owned records applies it, so scope is enforced
// where data is read, not only in handlers.
func (p *Principal) MineScope(regionCol, enterpriseCol string) (string, []any) {
	if p == nil {
		return "1=0", nil
	}
	if p.Role == RoleEnterprise {
		if p.EnterpriseID == nil {
			return "1=0", nil
		}
		return enterpriseCol + " = ?", []any{*p.EnterpriseID}
	}
	if p.AllRegions() {
		return "1=1", nil
	}
	var conds []string
	var args []any
	for _, r := range p.Regions {
		if strings.HasSuffix(r, "00") {
			conds = append(conds, regionCol+" LIKE ?")
			args = append(args, strings.TrimSuffix(r, "00")+"%")
		} else {
			conds = append(conds, regionCol+" = ?")
			args = append(args, r)
		}
	}
	if len(conds) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

type ctxKey struct{}

// WithPrincipal stores the principal in the context.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext answers the principal, or nil when unauthenticated.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
