package demo

import "strings"

// usccCharset is the character set of the unified social credit code
// (GB 32100-2015); the value of a character is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccCheckChar returns the check character for the first 17 characters of
// a unified social credit code, or 0 if body is not 17 valid characters.
func usccCheckChar(body string) byte {
	if len(body) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccCharset, body[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccCharset[c]
}

// validUSCC tells whether code is a well-formed unified social credit code
// whose 18th character is the correct check character.
func validUSCC(code string) bool {
	if len(code) != 18 {
		return false
	}
	c := usccCheckChar(code[:17])
	return c != 0 && c == code[17]
}

// orgCheckChar returns the GB 11714 check character of an 8-character
// organisation-code body (digits and upper-case letters, A=10 … Z=35), or 0.
func orgCheckChar(body string) byte {
	if len(body) != 8 {
		return 0
	}
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		b := body[i]
		var v int
		switch {
		case b >= '0' && b <= '9':
			v = int(b - '0')
		case b >= 'A' && b <= 'Z':
			v = int(b-'A') + 10
		default:
			return 0
		}
		sum += v * weights[i]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		return 'X'
	case 11:
		return '0'
	}
	return byte('0' + c)
}

// makeUSCC builds a valid code from the category prefix ("91"), the
// registration division code and an 8-character organisation-code body.
func makeUSCC(prefix, division, orgBody string) string {
	body := prefix + division + orgBody + string(orgCheckChar(orgBody))
	return body + string(usccCheckChar(body))
}

// rng is a small splitmix64 generator, so the data set does not depend on
// the standard library's generator staying the same across Go releases.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns an int in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns an int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance returns true with probability p.
func (r *rng) chance(p float64) bool { return float64(r.next()>>11)/(1<<53) < p }

func (r *rng) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}
