// End-to-end: one MAJOR hidden hazard through its whole loop, in the browser.
// The demo's enterprise user (国能大雁) opens its coal mine's hazards tab,
// reports a major hazard citing a case of the coal catalogue chosen in the
// picker, plans it with the five fixes (the form's own checks first), starts
// it, and marks it rectified with evidence and an uploaded photo (a PNG made
// here). The mine has no verify or close button and the API answers 403 when
// it tries. The city regulator returns it once with a reason, the mine
// rectifies again, and the city verifies and closes it (销号). The trail shows
// every step with who, from and to. Then the mine adds a risk to its register
// (L×S 4×5: red, as the server grades it) and the map's risk layer rings the
// mine and shades its division. Screenshots 40–46 go to e2e-screenshots/.
//
// On a server of its own (the demo with --no-simulator); the records it makes
// are found by a unique text, never by counts of the demo's data.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { Api, ACCOUNTS } from './lib/api.mjs';
import { startServer } from './lib/server.mjs';
import { launch, login, newPage, shot, SHOTS } from './lib/browser.mjs';

let server;
let browser;
let base;
let city;
let ent;
let mine;
let hazardId;
const TAG = `E2E${Date.now().toString(36).toUpperCase()}`;
const DESCRIPTION = `${TAG} 11201 回风巷瓦斯抽采系统未按设计建成即组织回采`;

// A small PNG (16×16, orange) made here: signature, IHDR, IDAT, IEND.
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size = 16) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    rows.push(Buffer.from([0]));
    for (let x = 0; x < size; x++) rows.push(Buffer.from([240, 124, (x * 16) & 255]));
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A date n days from today in Asia/Shanghai, YYYY-MM-DD. */
function shanghaiDate(n) {
  return new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);
}

/** The text field of an Element Plus input whose data-test lands on the input or on its wrapper. */
const input = (name) => `:is(input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea)`;

function noProblems(page, expected = []) {
  const left = page.problems.filter((p) => !expected.some((s) => p.includes(`status of ${s}`)));
  assert.deepEqual(left, [], 'no console errors or uncaught exceptions');
}

/** Fills an Element Plus date picker's input and closes its panel. */
async function pickDate(page, scope, value) {
  const input = scope.locator('input').first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Escape');
}

before(async () => {
  server = await startServer({ fresh: true });
  base = server.base;
  city = await Api.login(base, ...ACCOUNTS.city);
  ent = await Api.login(base, ...ACCOUNTS.enterprise);
  const own = await ent.all('/api/v1/mines');
  mine = own.find((m) => m.name === '大雁二矿') ?? own.find((m) => m.kind === 'coal_underground' && !m.archived_at);
  assert.ok(mine, 'the demo enterprise has an underground coal mine');
  browser = await launch();
  console.log(`hazard e2e against ${base}; mine ${mine.name}; tag ${TAG}; screenshots in ${SHOTS}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a major hazard from report to closure', () => {
  test('the mine reports it citing the coal catalogue, plans it with the five fixes, starts and rectifies it with a photo', async () => {
    const page = await newPage(browser, { width: 1400, height: 900 });
    await login(page, base, ...ACCOUNTS.enterprise);

    // The mine page's tab: "report a hazard" starts the form with the mine.
    await page.goto(`${base}/mines/${mine.id}?tab=hazards`);
    await page.locator('[data-test=mine-hazards]').waitFor();
    await page.locator('[data-test=mine-hazard-report]').click();
    await page.waitForURL(new RegExp(`/hazards/new\\?mine_id=${mine.id}`));
    const form = page.locator('[data-test=hazard-form]');
    await form.locator('[data-test=form-mine]').getByText(mine.name).waitFor();

    // A major hazard without its criterion: the form says so before asking the API.
    await form.locator('[data-test=level-major]').click();
    await page.locator('[data-test=criterion-picker][data-industry=coal]').waitFor();
    await form.locator('textarea[name=description]').fill(DESCRIPTION);
    await form.locator('input[name=place]').fill('11201 综采工作面回风巷');
    await pickDate(page, form.locator('.el-form-item', { hasText: '整改期限' }), shanghaiDate(20));
    await form.locator('[data-test=form-submit]').click();
    await form.locator('.el-form-item', { has: page.locator('[data-test=criterion-picker]') }).locator('.el-form-item__error').getByText('必填').waitFor();

    // The picker: categories with their article, entries with their confidence mark.
    await page.locator(input('criterion-search')).fill('C5.2');
    const entry = page.locator('[data-test="criterion-C5.2"]');
    await entry.waitFor();
    assert.match(await entry.locator('.conf').getAttribute('data-confidence'), /^[VCPR]$/);
    await entry.click();
    await page.locator('[data-test=criterion-chosen]').getByText('C5.2').waitFor();
    await page.locator(input('criterion-search')).fill('');
    await page.waitForTimeout(300);
    await shot(page, '40-hazard-form', { fullPage: true });

    await form.locator('[data-test=form-submit]').click();
    await page.waitForURL(/\/hazards\/\d+$/);
    hazardId = Number(new URL(page.url()).pathname.split('/').pop());
    const detail = page.locator(`[data-test=hazard-detail][data-hazard-id="${hazardId}"]`);
    await detail.waitFor();
    const h = await ent.get(`/api/v1/hazards/${hazardId}`);
    assert.equal(h.level, 'major');
    assert.equal(h.state, 'reported');
    assert.equal(h.criterion_code, 'C5.2');
    assert.equal(h.source, 'self_inspection');
    assert.equal(h.description, DESCRIPTION);
    await detail.locator('[data-test=hazard-criterion]').getByText('C5.2').waitFor();
    assert.match(await detail.locator('[data-test=hazard-criterion]').textContent(), new RegExp(`第 ${h.criterion_version} 版`));

    // Plan: the five fixes. Empty, the form names each missing one.
    const plan = detail.locator('[data-test=step-plan]');
    await plan.locator('[data-test=step-plan-submit]').click();
    for (const name of ['responsibility', 'measures', 'contingency']) {
      await plan.locator('.el-form-item', { has: page.locator(`[name=${name}]`) }).locator('.el-form-item__error').getByText('必填').waitFor();
    }
    await plan.locator('input[name=responsibility]').fill('通风区 王建国（区长）');
    await plan.locator('textarea[name=measures]').fill(`${TAG} 停止回采，按设计补建抽采系统，抽采达标后方可恢复`);
    await plan.locator(input('plan-funds')).fill('180000');
    await pickDate(page, plan.locator('.el-form-item', { hasText: '整改完成时限' }), shanghaiDate(15));
    await plan.locator('textarea[name=contingency]').fill('整改期间工作面停产撤人，设置警戒，每班检测瓦斯');
    await plan.locator('[data-test=step-plan-submit]').click();
    await page.locator(`[data-test=hazard-detail][data-state=planned]`).waitFor();
    await detail.locator('[data-test=hazard-plan]').getByText('通风区 王建国').waitFor();
    const planned = await ent.get(`/api/v1/hazards/${hazardId}`);
    assert.equal(planned.funds_yuan, 180000);
    assert.equal(planned.deadline, shanghaiDate(15), 'the plan brought the deadline forward');

    await detail.locator('[data-test=step-start-submit]').click();
    await page.locator(`[data-test=hazard-detail][data-state=rectifying]`).waitFor();

    // Rectified: evidence and a photo uploaded through POST /api/v1/files.
    const rect = detail.locator('[data-test=step-rectified]');
    await rect.locator('textarea[name=evidence]').fill(`${TAG} 抽采系统已按设计建成并联网，抽采率达标，经检测合格`);
    await rect.locator('[data-test=upload-input]').setInputFiles({ name: 'rectified.png', mimeType: 'image/png', buffer: png() });
    await rect.locator('[data-test=upload-item] img').waitFor();
    await rect.locator('[data-test=step-rectified-submit]').click();
    await page.locator(`[data-test=hazard-detail][data-state=rectified]`).waitFor();
    const thumb = detail.locator('[data-test=attachment-thumb] img').first();
    await thumb.waitFor();
    await page.waitForFunction((id) => {
      const img = document.querySelector(`[data-hazard-id="${id}"] [data-test=attachment-thumb] img`);
      return img && img.complete && img.naturalWidth === 16;
    }, hazardId);
    const r = await ent.get(`/api/v1/hazards/${hazardId}`);
    assert.equal(r.attachments.length, 1);
    assert.equal(r.attachments[0].content_type, 'image/png');

    // The mine may not accept its own major hazard: no button, and the API says 403.
    await detail.locator('[data-test=steps-idle]').waitFor();
    assert.equal(await detail.locator('[data-test=step-verify]').count(), 0, 'no verify step for the mine');
    assert.equal(await detail.locator('[data-test=step-close]').count(), 0, 'no close step for the mine');
    assert.equal(await detail.locator('[data-test=step-return]').count(), 0, 'no return step for the mine');
    for (const action of ['verify', 'close']) {
      const refused = await ent.req('POST', `/api/v1/hazards/${hazardId}/${action}`, {}, { ok: false });
      assert.equal(refused.status, 403, `${action}: ${JSON.stringify(refused.data)}`);
      assert.match(refused.data.error.message, /enterprise/);
    }
    await page.waitForTimeout(300);
    await shot(page, '41-hazard-rectified', { fullPage: true });

    // The list: found by its text, with the filters in the address and the export link following them.
    await page.locator('[data-test=nav-hazards]').click();
    await page.waitForURL(/\/hazards$/);
    await page.locator('[data-test=hazard-table] .el-table__body-wrapper .el-table__row').first().waitFor();
    await page.locator('.el-message').first().waitFor({ state: 'detached' });
    await shot(page, '42-hazard-list-all');
    await page.locator(input('filter-q')).fill(TAG);
    await page.locator(input('filter-q')).press('Enter');
    await page.waitForURL(new RegExp(`q=${TAG}`));
    const row = page.locator('[data-test=hazard-table] .el-table__body-wrapper .el-table__row', { hasText: TAG });
    await row.waitFor();
    assert.equal(await row.locator('[data-level]').first().getAttribute('data-level'), 'major');
    assert.match(await page.locator('[data-test=hazards-export]').getAttribute('href'), new RegExp(`/api/v1/hazards\\.xlsx\\?q=${TAG}`));
    const xlsx = await fetch(`${base}${await page.locator('[data-test=hazards-export]').getAttribute('href')}`, { headers: { Cookie: ent.cookie } });
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    await shot(page, '42-hazard-list');
    noProblems(page);
    await page.context().close();
  });

  test('the city returns it once with a reason, then verifies and closes it; the trail shows every step', async () => {
    const page = await newPage(browser, { width: 1400, height: 900 });
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/hazards/${hazardId}`);
    const detail = page.locator(`[data-test=hazard-detail][data-hazard-id="${hazardId}"]`);
    await detail.locator('[data-test=step-verify]').waitFor();
    assert.equal(await detail.locator('[data-test=step-plan]').count(), 0, 'no mine steps for the regulator');
    assert.equal(await detail.locator('[data-test=step-close]').count(), 0, 'not closable before verification');

    // Return without a reason: refused by the form; with one: back to rectifying.
    const ret = detail.locator('[data-test=step-return]');
    await ret.locator('[data-test=step-return-submit]').click();
    await ret.locator('.el-form-item__error').getByText('必填').waitFor();
    await ret.locator('textarea[name=reason]').fill('抽采率检测报告缺少第三方检测机构签章，请补充');
    await ret.locator('[data-test=step-return-submit]').click();
    await page.locator('[data-test=hazard-detail][data-state=rectifying]').waitFor();
    await detail.locator('[data-test=hazard-return-reason]').getByText('缺少第三方检测机构签章').waitFor();
    await detail.locator('[data-test=steps-idle]').waitFor();

    // The mine rectifies again (through the API): the open page follows the stream, no reload.
    await ent.post(`/api/v1/hazards/${hazardId}/rectified`, { evidence: `${TAG} 已补充第三方检测报告（签章齐全）` });
    await page.locator('[data-test=hazard-detail][data-state=rectified]').waitFor({ timeout: 15_000 });
    await detail.locator('[data-test=step-verify-submit]').click();
    await page.locator('[data-test=hazard-detail][data-state=verified]').waitFor();
    await detail.locator('[data-test=step-close-submit]').click();
    await page.locator('[data-test=hazard-detail][data-state=closed]').waitFor();
    await detail.locator('[data-test=steps-idle]').getByText('已销号').waitFor();

    const h = await city.get(`/api/v1/hazards/${hazardId}`);
    assert.equal(h.state, 'closed');
    assert.equal(h.verified_by, 'city');
    assert.equal(h.closed_by, 'city');
    assert.equal(h.return_count, 1);

    // The trail: every step, who, from and to, in the order taken.
    const want = [
      ['report', 'enterprise', '', 'reported'],
      ['plan', 'enterprise', 'reported', 'planned'],
      ['start', 'enterprise', 'planned', 'rectifying'],
      ['rectified', 'enterprise', 'rectifying', 'rectified'],
      ['return', 'city', 'rectified', 'rectifying'],
      ['rectified', 'enterprise', 'rectifying', 'rectified'],
      ['verify', 'city', 'rectified', 'verified'],
      ['close', 'city', 'verified', 'closed'],
    ];
    const trail = (await city.get(`/api/v1/hazards/${hazardId}/trail`)).items.filter((e) => want.some(([a]) => a === e.action));
    assert.deepEqual(
      trail.map((e) => [e.action, e.actor, e.from_state ?? '', e.to_state ?? '']),
      want,
    );
    const events = detail.locator('[data-test=hazard-trail] [data-test=trail-event]');
    await events.nth(want.length - 1).waitFor();
    const shown = await events.evaluateAll((els) =>
      els.map((el) => [el.getAttribute('data-action'), el.querySelector('[data-test=trail-who]')?.textContent.trim(), el.querySelector('[data-test=trail-move]')?.textContent.trim()]),
    );
    const stateZh = { reported: '已登记', planned: '已制定方案', rectifying: '整改中', rectified: '已整改待验收', verified: '已验收', closed: '已销号' };
    assert.deepEqual(
      shown.filter(([a]) => want.some(([w]) => w === a)),
      want.map(([a, who, from, to]) => [a, who, `${from ? stateZh[from] : '∅'} → ${stateZh[to]}`]),
    );
    await detail.locator('[data-test=hazard-trail] [data-action=return]').getByText('缺少第三方检测机构签章').waitFor();
    await page.waitForTimeout(300);
    await shot(page, '43-hazard-closed', { fullPage: true });
    await detail.locator('[data-test=hazard-trail]').screenshot({ path: `${SHOTS}/44-hazard-trail.png` });
    noProblems(page);
    await page.context().close();
  });

  test('the mine adds a red risk to its register and the map shows the four-colour picture', async () => {
    const page = await newPage(browser, { width: 1400, height: 900 });
    await login(page, base, ...ACCOUNTS.enterprise);
    await page.goto(`${base}/mines/${mine.id}?tab=hazards`);
    const tab = page.locator('[data-test=mine-hazards]');
    await tab.locator('[data-test=risk-register]').waitFor();
    // The closed hazard is not among the unclosed ones; the switch shows it.
    await tab.locator('[data-test=risk-new]').click();
    const form = page.locator('[data-test=risk-form]');
    await form.waitFor();
    const choose = async (test, text) => {
      await form.locator(`[data-test=${test}]`).click();
      await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().click();
      // the list closes (a fade) before the next one opens
      await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((e) => e.offsetParent !== null));
    };
    // Empty: the form names what is missing.
    await form.locator('[data-test=risk-save]').click();
    await form.locator('.el-form-item', { has: page.locator('input[name=place]') }).locator('.el-form-item__error').getByText('必填').waitFor();
    const place = `${TAG} 11202 综采工作面`;
    await form.locator('input[name=place]').fill(place);
    await choose('risk-type', '瓦斯');
    await choose('risk-l', '4');
    await choose('risk-s', '5');
    await page.locator('[data-test=risk-preview][data-level=red]').waitFor();
    await form.locator('textarea[name=measures]').fill('瓦斯抽采达标评判，双回路供风，瓦斯电闭锁');
    await choose('risk-control', '矿/公司');
    await form.locator('input[name=responsible]').fill('矿长 李明');
    await shot(page, '45-risk-form');
    await form.locator('[data-test=risk-save]').click();
    await form.waitFor({ state: 'hidden' });
    const row = tab.locator('[data-test=risk-table] .el-table__row', { hasText: place });
    await row.waitFor();
    assert.equal(await row.locator('[data-test=risk-level]').getAttribute('data-level'), 'red');
    assert.equal((await row.locator('[data-test=risk-score]').textContent()).trim(), '20');
    const risks = (await ent.get(`/api/v1/risks?mine_id=${mine.id}&limit=200`)).items.filter((r) => r.place === place);
    assert.equal(risks.length, 1);
    assert.equal(risks[0].level, 'red', 'the server graded it red');
    assert.match(await tab.locator('[data-test=risks-export]').getAttribute('href'), new RegExp(`/api/v1/risks\\.xlsx\\?mine_id=${mine.id}`));

    // The map: the risk layer rings the mine red and the legend explains the colours.
    const picture = await ent.get('/api/v1/risks/picture');
    assert.equal(picture.mines.find((m) => m.mine_id === mine.id)?.level, 'red');
    await page.goto(`${base}/map`);
    await page.locator('[data-test=map][data-render-ms]').waitFor({ timeout: 30_000 });
    const layer = page.locator('[data-test=layer-risks]');
    if (!(await layer.locator('input').isChecked())) await layer.click();
    await page.locator('[data-test=legend-risks]').waitFor();
    await page.locator('[data-test=map][data-risk-mines]').waitFor();
    assert.equal(Number(await page.locator('[data-test=map]').getAttribute('data-risk-mines')), picture.mines.length);
    assert.ok((await page.locator('path.risk-ring.risk-red').count()) >= 1, 'a red ring on the map');
    await page.waitForTimeout(500);
    await shot(page, '46-risk-map');

    // Back in the register: an edit is graded again by the server, and an archived risk leaves the list.
    await page.goto(`${base}/mines/${mine.id}?tab=hazards`);
    const again = page.locator('[data-test=mine-hazards] [data-test=risk-table] .el-table__row', { hasText: place });
    await again.locator('[data-test=risk-edit]').click();
    await form.waitFor();
    await choose('risk-s', '2');
    await page.locator('[data-test=risk-preview][data-level=yellow]').waitFor();
    await form.locator('[data-test=risk-save]').click();
    await form.waitFor({ state: 'hidden' });
    await again.locator('[data-test=risk-level][data-level=yellow]').waitFor();
    assert.equal((await ent.get(`/api/v1/risks/${risks[0].id}`)).level, 'yellow');
    await again.locator('[data-test=risk-archive]').click();
    await page.locator(input('risk-archive-reason')).fill('工作面已回采结束，风险消除');
    await page.locator('[data-test=risk-archive-submit]').click();
    await again.waitFor({ state: 'detached' });
    const archived = await ent.get(`/api/v1/risks/${risks[0].id}`);
    assert.ok(archived.archived_at, 'archived');
    assert.equal(archived.archive_reason, '工作面已回采结束，风险消除');

    // The catalogues: the coal one has its 15 categories; unverified wording is labelled.
    await page.goto(`${base}/hazards?tab=catalogue`);
    const browserEl = page.locator('[data-test=catalogue-browser]');
    await browserEl.locator('[data-test=catalogue-cat-C15]').waitFor();
    assert.equal(await browserEl.locator('[data-test^=catalogue-cat-C]').count(), 15);
    await browserEl.locator('[data-test=criteria-industry]').getByText('金属非金属地下矿山').click();
    await browserEl.locator('[data-test^=catalogue-cat-MU]').first().waitFor();
    assert.ok((await browserEl.locator('[data-test=unverified]').count()) > 0, 'unverified wording is labelled');
    assert.equal(await browserEl.locator('[data-test=criteria-load]').count(), 0, 'only an admin loads a version');
    await shot(page, '47-catalogue');
    noProblems(page);
    await page.context().close();
  });
});
