// A minimal client of the minesafe API for the end-to-end run: one session
// cookie per client, JSON in and out, errors with the API's fields.

export class Api {
  constructor(base) {
    this.base = base.replace(/\/$/, '');
    this.cookie = '';
  }

  async req(method, path, body, { ok = true } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.getSetCookie?.() ?? [];
    for (const c of set) {
      const kv = c.split(';')[0];
      if (kv.startsWith('minesafe_session=')) this.cookie = kv;
    }
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (ok && !res.ok) {
      const e = new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      e.status = res.status;
      e.body = data;
      throw e;
    }
    return { status: res.status, data };
  }

  get(path) {
    return this.req('GET', path).then((r) => r.data);
  }
  post(path, body) {
    return this.req('POST', path, body).then((r) => r.data);
  }
  patch(path, body) {
    return this.req('PATCH', path, body).then((r) => r.data);
  }

  static async login(base, username, password) {
    const api = new Api(base);
    api.me = await api.post('/api/v1/auth/login', { username, password });
    return api;
  }

  /** Every item of a list endpoint (pages of 1000). */
  async all(path) {
    const out = [];
    for (let offset = 0; ; offset += 1000) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.get(`${path}${sep}limit=1000&offset=${offset}`);
      out.push(...page.items);
      if (out.length >= page.total || page.items.length === 0) return out;
    }
  }
}

export const ACCOUNTS = {
  admin: ['admin', 'Admin#2026demo'],
  city: ['city', 'City#2026demo'],
  county: ['county', 'County#2026demo'],
  enterprise: ['enterprise', 'Enterprise#2026demo'],
  observer: ['observer', 'Observer#2026demo'],
};
