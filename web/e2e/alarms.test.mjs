// End-to-end: an alarm through its whole loop, in the browser. A methane
// reading of 1.8 % at a coal face (red at 1.5 %) is sent through the ingest
// API with an ingest token; the mine (the demo's enterprise user, 国能大雁)
// sees it arrive live in the alarm centre (no reload; it flashes and beeps),
// acknowledges it and disposes of it (the API's field messages shown first);
// the map, the mine's panel and page and the wall screen show it; a reading
// of 0.4 % clears it; the city regulator verifies (a step refused with 409
// shows the API's message) and closes it. The county regulator (陈巴尔虎旗)
// does not see it: 404. Screenshots 30–34 go to e2e-screenshots/.
//
// Always on a server of its own (the demo with --no-simulator), so nothing
// but this test raises alarms.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, ACCOUNTS } from './lib/api.mjs';
import { startServer } from './lib/server.mjs';
import { launch, login, mapMarkers, newPage, shot, SHOTS } from './lib/browser.mjs';

let server;
let browser;
let base;
let admin;
let city;
let ent;
let county;
let mine;
let point;
let token;
let alarmId;

/** Sends one reading of the methane point now, with the mine's ingest token. */
async function send(value) {
  const res = await fetch(`${base}/api/v1/ingest/samples`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ mine: mine.code, samples: [{ point: point.code, time: new Date().toISOString(), value }] }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.accepted, 1, JSON.stringify(body));
}

/** Red and orange alarms whose loop is not closed, as the header badge counts them. */
async function badgeCount(api) {
  const state = 'open,acknowledged,disposed,verified';
  const [r, o] = await Promise.all([api.get(`/api/v1/alarms?level=red&state=${state}&limit=1`), api.get(`/api/v1/alarms?level=orange&state=${state}&limit=1`)]);
  return r.total + o.total;
}

// Chromium logs every 4xx answer as a console error; a test names the ones it
// provokes on purpose, and the refused stream of the page that is kept offline.
function noProblems(page, expected = [], also = []) {
  const left = page.problems.filter((p) => !expected.some((s) => p.includes(`status of ${s}`)) && !also.some((s) => p.includes(s)));
  assert.deepEqual(left, [], 'no console errors or uncaught exceptions');
}

before(async () => {
  server = await startServer({ fresh: true });
  base = server.base;
  admin = await Api.login(base, ...ACCOUNTS.admin);
  city = await Api.login(base, ...ACCOUNTS.city);
  ent = await Api.login(base, ...ACCOUNTS.enterprise);
  county = await Api.login(base, ...ACCOUNTS.county);
  const own = await ent.all('/api/v1/mines');
  // A producing underground coal mine of the demo enterprise (国能大雁, 牙克石市).
  mine = own.find((m) => m.name === '大雁二矿') ?? own.find((m) => m.kind === 'coal_underground' && m.status === 'producing');
  assert.ok(mine, 'the demo enterprise has a producing underground coal mine');
  assert.ok(!county.me.regions.includes(mine.region_code), 'the mine is outside the county user’s division');
  const points = (await admin.get(`/api/v1/mines/${mine.id}/points?limit=1000`)).items;
  point = points.find((p) => p.sensor_type === 'methane' && p.location_class === 'coal_face' && !p.archived_at);
  if (!point) {
    point = await admin.post(`/api/v1/mines/${mine.id}/points`, {
      code: `${mine.code}01MN000199000001`,
      sensor_type: 'methane',
      location: 'E2E 综采工作面',
      location_class: 'coal_face',
    });
  }
  token = (await admin.post(`/api/v1/mines/${mine.id}/ingest-tokens`, {})).token;
  assert.match(token, /^msi_/);
  assert.equal((await ent.get(`/api/v1/alarms?mine_id=${mine.id}`)).total, 0, 'no alarm yet (the simulator is off)');
  browser = await launch();
  console.log(`alarm e2e against ${base} (${server.args.join(' ')}); mine ${mine.name} ${mine.code}, point ${point.code}; screenshots in ${SHOTS}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an alarm through the whole loop', () => {
  test('the mine receives a red alarm live, acknowledges it and disposes of it', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.enterprise); // typing is the gesture that allows the alarm sound
    await page.locator('[data-test=nav-alarms]').click();
    await page.waitForURL(/\/alarms$/);
    await page.locator('[data-test=alarm-table] .el-table__empty-text').waitFor();
    await page.locator('[data-test=alarms-live]').getByText('实时推送').waitFor();
    await page.evaluate(() => (window.__e2eSamePage = true));

    await send(1.8);
    const row = page.locator('[data-test=alarm-table] .el-table__body-wrapper .el-table__row', { hasText: mine.name });
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.getAttribute('class'), /flash-red/, 'a new red alarm flashes');
    assert.equal(await row.locator('[data-level]').first().getAttribute('data-level'), 'red');
    assert.equal(await page.evaluate(() => window.__e2eSamePage), true, 'it arrived without a reload');
    const list = await ent.get(`/api/v1/alarms?mine_id=${mine.id}`);
    assert.equal(list.total, 1);
    alarmId = list.items[0].id;
    assert.equal(list.items[0].level, 'red');
    assert.deepEqual(list.items[0].actions, ['acknowledge']);
    const seen = await page.evaluate(() => window.__minesafe);
    assert.ok(seen.alarmFlashes >= 1, 'the screen flashed');
    assert.ok(seen.alarmBeeps >= 1, `it beeped (${JSON.stringify(seen)})`);
    assert.equal(await page.locator('[data-test=sound-blocked]').count(), 0, 'sound was allowed by the login keystrokes');
    await page.locator('[data-test=alarm-badge]').getByText(String(await badgeCount(ent)), { exact: true }).waitFor();
    await page.locator('[data-test=alarms-total]').getByText('共 1 条').waitFor();
    await page.locator('[data-test=alarm-stats] [data-test=stats-total]').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
    await page.locator('[data-test=chart-level] canvas').waitFor();
    await page.waitForTimeout(300);
    await shot(page, '30-alarm-centre');

    // The drawer: only the mine's steps.
    await row.locator('[data-test=row-open]').click();
    await page.waitForURL(new RegExp(`open=${alarmId}`));
    const drawer = page.locator(`[data-test=alarm-detail][data-alarm-id="${alarmId}"]`);
    await drawer.locator('[data-test=step-acknowledge]').waitFor();
    assert.equal(await drawer.locator('[data-test=step-verify]').count(), 0, 'no regulator steps for the mine');
    assert.match(await drawer.locator('[data-test=alarm-title]').textContent(), new RegExp(mine.name));
    await drawer.locator('[data-test=alarm-chart] canvas').waitFor();
    await drawer.locator('[data-test=step-acknowledge-submit]').click();
    await page.locator(`[data-test=alarm-detail][data-state=acknowledged]`).waitFor();

    // Dispose without cause and measures: the API's message at each field.
    await drawer.locator('[data-test=step-dispose]').waitFor();
    const refused = await ent.req('POST', `/api/v1/alarms/${alarmId}/dispose`, {}, { ok: false });
    assert.equal(refused.status, 422);
    await drawer.locator('[data-test=step-dispose-submit]').click();
    const causeItem = drawer.locator('.el-form-item', { has: page.locator('textarea[name=cause]') });
    const measuresItem = drawer.locator('.el-form-item', { has: page.locator('textarea[name=measures]') });
    // The API's English, shown in Chinese (web/src/lib/apiMessages.ts translates it in the zh-CN UI).
    assert.equal(refused.data.error.fields.cause, 'say what caused it (异常原因)');
    assert.equal(refused.data.error.fields.measures, 'say what was done (处理措施)');
    await causeItem.locator('.el-form-item__error').getByText('请填写异常原因').waitFor();
    await measuresItem.locator('.el-form-item__error').getByText('请填写处理措施').waitFor();
    await page.locator('.el-message').first().waitFor({ state: 'detached' }); // the "acknowledged" notice
    await page.waitForTimeout(300);
    await shot(page, '31-alarm-steps');

    await drawer.locator('textarea[name=cause]').fill('11201 综采工作面割煤时瓦斯涌出量增大');
    await drawer.locator('textarea[name=measures]').fill('已断电撤人，加大工作面供风量，瓦斯浓度降至 0.5% 以下后恢复生产');
    await drawer.locator('[data-test=step-dispose-submit]').click();
    await page.locator('[data-test=alarm-detail][data-state=disposed]').waitFor();
    await drawer.locator('[data-test=steps-idle]').getByText('等待监管部门核查').waitFor();
    await drawer.locator('[data-test=alarm-trail] [data-action=dispose]').getByText('瓦斯涌出量增大').waitFor();
    const a = await ent.get(`/api/v1/alarms/${alarmId}`);
    assert.equal(a.state, 'disposed');
    assert.equal(a.acknowledged_by, 'enterprise');
    assert.match(a.measures, /断电撤人/);
    // The list row followed without a reload.
    await row.locator('[data-state=disposed]').waitFor();
    noProblems(page, [422]);
    await page.context().close();
  });

  test('the map, the panel, the mine page, the header and the wall show it', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await mapMarkers(page);
    const levels = await city.get('/api/v1/alarms/levels');
    assert.equal(levels.mines[mine.id], 'red');
    assert.equal(levels.divisions[mine.region_code].red, 1);
    await page.locator('[data-test=alarm-mines]').getByText(String(Object.keys(levels.mines).length), { exact: true }).waitFor();
    await page.locator('[data-test=alarm-badge]').getByText(String(await badgeCount(city)), { exact: true }).waitFor();
    await page.locator('[data-test=legend-alarm-shading]').waitFor();

    // The mine's panel: its marker red, its open alarm with a link.
    await page.goto(`${base}/map?mine=${mine.id}`);
    const panel = page.locator('[data-test=mine-panel]');
    const link = panel.locator('[data-test=panel-alarm]');
    await link.first().waitFor();
    assert.equal(await link.count(), 1);
    await panel.locator('[data-test=panel-state]').getByText('红色预警').waitFor();
    const marker = page.locator(`.mine-marker[title="${mine.name}"]`);
    await marker.waitFor();
    await page.waitForFunction((name) => document.querySelector(`.mine-marker[title="${name}"]`)?.classList.contains('st-alarm-red'), mine.name);
    // Without the alarm layer the marker takes its online colour.
    await page.locator('[data-test=layer-alarms]').click();
    await page.waitForFunction((name) => {
      const el = document.querySelector(`.mine-marker[title="${name}"]`);
      return el && !el.classList.contains('st-alarm-red');
    }, mine.name);
    await page.locator('[data-test=layer-alarms]').click();
    await page.waitForFunction((name) => document.querySelector(`.mine-marker[title="${name}"]`)?.classList.contains('st-alarm-red'), mine.name);
    // The whole city: the division shaded red, the cluster centre red, the panel open.
    await page.locator('.map-view .status').getByRole('button', { name: '全市' }).click();
    await page.waitForTimeout(800);
    await shot(page, '32-map-alarms');
    await link.click();
    await page.waitForURL(new RegExp(`/alarms/${alarmId}$`));
    await page.locator('[data-test=step-verify]').waitFor();

    // The mine's page: its alarms, and the platform's alarm the mine did not report (no YCBJ here).
    await page.goto(`${base}/mines/${mine.id}?tab=alarms`);
    await page.locator('[data-test=mine-alarms] [data-test=alarm-table] .el-table__row').first().waitFor();
    await page.locator('[data-test=mine-state]').getByText('红色预警').waitFor();
    await page.locator('[data-test=discrepancies]').getByText(point.code).waitFor();
    await page.waitForTimeout(300);
    await shot(page, '33-mine-alarms', { fullPage: true });

    // The wall: the red alarm in the list, the count in the header.
    await page.goto(`${base}/wall`);
    await mapMarkers(page);
    await page.locator(`[data-test=alarm-ticker] li[data-alarm-id="${alarmId}"]`).first().getByText(mine.name).waitFor();
    await page.locator('[data-test=kpi-alarms]').getByText(String(await badgeCount(city)), { exact: true }).waitFor();
    await page.waitForTimeout(500);
    await shot(page, '34-wall-alarms');
    noProblems(page);
    await page.context().close();
  });

  test('the reading clears it; the city verifies (a refused step shows why) and closes it', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/alarms/${alarmId}`);
    await page.locator('[data-test=step-verify]').waitFor();
    assert.equal(await page.locator('[data-test=step-close]').count(), 0, 'no closing while the condition lasts');
    assert.equal((await city.req('POST', `/api/v1/alarms/${alarmId}/close`, undefined, { ok: false })).status, 409);
    await page.waitForTimeout(1500); // the stream connects

    // A reading below the reset value clears the condition: the page shows it live.
    await send(0.4);
    await page.locator('[data-test=alarm-cleared]').getByText(/^\d{4}-\d{2}-\d{2} /).waitFor({ timeout: 10_000 });
    await page.locator('[data-test=cleared-tag]').waitFor();
    assert.ok((await city.get(`/api/v1/alarms/${alarmId}`)).cleared_at);

    // A second page, offline from the stream, keeps showing "verify"...
    const stale = await newPage(browser);
    await stale.context().route('**/api/v1/stream', (r) => r.abort());
    await login(stale, base, ...ACCOUNTS.city);
    await stale.goto(`${base}/alarms/${alarmId}`);
    await stale.locator('[data-test=step-verify]').waitFor();

    // ...while the first verifies.
    await page.locator('[data-test=step-verify] input[name=note]').fill('现场核实，措施落实到位');
    await page.locator('[data-test=step-verify-submit]').click();
    await page.locator('[data-test=alarm-detail][data-state=verified]').waitFor();

    await stale.locator('[data-test=step-verify-submit]').click();
    const err = stale.locator('[data-test=step-error][data-status="409"]');
    await err.waitFor();
    assert.match(await err.textContent(), /告警状态已变化/);
    await stale.locator('[data-test=alarm-detail][data-state=verified]').waitFor(); // it shows where the alarm is now
    await stale.locator('[data-test=step-close]').waitFor();
    await shot(stale, '35-alarm-conflict');
    noProblems(stale, [409], ['net::ERR_FAILED']);
    await stale.context().close();

    await page.locator('[data-test=step-close-submit]').click();
    await page.locator('[data-test=alarm-detail][data-state=closed]').waitFor();
    await page.locator('[data-test=steps-idle]').getByText('告警已闭环').waitFor();
    const trail = page.locator('[data-test=alarm-trail]');
    for (const action of ['open', 'acknowledge', 'dispose', 'clear', 'verify', 'close']) await trail.locator(`[data-action=${action}]`).first().waitFor();
    await trail.locator('[data-action=verify]').getByText('现场核实').waitFor();
    const closed = await city.get(`/api/v1/alarms/${alarmId}`);
    assert.equal(closed.state, 'closed');
    assert.equal(closed.verified_by, 'city');
    assert.equal(closed.closed_by, 'city');
    const events = (await city.get(`/api/v1/alarms/${alarmId}/trail`)).items.map((e) => `${e.action}:${e.actor}`);
    assert.deepEqual(events.filter((e) => !e.startsWith('remind') && !e.startsWith('escalate')), [
      'open:system', 'acknowledge:enterprise', 'dispose:enterprise', 'clear:system', 'verify:city', 'close:city',
    ]);
    // The badge and the map let it go.
    assert.equal(await badgeCount(city), 0);
    await page.locator('[data-test=alarm-badge]').waitFor({ state: 'detached' });
    assert.equal((await city.get('/api/v1/alarms/levels')).mines[mine.id], undefined);
    noProblems(page);
    await page.context().close();
  });

  test('a county regulator of another division does not see it', async () => {
    const res = await county.req('GET', `/api/v1/alarms/${alarmId}`, undefined, { ok: false });
    assert.equal(res.status, 404, 'outside its division the alarm does not exist');
    assert.equal((await county.req('POST', `/api/v1/alarms/${alarmId}/verify`, undefined, { ok: false })).status, 404);
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.county);
    await page.goto(`${base}/alarms/${alarmId}`);
    await page.locator('[data-test=not-found]').waitFor();
    const total = (await county.get('/api/v1/alarms?limit=1')).total;
    await page.goto(`${base}/alarms`);
    await page.locator('[data-test=alarms-total]').getByText(`共 ${total} 条`).waitFor();
    assert.equal(await page.locator('[data-test=alarm-table]').getByText(mine.name).count(), 0);
    noProblems(page, [404]);
    await page.context().close();
  });

  test('the mine declares a maintenance window (the API checks it)', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.enterprise);
    await page.goto(`${base}/mines/${mine.id}?tab=alarms`);
    await page.locator('[data-test=maint-open]').click();
    const form = page.locator('[data-test=maint-form]');
    await form.locator('[data-test=maint-submit]').click();
    const reasonItem = form.locator('.el-form-item', { has: page.locator('input[name=reason]') });
    await reasonItem.locator('.el-form-item__error').getByText('必填', { exact: true }).waitFor(); // the API's "required"
    await form.locator('input[name=reason]').fill('11201 工作面甲烷传感器调校');
    await form.locator('[data-test=maint-submit]').click();
    await page.locator('[data-test=maint-table]').getByText('11201 工作面甲烷传感器调校').waitFor();
    const windows = (await ent.get(`/api/v1/mines/${mine.id}/maintenance`)).items;
    assert.equal(windows.length, 1);
    assert.ok(Date.parse(windows[0].from) > Date.now() - 60_000);
    noProblems(page, [422]);
    await page.context().close();
  });

  test('reads in English', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-test=nav-alarms]').click();
    await page.getByRole('heading', { name: 'Alarm centre' }).waitFor();
    await page.locator('[data-test=alarm-table]').getByText('Closed', { exact: true }).first().waitFor();
    noProblems(page);
    await page.context().close();
  });
});
