// Package flow declares each closed loop (alarm, hazard, inspection…) as a
// table of (from states, action, roles) → next state, and applies one step:
// it checks role and state, moves the record and appends the event in the
// caller's transaction, and refuses with the reason.
package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/store"
)

// Transition is one row of a loop's table.
type Transition struct {
	From   []string
	Action string
	To     string
	Roles  []string
}

// Machine is a loop: its record type (as events name it) and its table.
type Machine struct {
	RecordType  string
	Transitions []Transition
}

// Step answers the next state for action from state by p, or the refusal:
// 403 when p's role may never take the action, 409 when the state does not
// allow it (naming the states that would).
func (m *Machine) Step(state, action string, p *auth.Principal) (string, error) {
	var roleOK, known bool
	var fromStates []string
	for _, t := range m.Transitions {
		if t.Action != action {
			continue
		}
		known = true
		if !p.Is(t.Roles...) {
			continue
		}
		roleOK = true
		if slices.Contains(t.From, state) {
			return t.To, nil
		}
		fromStates = append(fromStates, t.From...)
	}
	switch {
	case !known:
		return "", fail.BadRequestf("unknown action %q", action)
	case !roleOK:
		return "", fail.Forbiddenf("role %s may not %s a %s", p.Role, action, m.RecordType)
	}
	return "", fail.Conflictf("wrong_state", "cannot %s a %s that is %s (only from %s)", action, m.RecordType, state, strings.Join(uniq(fromStates), ", "))
}

// Actions answers the actions p may take from state, for the UI.
func (m *Machine) Actions(state string, p *auth.Principal) []string {
	var out []string
	for _, t := range m.Transitions {
		if slices.Contains(t.From, state) && p.Is(t.Roles...) && !slices.Contains(out, t.Action) {
			out = append(out, t.Action)
		}
	}
	return out
}

// Move sets table.state from→to for the record (guarding against a
// concurrent step: 409 if the state changed meanwhile), applies the extra
// column assignments and appends the event. ev must name the record.
func Move(ctx context.Context, tx *store.Tx, table string, id int64, from, to string, set map[string]any, ev events.Event) error {
	cols := []string{"state = ?"}
	args := []any{to}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		cols = append(cols, k+" = ?")
		args = append(args, set[k])
	}
	args = append(args, id, from)
	res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s WHERE id = ? AND state = ?`, table, strings.Join(cols, ", ")), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fail.Conflictf("wrong_state", "the %s changed meanwhile; reload and try again", ev.RecordType)
	}
	ev.FromState, ev.ToState = from, to
	_, err = events.Append(ctx, tx, ev)
	return err
}

// Stamp is a helper for the common "who and when" columns of a step.
func Stamp(p *auth.Principal, at time.Time) (string, time.Time) { return p.Name(), at.UTC() }

func uniq(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
