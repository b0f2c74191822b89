// Package registry is the register of what the regulator supervises: the
// city's divisions (regions), mining enterprises, mines, tailings ponds and
// the people on duty at each mine, with the pond grading rule as versioned
// data. docs/registry.md describes the API for its users.
//
// Other capabilities and the demo loader call the Service; every method
// takes the caller (*auth.Principal) and enforces its scope and role itself,
// so a record outside the caller's scope is "not found" exactly like a
// missing one:
//
//	NewService(db, clk) *Service; (*Service).Routes(r *httpx.Router)
//	Regions(ctx, p) ([]Region, error); Region(ctx, p, code) (Region, error)
//	ListEnterprises(ctx, p, EnterpriseFilter) ([]Enterprise, int, error)
//	GetEnterprise(ctx, p, id); CreateEnterprise(ctx, p, EnterpriseInput)
//	UpdateEnterprise(ctx, p, id, EnterprisePatch); ArchiveEnterprise(ctx, p, id, reason)
//	ListMines(ctx, p, MineFilter) ([]Mine, int, error)
//	GetMine(ctx, p, id); CreateMine(ctx, p, MineInput)
//	UpdateMine(ctx, p, id, MinePatch); ArchiveMine(ctx, p, id, reason)
//	MineByCode(ctx, code) (Mine, error)                 // unscoped, for ingest
//	ListPeople(ctx, p, mineID, httpx.ListParams) ([]Person, int, error)
//	AddPerson(ctx, p, mineID, PersonInput); UpdatePerson(ctx, p, mineID, personID, PersonPatch)
//	ArchivePerson(ctx, p, mineID, personID, reason)
//	TailingsGradeRules(ctx, p) (TailingsRules, error)
//	AddTailingsGradeRule(ctx, p, TailingsRuleInput) (ruleset.Set, error)
//
// Pure helpers: ValidUSCC and USCCCheckChar (GB 32100-2015), GradeTailings
// and DefaultTailingsRule (GB 50863-2013 等别), IsCoal, CapacityUnit.
//
// Refusals are *fail.Error in the API's order of precedence: 401, 404
// (missing or out of scope), 403 (role), 409 (state, e.g. archived), 422
// (fields, each named). Every write appends its event (record types
// "enterprise", "mine", "mine_person", "rule_set") in the same transaction.
// Nothing is deleted: archiving keeps the record with its reason, and lists
// hide archived records unless asked for them.
//
// A new version of the grading rule re-grades no pond by itself: a pond
// takes the version in force at its next update and records the version
// it was graded by.
package registry
