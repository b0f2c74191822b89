// End-to-end: the app as a city regulator, an enterprise user and a county
// regulator see it, and an edit refused by the API. Saves screenshots of the
// main screens to e2e-screenshots/ at the repository root.
//
// Needs a built binary (npm run build, then go build -o bin/minesafe
// ./cmd/minesafe), or a running server at MINESAFE_E2E_URL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, ACCOUNTS } from './lib/api.mjs';
import { startServer } from './lib/server.mjs';
import { launch, login, mapMarkers, newPage, shot, SHOTS } from './lib/browser.mjs';
import { seedMonitoring, sendNow } from './lib/seed.mjs';

let server;
let browser;
let base;
let admin;
let city;
let liveMine;
let points;

before(async () => {
  server = await startServer();
  base = server.base;
  admin = await Api.login(base, ...ACCOUNTS.admin);
  city = await Api.login(base, ...ACCOUNTS.city);
  const ent = await Api.login(base, ...ACCOUNTS.enterprise);
  const entMines = await ent.all('/api/v1/mines');
  liveMine = entMines.find((m) => m.kind === 'coal_underground');
  assert.ok(liveMine, 'the demo enterprise has an underground coal mine');
  points = await seedMonitoring(admin, liveMine);
  browser = await launch();
  console.log(`e2e against ${base}${server.own ? ` (started: ${server.args.join(' ')})` : ''}; screenshots in ${SHOTS}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Chromium logs every 4xx answer as a console error; a test names the ones
// it provokes on purpose (a 422 of a refused edit, a 404 out of scope).
function noProblems(page, expected = []) {
  const left = page.problems.filter((p) => !expected.some((s) => p.includes(`status of ${s}`)));
  assert.deepEqual(left, [], 'no console errors or uncaught exceptions');
}

describe('a city regulator', () => {
  test('sees every mine, the panel with live data, the lists, the mine tabs, the dashboard and the wall', async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await shot(page, '01-login');

    await login(page, base, ...ACCOUNTS.city);
    const expected = (await city.get('/api/v1/mines.geojson')).features.length;
    assert.equal(await mapMarkers(page), expected, 'a marker for every mine the API gives the city');
    const user = page.locator('[data-test=user]');
    await assert.doesNotReject(user.getByText('市级监管').waitFor());
    await assert.doesNotReject(page.locator('[data-test=user-scope]').getByText('全市').waitFor());
    await page.waitForTimeout(500);
    await shot(page, '02-map-city');

    // The side panel of a monitored mine, updated by the stream.
    await page.goto(`${base}/map?mine=${liveMine.id}`);
    const panel = page.locator('[data-test=mine-panel]');
    await panel.locator('[data-test=panel-points] li').first().waitFor();
    assert.equal(await panel.locator('h2').textContent(), liveMine.name);
    // The demo gives the mine points of its own (silent without the
    // simulator), listed first: show them all, down to the seeded ones.
    const showAll = panel.getByRole('button', { name: /显示全部/ });
    if (await showAll.count()) await showAll.click();
    const row = panel.locator('[data-test=panel-points] li', { has: page.locator(`[title="${points[0].code}"]`) });
    await row.locator('.sparkline').waitFor();
    await row.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000); // the map's zoom to the mine
    await shot(page, '03-map-panel');
    await page.waitForTimeout(1500); // the stream connects
    await sendNow(admin, liveMine.code, [points[0]], new Date(), 0.77);
    await row.locator('.pt-value b').getByText('0.77', { exact: true }).waitFor({ timeout: 10_000 });

    // Layer switches hide a kind.
    await page.goto(`${base}/map`);
    const total = await mapMarkers(page);
    await page.locator('[data-test=layer-coal]').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-test=map]')?.getAttribute('data-markers')) < n, total);
    await page.locator('[data-test=layer-coal]').click();

    // The list of mines.
    await page.goto(`${base}/mines`);
    const listTotal = (await city.get('/api/v1/mines?limit=1')).total;
    await page.locator('[data-test=mines-total]').getByText(String(listTotal)).waitFor();
    await page.locator('[data-test=mines-table] .el-table__row').first().waitFor();
    await shot(page, '04-mines');

    // A filtered list is a link.
    await page.goto(`${base}/mines?region_code=150725`);
    const inRegion = (await city.get('/api/v1/mines?limit=1&region_code=150725')).total;
    await page.locator('[data-test=mines-total]').getByText(String(inRegion)).waitFor();

    // The mine's page and its tabs.
    await page.goto(`${base}/mines/${liveMine.id}`);
    await page.locator('[data-test=mine-name]').getByText(liveMine.name).waitFor();
    await shot(page, '05-mine-facts');
    await page.goto(`${base}/mines/${liveMine.id}?tab=points`);
    await page.locator('[data-test=points-table]').getByText(points[0].code, { exact: true }).click();
    await page.locator('.chart-card h3').getByText('15101工作面上隅角').waitFor();
    await page.locator('[data-test=series-chart] canvas').first().waitFor();
    await page.locator('.chart-card').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, '06-mine-points');
    await page.goto(`${base}/mines/${liveMine.id}?tab=people`);
    await page.locator('[data-test=people-table] .el-table__row').first().waitFor();
    await shot(page, '07-mine-people');
    const pond = (await city.get('/api/v1/mines?kind=tailings_pond&limit=1')).items[0];
    await page.goto(`${base}/mines/${pond.id}?tab=tailings`);
    await page.locator('[data-test=tailings-limits]').waitFor();
    await shot(page, '08-mine-tailings');

    // The dashboard shows the coverage the API counts.
    const cov = await city.get('/api/v1/monitoring/coverage');
    await page.goto(`${base}/dashboard`);
    await page.locator('[data-test=cov-required]').getByText(String(cov.city.required), { exact: true }).waitFor();
    await page.locator('[data-test=coverage-chart] canvas').waitFor();
    // The plan's indicators: a card for each figure the API answers, each
    // with its target (figures from the demo records; records.test.mjs checks a value moves with an accident).
    const board = await city.get(`/api/v1/dashboard?year=${new Date().getFullYear()}`);
    const keys = ['accidents', 'deaths', 'larger_accidents', 'major_or_worse_accidents', 'million_ton_death_rate', ...board.figures.map((f) => f.key)];
    await page.locator('[data-test=ind-card-accidents]').waitFor();
    assert.equal(await page.locator('[data-indicator]').count(), keys.length, 'one card per figure');
    for (const k of keys) {
      const target = page.locator(`[data-test=ind-card-${k}] [data-test=ind-target]`);
      assert.match(await target.textContent(), /目标/, `${k} shows its target`);
    }
    assert.match(await page.locator('[data-test=ind-card-insurance_coverage] [data-test=ind-target]').textContent(), /目标 ≥ 100%/);
    await page.locator('[data-test=ind-plan] [data-test=ind-trend]').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, '09-dashboard');

    // The wall screen: no chrome, large type.
    await page.goto(`${base}/wall`);
    assert.equal(await mapMarkers(page), expected);
    assert.equal(await page.locator('[data-test=user]').count(), 0, 'no header on the wall screen');
    await page.waitForTimeout(500);
    await shot(page, '10-wall');
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/map/);

    // English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Mines' }).waitFor();
    await page.goto(`${base}/map?mine=${liveMine.id}`);
    await page.locator('[data-test=panel-points] li').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, '11-map-panel-en');

    noProblems(page);
    await page.context().close();
  });

  test('works on a tablet', async () => {
    const page = await newPage(browser, { width: 1024, height: 768 });
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/map?mine=${liveMine.id}`);
    await page.locator('[data-test=panel-points] li').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, '12-tablet-map-panel');
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${base}/mines/${liveMine.id}/edit`);
    await page.locator('[data-test=mine-form]').waitFor();
    await shot(page, '13-tablet-edit');
    noProblems(page);
    await page.context().close();
  });
});

describe('an enterprise user', () => {
  test('sees only its own mines, everywhere', async () => {
    const ent = await Api.login(base, ...ACCOUNTS.enterprise);
    const own = await ent.all('/api/v1/mines');
    const entName = (await ent.get(`/api/v1/enterprises/${ent.me.enterprise_id}`)).name;
    assert.ok(own.length > 0 && own.every((m) => m.enterprise_id === ent.me.enterprise_id));

    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.enterprise);
    assert.equal(await mapMarkers(page), own.length, 'a marker for each of its mines, no more');
    await page.locator('[data-test=user-scope]').getByText(entName).waitFor();
    await page.waitForTimeout(500);
    await shot(page, '14-enterprise-map');

    await page.goto(`${base}/mines`);
    await page.locator('[data-test=mines-total]').getByText(String(own.length)).waitFor();
    const names = await page.locator('[data-test=row-enterprise]').allTextContents();
    assert.equal(names.length, own.length);
    assert.ok(names.every((n) => n === entName), 'every row is its own enterprise');
    assert.equal(await page.locator('[data-test=mine-new]').count(), 0, 'no registering for an enterprise');
    await shot(page, '15-enterprise-mines');

    // Another enterprise's mine reads as missing.
    const other = (await city.all('/api/v1/mines')).find((m) => m.enterprise_id !== ent.me.enterprise_id);
    await page.goto(`${base}/mines/${other.id}`);
    await page.locator('[data-test=not-found]').waitFor();
    // Its own mine has no edit button (the registry is the regulators').
    await page.goto(`${base}/mines/${own[0].id}`);
    await page.locator('[data-test=mine-name]').waitFor();
    assert.equal(await page.locator('[data-test=mine-edit]').count(), 0);

    // Its dashboard counts its own mines.
    const cov = await ent.get('/api/v1/monitoring/coverage');
    await page.goto(`${base}/dashboard`);
    await page.locator('[data-test=cov-required]').getByText(String(cov.city.required), { exact: true }).waitFor();

    noProblems(page, [404]);
    await page.context().close();
  });
});

describe('a county regulator', () => {
  test('sees the mines of its divisions', async () => {
    const county = await Api.login(base, ...ACCOUNTS.county);
    const mines = await county.all('/api/v1/mines');
    assert.ok(mines.every((m) => county.me.regions.includes(m.region_code)));
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.county);
    assert.equal(await mapMarkers(page), mines.length);
    await page.locator('[data-test=user-scope]').getByText('陈巴尔虎旗').waitFor();
    await page.waitForTimeout(500);
    await shot(page, '16-county-map');
    noProblems(page);
    await page.context().close();
  });
});

describe('editing a mine', () => {
  test('shows the API message at the field, and saves from the keyboard', async () => {
    const mine = (await city.get('/api/v1/mines?region_code=150725&kind=coal_underground&limit=1')).items[0];
    const refused = await city.req('PATCH', `/api/v1/mines/${mine.id}`, { lon: 200 }, { ok: false });
    assert.equal(refused.status, 422);
    // The API's English, shown in Chinese (web/src/lib/apiMessages.ts translates it in the zh-CN UI).
    assert.equal(refused.data.error.fields.lon, 'must be a number from -180 to 180');
    const message = '须为 -180 至 180 之间的数';

    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/mines/${mine.id}`);
    await page.locator('[data-test=mine-edit]').click();
    await page.waitForURL(new RegExp(`/mines/${mine.id}/edit$`));
    const lon = page.locator('input[name=lon]');
    await lon.fill('200');
    await page.locator('[data-test=f-save]').click();
    const item = page.locator('.el-form-item', { has: lon });
    await item.locator('.el-form-item__error').getByText(message).waitFor();
    assert.match(await item.getAttribute('class'), /is-error/);
    await page.locator('[data-test=form-error]').waitFor();
    await shot(page, '17-edit-validation');

    // Correct it and rename, from the keyboard: Enter submits.
    await lon.fill(String(mine.lon));
    const name = page.locator('input[name=name]');
    await name.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`${mine.name}（复核）`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/mines/${mine.id}$`));
    await page.locator('[data-test=mine-name]').getByText(`${mine.name}（复核）`).waitFor();
    const saved = await city.get(`/api/v1/mines/${mine.id}`);
    assert.equal(saved.name, `${mine.name}（复核）`);
    assert.equal(saved.lon, mine.lon);
    await city.patch(`/api/v1/mines/${mine.id}`, { name: mine.name });

    noProblems(page, [422]);
    await page.context().close();
  });
});
