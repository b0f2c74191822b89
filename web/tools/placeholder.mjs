#!/usr/bin/env node
// Empties web/dist back to what a clean clone has (only .gitkeep), so a
// `go build` embeds no app and serves web/placeholder.html instead.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(web, 'dist'), { recursive: true, force: true });
mkdirSync(join(web, 'dist'));
writeFileSync(join(web, 'dist', '.gitkeep'), '');
console.log('web/dist is empty again: the binary will serve web/placeholder.html');
