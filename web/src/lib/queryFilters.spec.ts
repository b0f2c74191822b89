import { describe, expect, it } from 'vitest';
import { mergeQuery } from './queryFilters';

describe('mergeQuery', () => {
  it('sets the fields with a value, drops the empty ones and keeps the keys of others', () => {
    const q = { tab: 'decisions', 'i.state': 'submitted', 'd.kind': 'fine' };
    expect(mergeQuery(q, [['d.kind', ''], ['d.state', 'issued']])).toEqual({ tab: 'decisions', 'i.state': 'submitted', 'd.state': 'issued' });
  });
});
