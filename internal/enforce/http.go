package enforce

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"minesafe/internal/auth"
	"minesafe/internal/events"
	"minesafe/internal/fail"
	"minesafe/internal/httpx"
)

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte

// noBody marks an endpoint that reads no request body.
type noBody struct{}

// endpoint adapts a service call: it reads the numeric path ids named and,
// unless In is noBody or the body is empty, the JSON body, and answers the
// result with status.
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
		var in In
		if _, none := any(in).(noBody); !none && r.ContentLength != 0 {
			if err := httpx.Decode(w, r, &in); err != nil {
				httpx.Error(w, r, err)
				return
			}
		}
		out, err := call(r.Context(), auth.FromContext(r.Context()), id, in)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		httpx.JSON(w, status, out)
	}
}

func ids(names ...string) []string { return names }

type reasonBody struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

type rulesBody[T any] struct {
	Note  string `json:"note"`
	Rules T      `json:"rules"`
}

// ruleRoutes serves one rule table: GET reads it, POST publishes a version.
func ruleRoutes[T any](r *httpx.Router, s *Service, path string, k ruleKind[T]) {
	r.Handle("GET "+path, endpoint(http.StatusOK, nil, func(ctx context.Context, _ *auth.Principal, _ []int64, _ noBody) (any, error) {
		return k.current(ctx, s)
	}))
	r.Handle("POST "+path, endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in rulesBody[T]) (any, error) {
		return k.publish(ctx, s, p, in.Rules, in.Note)
	}))
}

// Routes registers the enforcement endpoints.
func (s *Service) Routes(r *httpx.Router) {
	r.Handle("GET /api/v1/inspection-plans", s.handleListPlans)
	r.Handle("POST /api/v1/inspection-plans", endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in PlanInput) (any, error) {
		return s.CreatePlan(ctx, p, in)
	}))
	r.Handle("GET /api/v1/inspection-plans/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetPlan(ctx, p, id[0])
	}))
	r.Handle("POST /api/v1/inspection-plans/{id}/draw", endpoint(http.StatusCreated, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in DrawInput) (any, error) {
		return s.DrawPlan(ctx, p, id[0], in)
	}))
	r.Handle("GET /api/v1/inspection-plans/{id}/draws/{draw}/verify", endpoint(http.StatusOK, ids("id", "draw"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.VerifyDraw(ctx, p, id[0], id[1])
	}))

	r.Handle("GET /api/v1/inspections", s.handleListInspections)
	r.Handle("GET /api/v1/inspections.xlsx", s.handleExportInspections)
	r.Handle("POST /api/v1/inspections", endpoint(http.StatusCreated, nil, func(ctx context.Context, p *auth.Principal, _ []int64, in InspectionInput) (any, error) {
		return s.CreateInspection(ctx, p, in)
	}))
	r.Handle("GET /api/v1/inspections/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetInspection(ctx, p, id[0])
	}))
	r.Handle("GET /api/v1/inspections/{id}/trail", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return trail(s.InspectionTrail(ctx, p, id[0]))
	}))
	r.Handle("POST /api/v1/inspections/{id}/findings", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in struct {
		Findings []FindingInput `json:"findings"`
	}) (any, error) {
		return s.AddFindings(ctx, p, id[0], in.Findings)
	}))
	r.Handle("POST /api/v1/inspections/{id}/submit", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.Submit(ctx, p, id[0])
	}))
	r.Handle("POST /api/v1/inspections/{id}/decisions", endpoint(http.StatusCreated, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in DecisionInput) (any, error) {
		return s.CreateDecision(ctx, p, id[0], in)
	}))
	r.Handle("POST /api/v1/inspections/{id}/recheck", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in RecheckInput) (any, error) {
		return s.Recheck(ctx, p, id[0], in)
	}))
	r.Handle("POST /api/v1/inspections/{id}/close", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in reasonBody) (any, error) {
		return s.CloseInspection(ctx, p, id[0], in.Note)
	}))
	r.Handle("GET /api/v1/inspections/{id}/record.pdf", func(w http.ResponseWriter, r *http.Request) {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		b, err := s.InspectionRecordPDF(r.Context(), auth.FromContext(r.Context()), id)
		servePDF(w, r, fmt.Sprintf("inspection-%d", id), b, err)
	})

	r.Handle("GET /api/v1/decisions", s.handleListDecisions)
	r.Handle("GET /api/v1/fines.xlsx", s.handleExportFines)
	r.Handle("GET /api/v1/decisions/{id}", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetDecision(ctx, p, id[0])
	}))
	r.Handle("GET /api/v1/decisions/{id}/trail", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return trail(s.DecisionTrail(ctx, p, id[0]))
	}))
	for _, action := range DecisionSteps {
		r.Handle("POST /api/v1/decisions/{id}/"+action, endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in DecisionStepInput) (any, error) {
			return s.StepDecision(ctx, p, id[0], action, in)
		}))
	}
	r.Handle("GET /api/v1/decisions/{id}/order.pdf", func(w http.ResponseWriter, r *http.Request) {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		b, err := s.DecisionOrderPDF(r.Context(), auth.FromContext(r.Context()), id)
		servePDF(w, r, fmt.Sprintf("order-%d", id), b, err)
	})

	ruleRoutes(r, s, "/api/v1/rules/discretion", discretionRules)
	ruleRoutes(r, s, "/api/v1/rules/inspection-checklists", checklistRules)
	ruleRoutes(r, s, "/api/v1/rules/inspection-frequency", frequencyRules)

	r.Handle("GET /api/v1/blacklist", s.handleListBlacklist)
	r.Handle("GET /api/v1/blacklist.xlsx", s.handleExportBlacklist)
	r.Handle("GET /api/v1/enterprises/{id}/blacklist", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.Blacklist(ctx, p, id[0])
	}))
	r.Handle("POST /api/v1/enterprises/{id}/blacklist", endpoint(http.StatusCreated, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in BlacklistInput) (any, error) {
		return s.EnterBlacklist(ctx, p, id[0], in)
	}))
	r.Handle("POST /api/v1/enterprises/{id}/blacklist/exit", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in reasonBody) (any, error) {
		return s.ExitBlacklist(ctx, p, id[0], in.Reason)
	}))

	r.Handle("GET /api/v1/mines/{id}/power-baseline", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, _ noBody) (any, error) {
		return s.GetPowerBaseline(ctx, p, id[0])
	}))
	r.Handle("PUT /api/v1/mines/{id}/power-baseline", endpoint(http.StatusOK, ids("id"), func(ctx context.Context, p *auth.Principal, id []int64, in BaselineInput) (any, error) {
		return s.SetPowerBaseline(ctx, p, id[0], in)
	}))
}

func trail(list []events.Event, err error) (any, error) {
	return httpx.List[events.Event]{Items: list, Total: len(list)}, err
}

// query reads a request's list parameters and filters, collecting their
// problems.
type query struct {
	r   *http.Request
	bad fail.Fields
	lp  httpx.ListParams
}

func newQuery(r *http.Request, sortable map[string]string) *query {
	keys := make([]string, 0, len(sortable))
	for k := range sortable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	q := &query{r: r, bad: fail.Fields{}}
	lp, err := httpx.ParseList(r, keys, "")
	if e, ok := fail.As(err); ok {
		for k, v := range e.Fields {
			q.bad.Add(k, "%s", v)
		}
	}
	q.lp = lp
	return q
}

func (q *query) id(name string) int64 {
	v := q.r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		q.bad.Add(name, "must be an id")
	}
	return n
}

func (q *query) oneOf(name string, allowed []string) string {
	v := q.r.URL.Query().Get(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.bad.Add(name, "one of %v", allowed)
	}
	return v
}

func (q *query) date(name string) string {
	v := q.r.URL.Query().Get(name)
	if v != "" {
		checkDate(q.bad, name, v)
	}
	return v
}

func (q *query) str(name string) string { return q.r.URL.Query().Get(name) }

// serveList answers a list, or the problems of its parameters.
func serveList[T any](w http.ResponseWriter, r *http.Request, q *query, load func(ctx context.Context, p *auth.Principal) ([]T, int, error)) {
	if err := q.bad.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, total, err := load(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, httpx.List[T]{Items: items, Total: total})
}

// serveExport answers the whole selection of a list as a workbook.
func serveExport[T any](w http.ResponseWriter, r *http.Request, q *query, load func(ctx context.Context, p *auth.Principal) ([]T, int, error), write func(http.ResponseWriter, []T) error) {
	if err := q.bad.Err(); err != nil {
		httpx.Error(w, r, err)
		return
	}
	items, _, err := load(r.Context(), auth.FromContext(r.Context()))
	if err != nil {
		httpx.Error(w, r, err)
		return
	}
	if err := write(w, items); err != nil {
		httpx.Error(w, r, err)
	}
}

func (s *Service) handleListPlans(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, nil)
	f := PlanFilter{ListParams: q.lp, RegionCode: q.str("region_code")}
	if v := q.str("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			q.bad.Add("year", "a year such as 2026")
		}
		f.Year = n
	}
	serveList(w, r, q, func(ctx context.Context, p *auth.Principal) ([]Plan, int, error) { return s.ListPlans(ctx, p, f) })
}

func (s *Service) inspectionFilter(r *http.Request) (*query, InspectionFilter) {
	q := newQuery(r, inspectionSort)
	return q, InspectionFilter{ListParams: q.lp, MineID: q.id("mine_id"), PlanID: q.id("plan_id"), RegionCode: q.str("region_code"),
		State: q.oneOf("state", []string{StateDraft, StateSubmitted, StateDecided, StateRechecked, StateClosed}), From: q.date("from"), To: q.date("to")}
}

func (s *Service) handleListInspections(w http.ResponseWriter, r *http.Request) {
	q, f := s.inspectionFilter(r)
	serveList(w, r, q, func(ctx context.Context, p *auth.Principal) ([]Inspection, int, error) {
		return s.ListInspections(ctx, p, f)
	})
}

func (s *Service) handleExportInspections(w http.ResponseWriter, r *http.Request) {
	q, f := s.inspectionFilter(r)
	f.Limit = 0 // the whole selection
	serveExport(w, r, q, func(ctx context.Context, p *auth.Principal) ([]Inspection, int, error) {
		return s.ListInspections(ctx, p, f)
	}, s.exportInspections)
}

func (s *Service) decisionFilter(r *http.Request) (*query, DecisionFilter) {
	q := newQuery(r, decisionSort)
	states := []string{RectifyIssued, HaltInForce, HaltLifted, FineProposed, FinePaymentReported, FinePaid, FineTransferred, FineWithdrawn}
	return q, DecisionFilter{ListParams: q.lp, InspectionID: q.id("inspection_id"), MineID: q.id("mine_id"), RegionCode: q.str("region_code"),
		Kind: q.oneOf("kind", decisionKinds), State: q.oneOf("state", states)}
}

func (s *Service) handleListDecisions(w http.ResponseWriter, r *http.Request) {
	q, f := s.decisionFilter(r)
	serveList(w, r, q, func(ctx context.Context, p *auth.Principal) ([]Decision, int, error) {
		return s.ListDecisions(ctx, p, f)
	})
}

func (s *Service) handleExportFines(w http.ResponseWriter, r *http.Request) {
	q, f := s.decisionFilter(r)
	f.Limit, f.Kind = 0, KindFine
	serveExport(w, r, q, func(ctx context.Context, p *auth.Principal) ([]Decision, int, error) {
		return s.ListDecisions(ctx, p, f)
	}, s.exportFines)
}

func (s *Service) blacklistFilter(r *http.Request) (*query, BlacklistFilter) {
	q := newQuery(r, nil)
	f := BlacklistFilter{ListParams: q.lp, EnterpriseID: q.id("enterprise_id")}
	if v := q.str("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			q.bad.Add("active", "true or false")
		}
		f.Active = &b
	}
	return q, f
}

func (s *Service) handleListBlacklist(w http.ResponseWriter, r *http.Request) {
	q, f := s.blacklistFilter(r)
	serveList(w, r, q, func(ctx context.Context, p *auth.Principal) ([]BlacklistEntry, int, error) {
		return s.ListBlacklist(ctx, p, f)
	})
}

func (s *Service) handleExportBlacklist(w http.ResponseWriter, r *http.Request) {
	q, f := s.blacklistFilter(r)
	f.Limit = 0
	serveExport(w, r, q, func(ctx context.Context, p *auth.Principal) ([]BlacklistEntry, int, error) {
		return s.ListBlacklist(ctx, p, f)
	}, s.exportBlacklist)
}
