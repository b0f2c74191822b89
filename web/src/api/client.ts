// A small fetch wrapper: JSON in and out, the session cookie (same origin),
// and refusals as ApiError with the API's per-field messages (translated to
// 简体中文 under zh-CN, see lib/apiMessages.ts; the originals kept as raw*).

import { i18n } from '../i18n';
import { translateApiFields, translateApiMessage } from '../lib/apiMessages';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field name (e.g. "lon", "tailings.dam_height_m") → the API's message. */
  readonly fields: Record<string, string>;
  /** The API's own (English) message, before translation: for logs and tests. */
  readonly rawMessage: string;
  /** The API's own (English) field messages, before translation. */
  readonly rawFields: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    raw?: { message: string; fields: Record<string, string> },
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.rawMessage = raw?.message ?? message;
    this.rawFields = raw?.fields ?? fields;
  }
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized | null = null;

/** Called when a request other than login answers 401 (the session ended). */
export function setUnauthorizedHandler(fn: Unauthorized | null) {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The UI's current locale (the API's messages are translated for zh-CN). */
function currentLocale(): string {
  return String(i18n.global.locale.value);
}

/** Turns a non-2xx answer into an ApiError, its messages in the UI's language. */
export async function toApiError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let fields: Record<string, string> = {};
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      fields = body.error.fields ?? {};
    }
  } catch {
    // not JSON: keep the status text
  }
  const locale = currentLocale();
  return new ApiError(res.status, code, translateApiMessage(message, locale), translateApiFields(fields, locale), {
    message,
    fields,
  });
}

export interface RequestOptions {
  query?: Query;
  /** JSON body, or a FormData sent as multipart (the browser sets the boundary). */
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message || 'network error');
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.endsWith('/auth/login') && onUnauthorized) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** multipart/form-data (file uploads). */
  form: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form }),
};
