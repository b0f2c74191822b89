import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setUnauthorizedHandler, withQuery } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe('withQuery', () => {
  it('leaves out empty values and repeats arrays', () => {
    expect(withQuery('/x', { a: '', b: undefined, c: 1, d: ['1', '2'] })).toBe('/x?c=1&d=1&d=2');
    expect(withQuery('/x')).toBe('/x');
  });
});

describe('request', () => {
  it('turns a 422 into an ApiError with the fields', async () => {
    const body = { error: { code: 'invalid', message: 'some fields are invalid', fields: { lon: 'must be a number from -180 to 180' } } };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 422 })));
    const err = (await request('PATCH', '/api/v1/mines/1', { body: { lon: 200 } }).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.fields).toEqual({ lon: 'must be a number from -180 to 180' });
  });
  it('calls the unauthorized handler on a 401, except for login', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"error":{"code":"unauthenticated","message":"no"}}', { status: 401 })));
    const seen = vi.fn();
    setUnauthorizedHandler(seen);
    await request('GET', '/api/v1/mines').catch(() => undefined);
    await request('POST', '/api/v1/auth/login', { body: {} }).catch(() => undefined);
    expect(seen).toHaveBeenCalledTimes(1);
  });
  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = (await request('GET', '/api/v1/mines').catch((e) => e)) as ApiError;
    expect(err.status).toBe(0);
  });
  it('answers undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    expect(await request('POST', '/api/v1/auth/logout')).toBeUndefined();
  });
});
