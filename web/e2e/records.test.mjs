// End-to-end: the records screens in the browser. The county regulator
// (陈巴尔虎旗) records an accident at a coal mine of its division: bad input
// (negative deaths, a time in the future) is refused with the API's messages
// at the fields; 3 deaths are graded 较大 by the server, with the rule
// version; the hazards open at the mine before it are one click away. It
// enters a month of production for the mine, posts it again and sees it
// replaced (and the replacement in the trail). The indicator dashboard of
// that year counts the deaths (expected values computed from the API before
// and after, never from demo counts). The enterprise user (国能大雁) sees only
// its own mines' accidents and production, and marks a ledger item of its
// mine done with evidence (refused without). An import shows its refused rows
// by line; the county raises a hazard from an overdue ledger item; the city
// sees the ledger, plan facts, standardisation, staff and the 2025 base. The
// city adds a task (producing coal mines of a division, one mine added and one
// excluded by hand), sees the count it binds as the API says, edits its
// deadline and archives it with a reason; the county has no such buttons.
// Screenshots 70–79 go to e2e-screenshots/.
//
// The demo holds records of its own: the test creates its records with a
// unique text and finds them by it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, ACCOUNTS } from './lib/api.mjs';
import { startServer } from './lib/server.mjs';
import { launch, login, newPage, shot, SHOTS } from './lib/browser.mjs';

let server;
let browser;
let base;
let admin;
let county;
let ent;
let coalMine; // a coal mine in the county user's division
let entMine; // a mine of the enterprise user
const TAG = `E2E${Date.now().toString(36)}`;

/** Shanghai wall-clock time of an instant as YYYY-MM-DDTHH:mm. */
const shanghai = (d) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
// An hour ago: the accident's time (and its year, the dashboard's year).
const when = shanghai(new Date(Date.now() - 3600_000));
const year = Number(when.slice(0, 4));
const month = when.slice(0, 7);

// Chromium logs every 4xx answer as a console error; a test names those it provokes.
function noProblems(page, expected = []) {
  const left = page.problems.filter((p) => !expected.some((s) => p.includes(`status of ${s}`)));
  assert.deepEqual(left, [], 'no console errors or uncaught exceptions');
}

/** Picks a mine in a MineSelect (remote search) by its name. */
async function pickMine(page, selector, name) {
  const sel = page.locator(selector);
  await sel.click();
  await page.keyboard.type(name);
  const opt = page.locator('.el-select-dropdown__item:visible', { hasText: name }).first();
  await opt.waitFor();
  await opt.click();
}

async function pickOption(page, selector, text) {
  await page.locator(selector).click();
  const opt = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  await opt.waitFor();
  await opt.click();
}

const deathsOf = async (api) => (await api.get(`/api/v1/indicators?year=${year}`)).deaths.value;

before(async () => {
  server = await startServer({ fresh: true });
  base = server.base;
  admin = await Api.login(base, ...ACCOUNTS.admin);
  county = await Api.login(base, ...ACCOUNTS.county);
  ent = await Api.login(base, ...ACCOUNTS.enterprise);
  const mines = await county.all('/api/v1/mines');
  coalMine = mines.find((m) => m.kind === 'coal_underground' && m.status === 'producing') ?? mines.find((m) => m.kind.startsWith('coal_') && !m.archived_at);
  assert.ok(coalMine, 'the county has a coal mine');
  assert.ok(county.me.regions.includes(coalMine.region_code));
  const own = await ent.all('/api/v1/mines');
  entMine = own.find((m) => m.kind.startsWith('coal_') && !m.archived_at) ?? own.find((m) => !m.archived_at);
  assert.ok(entMine, 'the enterprise has a mine');
  assert.ok(!own.some((m) => m.id === coalMine.id), 'the county’s mine is not the enterprise’s');
  browser = await launch();
  console.log(`records e2e against ${base}; county mine ${coalMine.name}, enterprise mine ${entMine.name}; screenshots in ${SHOTS}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('records', () => {
  let accidentId;
  const narrative = `${TAG} 回采工作面顶板冒落`;

  test('the county records an accident: refusals first, then 3 deaths graded 较大', async () => {
    const deathsBefore = await deathsOf(county);
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.county);
    await page.locator('[data-test=nav-records]').click();
    await page.waitForURL(/\/records/);
    await page.locator('[data-test=accidents-panel]').waitFor();
    await page.locator('[data-test=accident-new]').click();
    const form = page.locator('[data-test=accident-form]');
    await form.waitFor();

    // Bad input: a negative death toll and a time two days ahead.
    await pickMine(page, '[data-test=accident-form] [data-test=acc-mine]', coalMine.name);
    await form.locator('[data-test=acc-occurred]').fill(shanghai(new Date(Date.now() + 2 * 86400_000)));
    await pickOption(page, '[data-test=accident-form] [data-test=acc-type]', '顶板');
    await form.locator('[data-test=acc-deaths]').fill('-1');
    await form.locator('[data-test=acc-injuries]').fill('0');
    await form.locator('[data-test=acc-loss]').fill('1200000');
    await form.locator('[data-test=acc-narrative]').fill(narrative);
    await form.locator('[data-test=acc-submit]').click();
    await form.locator('[data-test=accident-refusal]').waitFor();
    // The API's English refusals, shown in Chinese at their fields.
    await form.locator('.el-form-item__error', { hasText: '不能晚于当前时间' }).waitFor();
    await form.locator('.el-form-item__error', { hasText: '须为 0 至 100000 之间的整数' }).waitFor();
    const errors = await form.locator('.el-form-item__error').allInnerTexts();
    assert.ok(errors.some((e) => e.includes('须为 0 至 100000 之间的整数')), `deaths refused: ${errors}`);
    assert.ok(errors.some((e) => e.includes('不能晚于当前时间')), `future time refused: ${errors}`);
    await shot(page, '70-accident-refused');
    assert.equal((await county.get(`/api/v1/accidents?q=${encodeURIComponent(TAG)}`)).total, 0, 'nothing recorded');

    // Corrected: an hour ago, 3 deaths.
    await form.locator('[data-test=acc-occurred]').fill(when);
    await form.locator('[data-test=acc-deaths]').fill('3');
    await form.locator('[data-test=acc-submit]').click();
    await page.waitForURL(/\/records\/accidents\/\d+\?created=1/);
    accidentId = Number(new URL(page.url()).pathname.split('/').pop());
    const grade = page.locator('[data-test=accident-grade]');
    await grade.waitFor();
    assert.equal(await grade.getAttribute('data-grade'), 'larger');
    assert.equal((await grade.innerText()).trim(), '较大');
    const rec = await county.get(`/api/v1/accidents/${accidentId}`);
    assert.equal(rec.grade, 'larger');
    assert.equal(rec.deaths, 3);
    assert.equal(rec.narrative, narrative);
    assert.match(await page.locator('[data-test=accident-rule]').innerText(), new RegExp(`第 ${rec.grade_rule_version} 版`));
    assert.match(await page.locator('[data-test=accident-created]').innerText(), /较大/);
    await page.locator('[data-test=accident-trail] [data-test=trail-event][data-action=create]').waitFor();
    await shot(page, '71-accident-graded');

    // The hazards open at the mine before it: one click.
    const open = await county.get(`/api/v1/mines/${coalMine.id}/hazards-open-before?date=${rec.occurred_on}`);
    await page.locator('[data-test=accident-hazards]').click();
    const drawer = page.locator('[data-test=hazards-drawer]');
    await drawer.waitFor();
    if (open.total > 0) {
      await drawer.locator('[data-test=hazards-before-table] .el-table__row').first().waitFor();
      assert.equal(await drawer.locator('[data-test=hazards-before-table] .el-table__body-wrapper .el-table__row').count(), open.total);
    } else {
      await drawer.locator('[data-state=empty]').waitFor();
    }
    await shot(page, '72-accident-hazards-before');

    // The list finds it by its narrative, with its grade.
    await page.goto(`${base}/records?q=${TAG}`);
    const row = page.locator('[data-test=accidents-table] .el-table__row', { hasText: coalMine.name });
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('[data-grade]').getAttribute('data-grade'), 'larger');

    // The indicators count its deaths.
    const deathsAfter = await deathsOf(county);
    assert.equal(deathsAfter, deathsBefore + 3);
    await page.locator('[data-test=records-dashboard]').click();
    await page.waitForURL(/\/dashboard/);
    const value = page.locator('[data-test=ind-card-deaths] [data-test=ind-value]');
    await value.waitFor();
    await page.waitForFunction(
      ([sel, want]) => (document.querySelector(sel)?.textContent ?? '').replace(/[,\s]/g, '').match(/\d+(\.\d+)?/)?.[0] === String(want),
      ['[data-test=ind-card-deaths] [data-test=ind-value]', deathsAfter],
      { timeout: 15_000 },
    );
    await shot(page, '73-dashboard-deaths');
    noProblems(page, ['422']);
    await page.context().close();
  });

  test('the county enters a month of production, posts it again and sees it replaced', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.county);
    await page.goto(`${base}/records?tab=production&year=${year}`);
    await page.locator('[data-test=production-panel]').waitFor();
    const first = 12345.5;
    const second = 23456;
    const post = async (tonnes) => {
      await page.locator('[data-test=prod-new]').click();
      const dlg = page.locator('[data-test=prod-dialog]');
      await dlg.locator('[data-test=prod-form]').waitFor();
      await pickMine(page, '[data-test=prod-dialog] [data-test=prod-mine]', coalMine.name);
      await dlg.locator('[data-test=prod-month]').fill(month);
      await dlg.locator('[data-test=prod-tonnes]').fill(String(tonnes));
      await dlg.locator('[data-test=prod-submit]').click();
      const res = dlg.locator('[data-test=prod-result]');
      await res.waitFor();
      return res;
    };
    await post(first);
    const cell = page.locator(`[data-test=prod-cell-${coalMine.id}-${month}]`);
    await page.keyboard.press('Escape');
    await cell.filter({ hasText: '12,345.5' }).waitFor();
    let api = (await county.get(`/api/v1/production?mine_id=${coalMine.id}&from=${month}&to=${month}`)).items;
    assert.equal(api.length, 1);
    assert.equal(api[0].tonnes, first);

    const res = await post(second);
    assert.equal(await res.getAttribute('data-replaced'), 'true');
    assert.match(await res.innerText(), /12,345\.5.*23,456/);
    await shot(page, '74-production-replaced');
    await res.locator('[data-test=prod-result-trail]').click();
    const trail = page.locator('[data-test=prod-trail]');
    await trail.locator('[data-test=trail-event][data-action=replace]').last().waitFor();
    await page.keyboard.press('Escape');
    api = (await county.get(`/api/v1/production?mine_id=${coalMine.id}&from=${month}&to=${month}`)).items;
    assert.equal(api.length, 1, 'one figure for the month');
    assert.equal(api[0].tonnes, second);
    await page.goto(`${base}/records?tab=production&year=${year}`);
    await page.locator(`[data-test=prod-cell-${coalMine.id}-${month}]`).filter({ hasText: '23,456' }).waitFor();
    await shot(page, '75-production-grid');

    // An import: one good row, two refused with their line and reason.
    const importMonth = `${year - 1}-06`;
    const csv = `矿山编码,月份,产量,备注\n${coalMine.code},${importMonth},4321,${TAG}\nNO-SUCH-MINE,${importMonth},5,\n${coalMine.code},${year}-13,5,\n`;
    await page.locator('[data-test=prod-import]').click();
    const dlg = page.locator('[data-test=import-dialog]');
    await dlg.locator('[data-test=import-file]').setInputFiles({ name: 'production.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dlg.locator('[data-test=import-submit]').click();
    await dlg.locator('[data-test=import-result]').waitFor();
    const rejected = dlg.locator('[data-test=import-rejected] .el-table__body-wrapper .el-table__row');
    await rejected.first().waitFor();
    assert.equal(await rejected.count(), 2);
    const lines = await rejected.locator('td:first-child').allInnerTexts();
    assert.deepEqual(lines.map((l) => Number(l.trim())), [3, 4]);
    await shot(page, '75b-production-import');
    const imported = (await county.get(`/api/v1/production?mine_id=${coalMine.id}&from=${importMonth}&to=${importMonth}`)).items;
    assert.equal(imported.length, 1);
    assert.equal(imported[0].tonnes, 4321);
    noProblems(page);
    await page.context().close();
  });

  test('the enterprise sees only its own mines’ records', async () => {
    const entNarrative = `${TAG} 企业矿山运输事故`;
    const entAcc = await admin.post('/api/v1/accidents', {
      mine_id: entMine.id, occurred_at: when, type: 'transport', deaths: 0, serious_injuries: 1, direct_loss_yuan: 50000, narrative: entNarrative,
    });
    assert.equal(entAcc.grade, 'general');
    const seen = await ent.all('/api/v1/accidents');
    assert.ok(seen.every((a) => a.enterprise_id === ent.me.enterprise_id), 'the API scopes the enterprise');

    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.enterprise);
    await page.goto(`${base}/records?q=${TAG}`);
    await page.locator('[data-test=accidents-table] .el-table__row', { hasText: entMine.name }).first().waitFor();
    const texts = await page.locator('[data-test=accidents-table] .el-table__body-wrapper').innerText();
    assert.ok(!texts.includes(coalMine.name), 'the county’s accident is not shown');
    assert.equal(await page.locator('[data-test=accident-new]').count(), 0, 'no accident entry for the enterprise');
    await shot(page, '76-enterprise-accidents');
    // Its accidents' detail pages of other mines are not found.
    const other = await page.evaluate(async (id) => (await fetch(`/api/v1/accidents/${id}`)).status, accidentId);
    assert.equal(other, 404);

    await page.goto(`${base}/records?tab=production&year=${year}`);
    await page.locator('[data-test=production-panel]').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-test=production-panel] [data-state=loading]'));
    assert.equal(await page.locator(`[data-test=prod-row-${coalMine.id}]`).count(), 0, 'the county’s mine is not in the grid');
    noProblems(page, ['404']);
    await page.context().close();
  });

  test('the enterprise marks a ledger item of its mine done, with evidence', async (t) => {
    const ledger = await ent.get(`/api/v1/mines/${entMine.id}/ledger`);
    const item = ledger.items.find((i) => i.state === 'pending' && i.actions?.includes('done'));
    if (!item) {
      // The demo binds no task to this mine: the tab says so.
      const page = await newPage(browser);
      await login(page, base, ...ACCOUNTS.enterprise);
      await page.goto(`${base}/mines/${entMine.id}?tab=records`);
      await page.locator('[data-test=mr-ledger-summary], [data-test=mine-records] .muted').first().waitFor();
      t.diagnostic('no pending item at the enterprise mine');
      assert.equal(ledger.items.filter((i) => i.state === 'pending').length, 0);
      await page.context().close();
      return;
    }
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.enterprise);
    await page.goto(`${base}/mines/${entMine.id}?tab=records`);
    const summary = page.locator('[data-test=mr-ledger-summary]');
    await summary.waitFor();
    assert.match(await summary.innerText(), new RegExp(`尚欠 ${ledger.owed} 项`));
    await page.locator(`[data-test=item-done-${item.id}]`).click();
    const dlg = page.locator('[data-test=item-step-dialog]');
    await dlg.locator('[data-test=item-submit]').click();
    await dlg.locator('[data-test=item-refusal]').waitFor();
    await dlg.locator('.el-form-item__error', { hasText: '请说明所做工作及其记录位置' }).waitFor(); // at the field, in Chinese
    await dlg.locator('[data-test=item-evidence]').fill(`${TAG} 验收报告 2026-001`);
    await dlg.locator('[data-test=item-submit]').click();
    await page.locator(`[data-test=item-state-${item.id}][data-standing=done]`).waitFor();
    await dlg.waitFor({ state: 'hidden' });
    const after = (await ent.get(`/api/v1/mines/${entMine.id}/ledger`)).items.find((i) => i.id === item.id);
    assert.equal(after.state, 'done');
    assert.equal(after.evidence, `${TAG} 验收报告 2026-001`);
    await shot(page, '77-mine-ledger-done');
    noProblems(page, ['422']);
    await page.context().close();
  });

  test('the county raises a hazard from an overdue ledger item', async () => {
    // A task of the city's own, due before today, binding the county's mine by hand.
    const task = await admin.post('/api/v1/ledger/tasks', {
      code: `e2e-${TAG.toLowerCase()}`, title: `${TAG} 井下供电系统整改`, plan_text: 'E2E', plan_ref: 'E2E', level: 'mine', recurrence: 'once',
      deadline: `${year - 1}-12-31`, binding: { include_mine_ids: [coalMine.id] },
    });
    const ledger = await county.get(`/api/v1/mines/${coalMine.id}/ledger`);
    const item = ledger.items.find((i) => i.task_id === task.id);
    assert.ok(item?.overdue, 'the item is overdue');
    assert.ok(item.actions.includes('raise-hazard'), 'the county may raise a hazard');

    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.county);
    await page.goto(`${base}/mines/${coalMine.id}?tab=records`);
    await page.locator(`[data-test=item-state-${item.id}][data-standing=overdue]`).waitFor();
    assert.match(await page.locator('[data-test=mr-ledger-summary]').innerText(), new RegExp(`逾期 ${ledger.overdue} 项`));
    await page.locator(`[data-test=item-raise-hazard-${item.id}]`).click();
    const dlg = page.locator('[data-test=item-step-dialog]');
    await dlg.locator('[data-test=item-note]').fill(`${TAG} 逾期未整改`);
    await dlg.locator('[data-test=item-submit]').click();
    const link = page.locator(`[data-test=item-hazard-${item.id}]`);
    await link.waitFor();
    await dlg.waitFor({ state: 'hidden' });
    const after = (await county.get(`/api/v1/ledger/items?task_id=${task.id}`)).items.find((i) => i.id === item.id);
    assert.ok(after.hazard_id, 'the item keeps its hazard');
    assert.equal((await link.innerText()).trim(), `#${after.hazard_id}`);
    const hazard = await county.get(`/api/v1/hazards/${after.hazard_id}`);
    assert.equal(hazard.mine_id, coalMine.id);
    assert.equal(await page.locator(`[data-test=item-raise-hazard-${item.id}]`).count(), 0, 'a hazard is raised once');
    await shot(page, '77b-ledger-hazard-raised');
    noProblems(page);
    await page.context().close();
  });

  test('the city adds a task binding the producing coal mines of a division, edits its deadline and archives it', async () => {
    const city = await Api.login(base, ...ACCOUNTS.city);
    const mines = (await city.all('/api/v1/mines')).filter((m) => !m.archived_at);
    const coal = (m) => (m.kind === 'coal_underground' || m.kind === 'coal_openpit') && m.status === 'producing';
    const byDivision = new Map();
    for (const m of mines.filter(coal)) byDivision.set(m.region_code, [...(byDivision.get(m.region_code) ?? []), m]);
    // The division with the most producing coal mines (at least two: one is excluded by hand).
    const [division, divMines] = [...byDivision.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    assert.ok(divMines?.length >= 2, 'a division has two producing coal mines');
    const excluded = divMines[0];
    const added = mines.find((m) => m.region_code !== division && !coal(m));
    assert.ok(added, 'a mine outside the filter to add by hand');
    const expected = new Set([...divMines.map((m) => m.id), added.id]);
    expected.delete(excluded.id);
    const code = `e2e-city-${TAG.toLowerCase()}`;
    const title = `${TAG} 在产煤矿专项检查`;
    const deadline = `${year + 1}-06-30`;
    const later = `${year + 1}-09-30`;

    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/records?tab=ledger`);
    await page.locator('[data-test=ledger-tasks] .el-table__row').first().waitFor();
    await page.locator('[data-test=task-new]').click();
    const dlg = page.locator('[data-test=task-dialog]');
    const form = dlg.locator('[data-test=task-form]');
    await form.waitFor();
    await form.locator('[data-test=task-code]').fill(code);
    await form.locator('[data-test=task-title]').fill(title);
    await form.locator('[data-test=task-deadline]').fill(deadline);
    await form.locator('[data-test=task-plan-ref]').fill('E2E');
    // The filters of the first group: producing coal mines of the division.
    const choose = async (select, values) => {
      await form.locator(`[data-test=${select}]`).click();
      for (const v of values) {
        const opt = page.locator(`[data-test=${select}-${v}]:visible`);
        await opt.waitFor();
        await opt.click();
      }
      await form.locator('[data-test=task-binding] h4').click(); // closes the dropdown
      await page.locator(`[data-test=${select}-${values[0]}]`).waitFor({ state: 'hidden' });
    };
    await choose('clause-kinds-0', ['coal_underground', 'coal_openpit']);
    await choose('clause-statuses-0', ['producing']);
    await choose('clause-regions-0', [division]);
    // One mine added and one excluded by hand, with the shared picker.
    const byHand = async (list, m) => {
      await form.locator(`[data-test=task-${list}-pick]`).click();
      await page.keyboard.type(m.name);
      const opt = page.locator(`[data-test=mine-option-${m.id}]:visible`);
      await opt.waitFor();
      await opt.click();
      await form.locator(`[data-test=task-${list}-${m.id}]`).waitFor();
    };
    await byHand('include', added);
    await byHand('exclude', excluded);
    await form.locator('[data-test=task-submit]').click();
    const result = form.locator('[data-test=task-result]');
    await result.waitFor();

    // The bound count the form shows is the API's.
    const created = (await city.get('/api/v1/ledger/tasks')).items.find((x) => x.code === code);
    assert.ok(created, 'the task was created');
    const full = await city.get(`/api/v1/ledger/tasks/${created.id}`);
    const bound = new Set(full.items.filter((i) => i.bound && i.mine_id).map((i) => i.mine_id));
    assert.deepEqual([...bound].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), 'the task binds the division’s producing coal mines, plus the added, minus the excluded');
    assert.equal(Number(await result.getAttribute('data-owners')), bound.size);
    assert.match(await result.innerText(), new RegExp(`约束 ${bound.size} 座矿山`));
    assert.deepEqual(full.binding.clauses, [{ kinds: ['coal_underground', 'coal_openpit'], statuses: ['producing'], regions: [division] }]);
    assert.deepEqual(full.binding.include_mine_ids, [added.id]);
    assert.deepEqual(full.binding.exclude_mine_ids, [excluded.id]);
    await shot(page, '78c-ledger-task-form');

    // Edit: a later deadline; the items follow.
    await form.locator('[data-test=task-close]').click();
    await dlg.waitFor({ state: 'hidden' });
    const card = page.locator('[data-test=ledger-task]');
    await card.locator('h3', { hasText: title }).waitFor();
    await card.locator('[data-test=task-edit]').click();
    await form.waitFor();
    assert.equal(await form.locator(`[data-test=task-exclude-${excluded.id}]`).count(), 1, 'the exclusion shows as a tag');
    await form.locator('[data-test=task-deadline]').fill(later);
    await form.locator('[data-test=task-submit]').click();
    await form.locator(`[data-test=task-result][data-deadline="${later}"]`).waitFor();
    const edited = await city.get(`/api/v1/ledger/tasks/${created.id}`);
    assert.equal(edited.deadline, later);
    assert.ok(edited.items.filter((i) => i.bound).every((i) => i.deadline === later), 'the items follow the deadline');
    await form.locator('[data-test=task-close]').click();
    await dlg.waitFor({ state: 'hidden' });
    await card.locator('p.muted', { hasText: later }).waitFor();

    // Archive: the reason is required, then confirmed.
    await card.locator('[data-test=task-archive]').click();
    const adlg = page.locator('[data-test=task-archive-dialog]');
    await adlg.locator('[data-test=task-archive-submit]').click();
    await adlg.locator('.el-form-item__error', { hasText: '请说明归档原因' }).waitFor();
    const reason = `${TAG} 与专项整治任务重复`;
    await adlg.locator('[data-test=task-archive-reason]').fill(reason);
    await adlg.locator('[data-test=task-archive-submit]').click();
    await page.locator('.task-archive-confirm .el-button--primary').click();
    await card.locator('[data-test=task-archived]').waitFor();
    const archived = await city.get(`/api/v1/ledger/tasks/${created.id}`);
    assert.ok(archived.archived_at, 'archived');
    assert.equal(archived.archive_reason, reason);
    assert.ok(!(await city.get('/api/v1/ledger/tasks')).items.some((x) => x.id === created.id), 'no longer listed');
    assert.equal(await card.locator('[data-test=task-edit]').count(), 0, 'an archived task is not edited');
    // Retired tasks stay readable on request, marked as such.
    await page.locator('[data-test=ledger-archived]').click();
    await page.waitForURL(/archived=true/);
    const retired = page.locator('[data-test=ledger-tasks] .el-table__row', { hasText: title });
    await retired.locator('[data-test=task-archived-tag]').waitFor();
    noProblems(page);
    await page.context().close();

    // The county sees the tasks but may not add or change them (nor may its API calls).
    const cpage = await newPage(browser);
    await login(cpage, base, ...ACCOUNTS.county);
    await cpage.goto(`${base}/records?tab=ledger`);
    const rows = cpage.locator('[data-test=ledger-tasks] .el-table__body-wrapper .el-table__row');
    await rows.first().waitFor();
    assert.equal(await cpage.locator('[data-test=task-new]').count(), 0, 'no add button for the county');
    await rows.first().click();
    await cpage.locator('[data-test=ledger-task] [data-test=ledger-divisions]').waitFor();
    assert.equal(await cpage.locator('[data-test=task-edit]').count(), 0, 'no edit button for the county');
    assert.equal(await cpage.locator('[data-test=task-archive]').count(), 0, 'no archive button for the county');
    const refused = await county.req('POST', '/api/v1/ledger/tasks', { code: `${code}-county`, title: 'x', level: 'city', deadline: deadline }, { ok: false });
    assert.equal(refused.status, 403);
    noProblems(cpage);
    await cpage.context().close();
  });

  test('the city sees the task ledger with completion by division', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.admin);
    await page.goto(`${base}/records?tab=ledger`);
    const tasks = (await admin.get('/api/v1/ledger/tasks')).items;
    assert.ok(tasks.length > 0, 'the plan’s tasks are seeded');
    const rows = page.locator('[data-test=ledger-tasks] .el-table__body-wrapper .el-table__row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), tasks.length);
    const task = tasks.find((x) => x.level === 'mine' && x.summary?.items > 0) ?? tasks[0];
    await rows.filter({ hasText: task.title }).first().click();
    await page.locator('[data-test=ledger-task] [data-test=ledger-divisions]').waitFor();
    await shot(page, '78-ledger');

    // The other tabs: plan facts, standardisation, staff (the share against 75 %), the 2025 base.
    await page.goto(`${base}/records?tab=facts&missing=true`);
    const missing = await admin.get('/api/v1/plan-facts?missing=true');
    if (missing.total) await page.locator('[data-test=facts-table] .el-table__row').first().waitFor();
    else await page.locator('[data-test=facts-panel] [data-state=empty]').waitFor();
    await page.goto(`${base}/records?tab=standardisation`);
    await page.locator('[data-test=std-table] .el-table__row').first().waitFor();
    await page.goto(`${base}/records?tab=staff`);
    const staff = (await admin.get('/api/v1/supervision-staff?limit=1000')).items.filter((x) => x.on_roll && !x.archived_at);
    const share = page.locator('[data-test=staff-share]');
    await share.waitFor();
    if (staff.length) {
      const pct = Math.round((staff.filter((x) => x.professional).length / staff.length) * 1000) / 10;
      await share.filter({ hasText: `${pct}%` }).waitFor();
    }
    await page.goto(`${base}/records?tab=base`);
    await page.locator('[data-test=base-table]').waitFor();
    await shot(page, '79-base');
    noProblems(page);
    await page.context().close();
  });
});
