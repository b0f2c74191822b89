package registry

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"minesafe/internal/auth"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// Routes registers the registry's API; every route needs a principal.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/regions", s.listRegions)
	r.Handle("GET /api/v1/regions/{code}", func(w http.ResponseWriter, req *http.Request) {
		reg, err := s.Region(req.Context(), auth.FromContext(req.Context()), req.PathValue("code"))
		answer(w, req, http.StatusOK, reg, err)
	})

	r.Handle("GET /api/v1/enterprises", s.listEnterprises)
	r.Handle("POST /api/v1/enterprises", endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in EnterpriseInput) (any, error) {
		return s.CreateEnterprise(ctx, p, in)
	}))
	r.Handle("GET /api/v1/enterprises/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetEnterprise(ctx, p, id[0])
	}))
	r.Handle("PATCH /api/v1/enterprises/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in EnterprisePatch) (any, error) {
		return s.UpdateEnterprise(ctx, p, id[0], in)
	}))
	r.Handle("POST /api/v1/enterprises/{id}/archive", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in archiveBody) (any, error) {
		return s.ArchiveEnterprise(ctx, p, id[0], in.Reason)
	}))

	r.Handle("GET /api/v1/mines", s.listMines)
	r.Handle("GET /api/v1/mines.geojson", s.minesGeoJSON)
	r.Handle("POST /api/v1/mines", endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in MineInput) (any, error) {
		return s.CreateMine(ctx, p, in)
	}))
	r.Handle("GET /api/v1/mines/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetMine(ctx, p, id[0])
	}))
	r.Handle("PATCH /api/v1/mines/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in MinePatch) (any, error) {
		return s.UpdateMine(ctx, p, id[0], in)
	}))
	r.Handle("POST /api/v1/mines/{id}/archive", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in archiveBody) (any, error) {
		return s.ArchiveMine(ctx, p, id[0], in.Reason)
	}))

	r.Handle("GET /api/v1/mines/{id}/people", s.listPeople)
	r.Handle("POST /api/v1/mines/{id}/people", endpoint(http.StatusCreated, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in PersonInput) (any, error) {
		return s.AddPerson(ctx, p, id[0], in)
	}))
	r.Handle("PATCH /api/v1/mines/{id}/people/{pid}", endpoint(http.StatusOK, ids("id", "pid"), func(ctx context.Context, p *auth.Principal, id []int64, in PersonPatch) (any, error) {
		return s.UpdatePerson(ctx, p, id[0], id[1], in)
	}))
	r.Handle("POST /api/v1/mines/{id}/people/{pid}/archive", endpoint(http.StatusOK, ids("id", "pid"), func(ctx context.Context, p *auth.Principal, id []int64, in archiveBody) (any, error) {
		return s.ArchivePerson(ctx, p, id[0], id[1], in.Reason)
	}))

	r.Handle("GET /api/v1/rules/tailings-grade", endpoint(http.StatusOK, nil, func(ctx context.Context, p *auth.Principal, _ []int64, _ noBody) (any, error) {
		return s.TailingsGradeRules(ctx, p)
	}))
	r.Handle("POST /api/v1/rules/tailings-grade", endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in TailingsRuleInput) (any, error) {
		return s.AddTailingsGradeRule(ctx, p, in)
	}))
}

type archiveBody struct {
	Reason string `json:"reason"`
}

// noBody marks an endpoint that reads no request body.
type noBody struct{}

func ids(names ...string) []string { return names }

// endpoint adapts a service call: it reads the numeric path ids named and,
// unless In is noBody, the JSON body, and answers the result with status.
//
// A malformed body is refused with 400 only after the call has been made
// with the zero input, so that 404, 403 and 409 keep their precedence. That
// call never writes: every input has a required field, and an empty patch
// changes nothing.
func endpoint[In any](status int, names []string, call func(ctx context.Context, p *auth.Principal, id []int64, in In) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := make([]int64, len(names))
		for i, name := range names {
			v, err := httpx.PathID(r, name)
			if err != nil {
				httpx.Error(w, r, err)
				return
			}
			id[i] = v
		}
		var in, zero In
		var bad error
		if _, none := any(in).(noBody); !none {
			if bad = httpx.Decode(w, r, &in); bad != nil {
				in = zero // a partly decoded body must not reach the call
			}
		}
		out, err := call(r.Context(), auth.FromContext(r.Context()), id, in)
		if e, ok := fail.As(err); bad != nil && (err == nil || ok && e.Kind > fail.Conflict) {
			err = bad
		}
		answer(w, r, status, out, err)
	}
}

func answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, status, v)
}

func (s *Service) listRegions(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Regions(r.Context(), auth.FromContext(r.Context()))
	answer(w, r, http.StatusOK, httpx.List[Region]{Items: rs, Total: len(rs)}, err)
}

func (s *Service) listEnterprises(w http.ResponseWriter, r *http.Request) {
	f := fail.Fields{}
	lp := listParams(r, f, enterpriseSort, "name")
	q := r.URL.Query()
	filter := EnterpriseFilter{ListParams: lp, RegionCode: q.Get("region_code"), Ownership: q.Get("ownership")}
	oneOf(f, "ownership", filter.Ownership, ownerships, false)
	if err := f.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, total, err := s.ListEnterprises(r.Context(), auth.FromContext(r.Context()), filter)
	answer(w, r, http.StatusOK, httpx.List[Enterprise]{Items: items, Total: total}, err)
}

func (s *Service) listMines(w http.ResponseWriter, r *http.Request) {
	filter, err := mineFilter(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, total, err := s.ListMines(r.Context(), auth.FromContext(r.Context()), filter)
	answer(w, r, http.StatusOK, httpx.List[Mine]{Items: items, Total: total}, err)
}

func (s *Service) listPeople(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	f := fail.Fields{}
	lp := listParams(r, f, personSort, "role")
	if err := f.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, total, err := s.ListPeople(r.Context(), auth.FromContext(r.Context()), id, lp)
	answer(w, r, http.StatusOK, httpx.List[Person]{Items: items, Total: total}, err)
}

// listParams reads the common list parameters, adding their problems to f.
func listParams(r *http.Request, f fail.Fields, sortable map[string]string, defaultSort string) httpx.ListParams {
	keys := make([]string, 0, len(sortable))
	for k := range sortable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	lp, err := httpx.ParseList(r, keys, defaultSort)
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			f.Add(k, "%s", v)
		}
	}
	return lp
}

// mineFilter reads the mine list's parameters (also the GeoJSON's).
func mineFilter(r *http.Request) (MineFilter, error) {
	f := fail.Fields{}
	q := r.URL.Query()
	filter := MineFilter{ListParams: listParams(r, f, mineSort, "code"), RegionCode: q.Get("region_code"), Kind: q.Get("kind"), Status: q.Get("status")}
	oneOf(f, "kind", filter.Kind, mineKinds, false)
	oneOf(f, "status", filter.Status, mineStatuses, false)
	if v := q.Get("enterprise_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f.Add("enterprise_id", "must be an enterprise id")
		}
		filter.EnterpriseID = n
	}
	return filter, f.Err()
}

// minesGeoJSON answers the mines p may see as a GeoJSON FeatureCollection
// for the map. It takes the list's filters; without limit it answers every
// matching mine, since a map shows them all.
func (s *Service) minesGeoJSON(w http.ResponseWriter, r *http.Request) {
	filter, err := mineFilter(r)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if r.URL.Query().Get("limit") == "" {
		filter.Limit = 0
	}
	ms, _, err := s.ListMines(r.Context(), auth.FromContext(r.Context()), filter)
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	_ = json.NewEncoder(w).Encode(featureCollection(ms))
}

type geoFeature struct {
	Type       string      `json:"type"`
	Geometry   geoPoint    `json:"geometry"`
	Properties geoMineInfo `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

type geoMineInfo struct {
	ID             int64  `json:"id"`
	Code           string `json:"code"`
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	Status         string `json:"status"`
	RegionCode     string `json:"region_code"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
}

func featureCollection(ms []Mine) map[string]any {
	features := make([]geoFeature, len(ms))
	for i, m := range ms {
		features[i] = geoFeature{Type: "Feature", Geometry: geoPoint{Type: "Point", Coordinates: [2]float64{m.Lon, m.Lat}},
			Properties: geoMineInfo{ID: m.ID, Code: m.Code, Name: m.Name, Kind: m.Kind, Status: m.Status,
				RegionCode: m.RegionCode, EnterpriseID: m.EnterpriseID, EnterpriseName: m.EnterpriseName}}
	}
	return map[string]any{"type": "FeatureCollection", "features": features}
}
