package tsdb

import (
	"encoding/binary"
)

// A staged block is one row of the staging log: the points of its samples,
// then the samples themselves in the chunk format, in the order they came.

// appendBlock encodes points[i] with s[i] for every i.
func appendBlock(dst []byte, points []int64, s []Sample, sc *scratch) []byte {
	if sc == nil {
		sc = &scratch{}
	}
	dst = append(dst, chunkVersion)
	dst = binary.AppendUvarint(dst, uint64(len(points)))
	zs := sc.z[:0]
	prev := int64(0)
	for _, p := range points {
		zs = append(zs, zigzag(p-prev))
		prev = p
	}
	sc.z = zs
	dst = appendRiceStream(dst, zs, &sc.w1)
	dst, _ = appendChunk(dst, s, sc)
	return dst
}

// decodeBlock answers the points and samples of a staged block.
func decodeBlock(b []byte) ([]int64, []Sample, error) {
	r := byteReader{b: b}
	if r.byte() != chunkVersion {
		return nil, nil, errCorrupt
	}
	n := r.uvarint()
	rs := r.riceStream()
	if r.err || n > maxBlockLength {
		return nil, nil, errCorrupt
	}
	points := make([]int64, n)
	prev := int64(0)
	for i := range points {
		z, ok := rs.next()
		if !ok {
			return nil, nil, errCorrupt
		}
		prev += unzigzag(z)
		points[i] = prev
	}
	s, err := decodeChunkFrom(make([]Sample, 0, n), &r)
	if err != nil || len(s) != len(points) || r.pos != len(b) {
		return nil, nil, errCorrupt
	}
	return points, s, nil
}
