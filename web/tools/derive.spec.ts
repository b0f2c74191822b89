// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('geo/hulunbuir-divisions.json', () => {
  it('is what tools/derive-divisions.mjs derives from the source package', () => {
    const tool = fileURLToPath(new URL('./derive-divisions.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [tool, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
