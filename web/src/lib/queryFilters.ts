// Keeps a list's filters in the address, so that a filtered list is a link
// and survives a reload: each field is read from the query once at start
// and written back (replace, no history entry) when it changes. Keys are the
// caller's: two lists on one page (tabs) use prefixes so neither reads the
// other's filters.
import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/** A filter field: its query key, how to read it as text ('' for none) and how to set it from text. */
export type QueryField = [key: string, get: () => string, set: (v: string) => void];

/** Merges field values into a query: set keys with a value, drop the empty ones, keep the rest. */
export function mergeQuery<Q extends Record<string, unknown>>(query: Q, values: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const [k, v] of values) {
    if (v) out[k] = v;
    else delete out[k];
  }
  return out;
}

export function useQueryFilters(fields: QueryField[], enabled = true) {
  if (!enabled) return;
  const route = useRoute();
  const router = useRouter();
  for (const [k, , set] of fields) {
    const v = route.query[k];
    if (typeof v === 'string' && v) set(v);
  }
  watch(
    () => fields.map(([, get]) => get()),
    (vals) => {
      const next = mergeQuery(route.query, fields.map(([k], i) => [k, vals[i]]));
      router.replace({ query: next as Record<string, string> });
    },
  );
}
