package registry

import (
	"context"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
	"minesafe/internal/store"
)

// personCols are the stored input columns, in the order of targets.
var personCols = []string{"role", "name", "certificate_no", "certificate_expiry", "phone"}

func (in *PersonInput) targets() []any {
	return []any{&in.Role, &in.Name, &in.CertificateNo, &in.CertificateExpiry, &in.Phone}
}

var personSort = map[string]string{
	"id": "mp.id", "role": "mp.role", "name": "mp.name", "certificate_expiry": "mp.certificate_expiry", "created_at": "mp.created_at",
}

var personSelect = "SELECT mp.id, mp.mine_id, " + columns("mp", personCols) + ", " + columns("mp", lifecycleCols) + " FROM mine_people mp"

// selectPeople runs the person query; certificate_expired is judged for
// today in Asia/Shanghai.
func (s *Service) selectPeople(ctx context.Context, q querier, c conds, tail string, tailArgs ...any) ([]Person, error) {
	rows, err := q.Query(ctx, personSelect+c.where()+tail, append(c.args, tailArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := s.today()
	out := []Person{}
	for rows.Next() {
		var x Person
		targets := append([]any{&x.ID, &x.MineID}, x.PersonInput.targets()...)
		if err := rows.Scan(append(targets, x.Lifecycle.targets()...)...); err != nil {
			return nil, err
		}
		x.utc()
		x.CertificateExpired = x.CertificateExpiry != "" && x.CertificateExpiry < today
		out = append(out, x)
	}
	return out, rows.Err()
}

func (s *Service) getPerson(ctx context.Context, q querier, mineID, id int64) (Person, error) {
	var c conds
	c.add("mp.id = ? AND mp.mine_id = ?", id, mineID)
	ps, err := s.selectPeople(ctx, q, c, "")
	if err != nil {
		return Person{}, err
	}
	if len(ps) == 0 {
		return Person{}, fail.NotFoundf("no such person on duty")
	}
	return ps[0], nil
}

// dutyRoster answers a mine's unarchived people on duty by role.
func (s *Service) dutyRoster(ctx context.Context, mineID int64) ([]Person, error) {
	var c conds
	c.add("mp.mine_id = ? AND mp.archived_at IS NULL", mineID)
	return s.selectPeople(ctx, s.db, c, " ORDER BY mp.role, mp.id")
}

// ListPeople answers a page of the people on duty of a mine p may see.
func (s *Service) ListPeople(ctx context.Context, p *auth.Principal, mineID int64, lp httpx.ListParams) ([]Person, int, error) {
	if _, err := getMine(ctx, s.db, mineScope(p), mineID); err != nil {
		return nil, 0, err
	}
	var c conds
	c.add("mp.mine_id = ?", mineID)
	c.common("mp", lp)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM mine_people mp"+c.where(), c.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	tail, args := page(lp)
	ps, err := s.selectPeople(ctx, s.db, c, " "+lp.OrderBy(personSort, "mp.id")+tail, args...)
	return ps, total, err
}

// dutyChange reads the mine, and the person when personID > 0, for a
// change of people on duty, refusing in precedence order: 404 (missing or
// out of scope), 403 (a role that never changes people), 409 (mine archived).
func (s *Service) dutyChange(ctx context.Context, tx *store.Tx, p *auth.Principal, mineID, personID int64) (Mine, Person, error) {
	var x Person
	m, err := getMine(ctx, tx, mineScope(p), mineID)
	if err == nil && personID > 0 {
		x, err = s.getPerson(ctx, tx, mineID, personID)
	}
	if err == nil {
		err = mayChangePeople(p)
	}
	if err == nil {
		err = checkLive(m.Lifecycle, "mine")
	}
	return m, x, err
}

// AddPerson puts a person on duty at a mine (admin, city, county in its
// divisions, an enterprise at its own mines).
func (s *Service) AddPerson(ctx context.Context, p *auth.Principal, mineID int64, in PersonInput) (Person, error) {
	var id int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		m, _, err := s.dutyChange(ctx, tx, p, mineID, 0)
		if err != nil {
			return err
		}
		f := fail.Fields{}
		checkPerson(f, &in)
		if err := f.Err(); err != nil {
			return err
		}
		id, err = s.insertRow(ctx, tx, p, "mine_people", append([]string{"mine_id"}, personCols...), append([]any{mineID}, in.targets()...),
			"mine_person", func(int64) place { return m.place(m.ID) }, in)
		return err
	})
	if err != nil {
		return Person{}, err
	}
	return s.getPerson(ctx, s.db, mineID, id)
}

// UpdatePerson changes the fields given of a person on duty.
func (s *Service) UpdatePerson(ctx context.Context, p *auth.Principal, mineID, personID int64, patch PersonPatch) (Person, error) {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		m, cur, err := s.dutyChange(ctx, tx, p, mineID, personID)
		if err != nil {
			return err
		}
		if err := checkLive(cur.Lifecycle, "person on duty"); err != nil {
			return err
		}
		in := cur.PersonInput
		ch := patch.apply(&in)
		f := fail.Fields{}
		checkPerson(f, &in)
		if err := f.Err(); err != nil || len(ch) == 0 {
			return err
		}
		return s.updateRow(ctx, tx, p, "mine_people", personCols, in.targets(), "mine_person", personID, m.place(m.ID), ch)
	})
	if err != nil {
		return Person{}, err
	}
	return s.getPerson(ctx, s.db, mineID, personID)
}

// ArchivePerson takes a person off duty, with the reason.
func (s *Service) ArchivePerson(ctx context.Context, p *auth.Principal, mineID, personID int64, reason string) (Person, error) {
	err := s.archive(ctx, p, personID, reason, archiveTarget{table: "mine_people", recordType: "mine_person", what: "person on duty",
		load: func(tx *store.Tx) (Lifecycle, place, error) {
			m, x, err := s.dutyChange(ctx, tx, p, mineID, personID)
			return x.Lifecycle, m.place(m.ID), err
		}})
	if err != nil {
		return Person{}, err
	}
	return s.getPerson(ctx, s.db, mineID, personID)
}

func (pt PersonPatch) apply(in *PersonInput) changes {
	c := changes{}
	set(c, "role", &in.Role, pt.Role)
	set(c, "name", &in.Name, pt.Name)
	set(c, "certificate_no", &in.CertificateNo, pt.CertificateNo)
	set(c, "certificate_expiry", &in.CertificateExpiry, pt.CertificateExpiry)
	set(c, "phone", &in.Phone, pt.Phone)
	return c
}
