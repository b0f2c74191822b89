import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setUnauthorizedHandler, toApiError, withQuery } from './client';
import { i18n } from '../i18n';

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
  i18n.global.locale.value = 'zh-CN';
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
    expect(err.rawFields).toEqual({ lon: 'must be a number from -180 to 180' });
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

describe('toApiError translates the API messages', () => {
  const body = {
    error: {
      code: 'invalid',
      message: 'some fields are invalid',
      fields: { occurred_at: 'must not be in the future', output_t: 'must be a whole number from 0 to 100000', x: 'brand new check' },
    },
  };
  const res = () => new Response(JSON.stringify(body), { status: 422 });

  it('under zh-CN: message and every field in Chinese, the originals kept', async () => {
    i18n.global.locale.value = 'zh-CN';
    const err = await toApiError(res());
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('部分字段填写有误，请检查');
    expect(err.fields).toEqual({ occurred_at: '不能晚于当前时间', output_t: '须为 0 至 100000 之间的整数', x: 'brand new check' });
    expect(err.rawMessage).toBe('some fields are invalid');
    expect(err.rawFields).toEqual(body.error.fields);
  });

  it('under en: unchanged', async () => {
    i18n.global.locale.value = 'en';
    const err = await toApiError(res());
    expect(err.message).toBe('some fields are invalid');
    expect(err.fields).toEqual(body.error.fields);
    expect(err.rawMessage).toBe('some fields are invalid');
    expect(err.rawFields).toEqual(body.error.fields);
  });

  it('translates a 403 message and keeps a non-JSON status text', async () => {
    i18n.global.locale.value = 'zh-CN';
    const forbidden = new Response(JSON.stringify({ error: { code: 'forbidden', message: 'role observer may not report hazards' } }), { status: 403 });
    const err = await toApiError(forbidden);
    expect(err.message).toBe('角色 只读观察（observer） 无权上报隐患');
    expect(err.rawMessage).toBe('role observer may not report hazards');
    expect(err.fields).toEqual({});
    const plain = await toApiError(new Response('oops', { status: 502, statusText: 'Bad Gateway' }));
    expect(plain.message).toBe('Bad Gateway');
    expect(plain.code).toBe('http_502');
  });
});
