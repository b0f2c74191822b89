// The minesafe the end-to-end run drives: MINESAFE_E2E_URL when set, else
// `bin/minesafe demo` started here on a free port with a fresh data folder
// (and --no-simulator when the binary has that flag).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitReady(base, ms = 60_000) {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
      last = await r.text();
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`minesafe at ${base} not ready: ${last}`);
}

/**
 * Starts (or connects to) a server. own: true when started here; then
 * stop() ends it and removes its data folder.
 */
export async function startServer({ fresh = false } = {}) {
  if (process.env.MINESAFE_E2E_URL && !fresh) {
    const base = process.env.MINESAFE_E2E_URL.replace(/\/$/, '');
    await waitReady(base);
    return { base, own: false, stop: async () => undefined };
  }
  const bin = process.env.MINESAFE_BIN ?? join(REPO, 'bin', 'minesafe');
  if (!existsSync(bin)) throw new Error(`no ${bin}: build it (go build -o bin/minesafe ./cmd/minesafe) after npm run build, or set MINESAFE_E2E_URL`);
  // Go's flag package prints the help to stderr (exit 0): read both streams.
  const h = spawnSync(bin, ['demo', '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const help = `${h.stdout ?? ''}${h.stderr ?? ''}`;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'minesafe-e2e-'));
  const args = ['demo', '--addr', `127.0.0.1:${port}`, '--data-dir', dir, '--log-level', 'warn'];
  if (help.includes('no-simulator')) args.push('--no-simulator');
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base);
  } catch (e) {
    proc.kill();
    throw new Error(`${e.message}\n${stderr}`);
  }
  return {
    base,
    own: true,
    args,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            r();
          }, 5000);
          proc.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
