package registry

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
// characters from this set, the last a check character over the first 17.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar answers the check character (position 18) of a USCC whose
// first 17 characters are given.
func USCCCheckChar(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != 17 {
		return 0, fmt.Errorf("the first part must be 17 characters, not %d", n)
	}
	sum := 0
	for i, r := range []rune(first17) {
		v := strings.IndexRune(usccCharset, r)
		if v < 0 {
			return 0, usccCharError(r, i+1)
		}
		sum += v * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31], nil
}

// ValidUSCC checks a USCC and says what is wrong: its length, a character
// not allowed at a position, or the check character it should end with.
func ValidUSCC(code string) error {
	if n := utf8.RuneCountInString(code); n != 18 {
		return fmt.Errorf("must be 18 characters, not %d", n)
	}
	runes := []rune(code)
	want, err := USCCCheckChar(string(runes[:17]))
	if err != nil {
		return err
	}
	if last := runes[17]; last != rune(want) {
		if !strings.ContainsRune(usccCharset, last) {
			return usccCharError(last, 18)
		}
		return fmt.Errorf("check digit (position 18) should be %c, not %c", want, last)
	}
	return nil
}

func usccCharError(r rune, pos int) error {
	return fmt.Errorf("character %q is not allowed at position %d: use digits and capital letters except I, O, S, V, Z", r, pos)
}
