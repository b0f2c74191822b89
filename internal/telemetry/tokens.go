package telemetry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// IngestToken lets a gateway send data for the mines it covers, nothing else.
type IngestToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	MineIDs    []int64    `json:"mine_ids"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// Covers tells whether the token may send for a mine.
func (t *IngestToken) Covers(mineID int64) bool { return slices.Contains(t.MineIDs, mineID) }

// tokenCache keeps resolved tokens briefly: MQTT authenticates every
// connection and HTTP every batch. A revocation in this process takes
// effect at once; one made by another process within tokenCacheTTL.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

type cachedToken struct {
	tok *IngestToken
	at  time.Time
}

const tokenCacheTTL = 30 * time.Second

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateIngestToken issues a token for mines. Admins may cover any mines;
// an enterprise user only its own; the CLI and the demo act as the system.
func (s *Service) CreateIngestToken(ctx context.Context, p *auth.Principal, name string, mineIDs []int64) (IngestToken, string, error) {
	if !p.Is(auth.RoleAdmin, auth.RoleEnterprise) {
		return IngestToken{}, "", fail.Forbiddenf("only an admin or the mine's enterprise issues ingest tokens")
	}
	if len(mineIDs) == 0 {
		return IngestToken{}, "", fail.Invalidf("mine_ids", "at least one mine")
	}
	slices.Sort(mineIDs)
	mineIDs = slices.Compact(mineIDs)
	for _, id := range mineIDs {
		if _, err := s.reg.GetMine(ctx, p, id); err != nil {
			return IngestToken{}, "", err
		}
	}
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return IngestToken{}, "", err
	}
	secret := auth.IngestTokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	now := s.clk.Now()
	t := IngestToken{Name: name, MineIDs: mineIDs, CreatedAt: now}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t.ID, err = tx.Insert(ctx, `INSERT INTO ingest_tokens (name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)`,
			name, hashToken(secret), now, p.ActorID())
		if err != nil {
			return err
		}
		for _, id := range mineIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO ingest_token_mines (token_id, mine_id) VALUES (?, ?)`, t.ID, id); err != nil {
				return err
			}
		}
		ev := events.New(p, now, "ingest_token", t.ID, "create").WithDetail(map[string]any{"name": name, "mine_ids": mineIDs})
		if len(mineIDs) == 1 {
			ev.MineID = &mineIDs[0]
		}
		_, err = events.Append(ctx, tx, ev)
		return err
	})
	return t, secret, err
}

// ResolveIngestToken answers the live token of a secret, or a 401 refusal.
func (s *Service) ResolveIngestToken(ctx context.Context, secret string) (*IngestToken, error) {
	if !strings.HasPrefix(secret, auth.IngestTokenPrefix) {
		return nil, fail.Unauthenticatedf("not an ingest token")
	}
	h := hashToken(secret)
	now := s.clk.Now()
	s.tokens.mu.Lock()
	if c, ok := s.tokens.m[h]; ok && now.Sub(c.at) < tokenCacheTTL {
		s.tokens.mu.Unlock()
		return c.tok, nil
	}
	s.tokens.mu.Unlock()
	var t IngestToken
	err := s.db.QueryRow(ctx, `SELECT id, name, created_at, last_used_at, revoked_at FROM ingest_tokens WHERE token_hash = ?`, h).
		Scan(&t.ID, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && t.RevokedAt != nil) {
		return nil, fail.Unauthenticatedf("unknown or revoked ingest token")
	}
	if err != nil {
		return nil, err
	}
	if t.MineIDs, err = s.tokenMines(ctx, t.ID); err != nil {
		return nil, err
	}
	_, _ = s.db.Exec(ctx, `UPDATE ingest_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID)
	s.tokens.mu.Lock()
	s.tokens.m[h] = cachedToken{&t, now}
	s.tokens.mu.Unlock()
	return &t, nil
}

func (s *Service) tokenMines(ctx context.Context, tokenID int64) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT mine_id FROM ingest_token_mines WHERE token_id = ? ORDER BY mine_id`, tokenID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ListIngestTokens answers the tokens covering a mine the caller may see.
func (s *Service) ListIngestTokens(ctx context.Context, p *auth.Principal, mineID int64) ([]IngestToken, error) {
	if _, err := s.reg.GetMine(ctx, p, mineID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT t.id, t.name, t.created_at, t.last_used_at, t.revoked_at FROM ingest_tokens t
		JOIN ingest_token_mines m ON m.token_id = t.id WHERE m.mine_id = ? ORDER BY t.id`, mineID)
	if err != nil {
		return nil, err
	}
	out := []IngestToken{}
	for rows.Next() {
		var t IngestToken
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].MineIDs, err = s.tokenMines(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RevokeIngestToken ends a token: an admin, or an enterprise user that may
// see every mine the token covers.
func (s *Service) RevokeIngestToken(ctx context.Context, p *auth.Principal, id int64) error {
	var revoked *time.Time
	err := s.db.QueryRow(ctx, `SELECT revoked_at FROM ingest_tokens WHERE id = ?`, id).Scan(&revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return fail.NotFoundf("no such ingest token")
	}
	if err != nil {
		return err
	}
	mines, err := s.tokenMines(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range mines {
		if _, err := s.reg.GetMine(ctx, p, m); err != nil {
			return fail.NotFoundf("no such ingest token")
		}
	}
	if !p.Is(auth.RoleAdmin, auth.RoleEnterprise) {
		return fail.Forbiddenf("only an admin or the mine's enterprise revokes ingest tokens")
	}
	if revoked != nil {
		return fail.Conflictf("revoked", "ingest token %d is already revoked", id)
	}
	now := s.clk.Now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE ingest_tokens SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		_, err := events.Append(ctx, tx, events.New(p, now, "ingest_token", id, "revoke"))
		return err
	})
	if err != nil {
		return err
	}
	s.tokens.mu.Lock()
	for h, c := range s.tokens.m {
		if c.tok.ID == id {
			delete(s.tokens.m, h)
		}
	}
	s.tokens.mu.Unlock()
	return nil
}
