package enforce

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// DrawAlgorithm names the random-draw algorithm. It is deliberately simple
// enough to redo by hand with any SHA-256 tool, so a draw (双随机) can be
// checked by someone who does not trust this software:
//
//   - the candidates are the plan's mines, sorted by mine code; their hash is
//     SHA-256 of the codes joined by "\n" (hex, lower case);
//   - each candidate's rank is SHA-256(seed + "\n" + code) in hex; the count
//     candidates of lowest rank are drawn (ties, which do not happen in
//     practice, by code);
//   - when an inspector pool is given, each drawn mine gets the per_mine
//     inspectors of lowest SHA-256(seed + "\n" + code + "\n" + certificate_no).
const DrawAlgorithm = "sha256-rank/v1"

// Candidate is a mine that could be drawn.
type Candidate struct {
	MineID int64  `json:"mine_id"`
	Code   string `json:"code"`
}

// Selection is a drawn mine and, with an inspector pool, its inspectors.
type Selection struct {
	MineID     int64       `json:"mine_id"`
	Code       string      `json:"code"`
	Inspectors []Inspector `json:"inspectors,omitempty"`
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// sortCandidates orders candidates by code, the order the hash is taken in.
func sortCandidates(c []Candidate) {
	sort.Slice(c, func(i, j int) bool { return c[i].Code < c[j].Code })
}

// CandidateHash is the hash of a candidate list (sorted by code).
func CandidateHash(c []Candidate) string {
	codes := make([]string, len(c))
	for i, x := range c {
		codes[i] = x.Code
	}
	sort.Strings(codes)
	return sha256Hex(strings.Join(codes, "\n"))
}

// rankBy answers the n items of lowest rank; rank and tie give each item's
// rank and tie-break.
func rankBy[T any](items []T, n int, rank func(T) string, tie func(T) string) []T {
	type ranked struct {
		item      T
		rank, tie string
	}
	rs := make([]ranked, len(items))
	for i, it := range items {
		rs[i] = ranked{it, rank(it), tie(it)}
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].rank != rs[j].rank {
			return rs[i].rank < rs[j].rank
		}
		return rs[i].tie < rs[j].tie
	})
	out := make([]T, 0, n)
	for i := 0; i < n && i < len(rs); i++ {
		out = append(out, rs[i].item)
	}
	return out
}

// DrawMines draws count candidates with seed and, given a pool, perMine
// inspectors for each. The same inputs always give the same answer.
func DrawMines(seed string, candidates []Candidate, count int, pool []Inspector, perMine int) []Selection {
	picked := rankBy(candidates, count,
		func(c Candidate) string { return sha256Hex(seed + "\n" + c.Code) },
		func(c Candidate) string { return c.Code })
	out := make([]Selection, len(picked))
	for i, c := range picked {
		out[i] = Selection{MineID: c.MineID, Code: c.Code}
		if len(pool) > 0 && perMine > 0 {
			out[i].Inspectors = rankBy(pool, perMine,
				func(in Inspector) string { return sha256Hex(seed + "\n" + c.Code + "\n" + in.CertificateNo) },
				func(in Inspector) string { return in.CertificateNo })
		}
	}
	return out
}
