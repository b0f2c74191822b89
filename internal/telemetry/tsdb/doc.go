// Package tsdb is the time-series telemetry.SampleStore: accepted samples
// go to an append-only staging log and are answered once it commits; a
// background compaction turns them into one row per point per chunk of
// about 120 samples, compressed to well under a byte per sample, with the
// chunk's minute statistics beside it. docs/storage.md tells the whole
// design, the measurements and how to run it; this is the summary.
//
// # Writing
//
// Append checks duplicates, writes one staging row per call (a block
// below) and, after the commit, adds the samples to the head: per point,
// the staged samples in time order. A sample newer than its point's
// newest stored time cannot be a duplicate; only older ones are looked up,
// in the batch, the head and, when older than the point's chunks' end
// (sealedTo), in the chunks. Duplicates answer the value that stays (the
// first).
//
// # Chunks
//
// A point's chunk starts at the minute of its first sample (t0, the key)
// and closes after the minute holding its ChunkSamples-th sample (once a
// later sample shows that minute is over), when it would cover more than
// MaxSpan, or when the point has been silent for Settle. A chunk holds
// whole minutes, so its minute statistics are exact, and a point's chunks
// never overlap. A sample older than sealedTo is late: compaction merges
// it into the chunk before it (cut anew) or, past that chunk's span, into
// new chunks in the gap.
//
// Compaction moves closed chunks out of the head in steps of at most
// stepBudget samples. One transaction inserts the chunks and deletes the
// staging rows left with nothing to hold; a row still holding samples of
// open chunks stays, and recovery (Open) recognises its samples found in
// chunks. So a crash at any moment leaves each sample staged or in a chunk
// and, recovered, never both. When staging rows mostly hold samples
// already in chunks (points of different rates share rows), a checkpoint
// copies what they still hold into new rows and deletes them.
//
// # Reading
//
// Range, Buckets and Latest read the point's head first and the chunks
// second; compaction commits before it empties the head, so a sample is
// seen at least once, and the merge keeps one of equal times. Buckets
// takes a chunk through its minute statistics when all its minutes fall
// in one bucket, else decodes it. Retention moves a removed chunk's minute
// statistics to tsdb_rollups; older buckets are built from those.
//
// # Owners
//
// One Store owns the staging rows of its Shard: it alone appends them and
// compacts them. In a cluster each owner of a mine partition runs a Store
// with its own Shard over the shared tables (a point belongs to one
// partition). Another Store opened on the same shard without Run, Start
// or Compact only reads: it sees the staged samples of the moment it
// opened and the chunks as they are.
//
// # Byte layouts
//
// Numbers: varint is zigzag LEB128, uvarint LEB128. A Rice stream is a
// byte k, a uvarint byte length L and L bytes of bits, most significant
// first, zero-padded: each number z is z>>k one-bits, a zero, then the low
// k bits; a quotient of 24 or more is 24 one-bits, 6 bits of (bit length
// of z)−1 and the bits of z below its leading one. L = 0 means every
// number is 0 (a regular clock, a constant value).
//
// A chunk (EncodeChunk):
//
//	byte     header: bits 0–2 version 1; bit 3 values are scaled decimals
//	         (else XOR); bit 4 statuses follow (else all 0); bits 5–6 u,
//	         the time unit being 10^u ms
//	uvarint  n, the number of samples (0: nothing follows)
//	varint   t[0], ms since 1970 UTC
//	varint   (t[1]−t[0]) / unit                              if n > 1
//	Rice     zigzag of the delta-of-delta of t[2..], in units  if n > 2
//	values, decimal: byte d; varint x[0]; Rice of zigzag(x[i]−x[i−1])
//	         for i ≥ 1 (if n > 1), where v = x / 10^d exactly
//	values, XOR: uvarint length, then bits: v[0]'s 64 bits; per next
//	         value '0' (same), '10' and the XOR's bits in the previous
//	         window, or '11', 5 bits of leading zeros, 6 bits of length
//	         (0 meaning 64) and the bits (Gorilla, as Prometheus's chunks)
//	statuses uvarint runs, then per run uvarint length, varint status
//
// Times may come in any order; values with at most four decimals are
// always scaled, others take the shorter coding.
//
// Minute statistics (the agg column):
//
//	byte     header: bits 0–2 version 1; bit 3 scaled decimals
//	uvarint  m, the number of minutes
//	varint   the first minute (minutes since 1970 UTC)
//	byte     d                                                if decimal
//	bytes    Rice parameters: gap, count, and if decimal min, spread, extra
//	bits     to the end, per minute: the gap to the previous minute − 1
//	         (from the second), zigzag(count − previous count), then
//	         decimal: zigzag(min − previous min), max − min if count ≥ 2,
//	         sum − count·min − (max − min) if count ≥ 3 (all scaled);
//	         else the 64 bits of min, max if count ≥ 2, sum if count ≥ 3
//
// A staging block: byte version 1; uvarint n; a Rice stream of
// zigzag(point[i] − point[i−1]); a chunk of the n samples as they came.
package tsdb
