// End-to-end: inspections and enforcement, in the browser. The inspector
// records an inspection at a mine of an enterprise created for this test
// (陈巴尔虎旗, in the inspector's divisions) with two inspectors and a finding
// that becomes a hazard and a violation, and submits it (the hazard is
// registered). The county regulator proposes a fine outside the discretion
// range — refused without a reason, the message shown —, then with a reason,
// orders a halt (the mine page shows the mine halted) and downloads the
// on-site record PDF. The demo enterprise sees a city-run inspection's
// decisions at its own mine with its own steps (receipt) but no fine or halt
// buttons. The city enters the test enterprise on the blacklist and its page
// shows it. A plan's random draw is verified. Screenshots 60–69.
//
// Always on a server of its own (fresh data, no simulator); everything it
// halts or blacklists was created here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, ACCOUNTS } from './lib/api.mjs';
import { startServer } from './lib/server.mjs';
import { launch, login, newPage, shot, SHOTS } from './lib/browser.mjs';
import { uscc } from './lib/seed.mjs';

const INSPECTOR = ['inspector', 'Inspector#2026demo'];
const TAG = `E2E${Date.now().toString(36).toUpperCase()}`;

let server;
let browser;
let base;
let admin;
let city;
let ent;
let enterprise; // created here, in 150725
let mine; // created here: halted by the test
let inspectionId;
let entInspectionId;

const shanghai = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

function noProblems(page, expected = []) {
  const left = page.problems.filter((p) => !expected.some((s) => p.includes(`status of ${s}`)));
  assert.deepEqual(left, [], 'no console errors or uncaught exceptions');
}

/** Picks an option of an open Element Plus select by its text. */
async function pickOption(page, text) {
  const opt = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first();
  await opt.waitFor();
  await opt.click();
}

before(async () => {
  server = await startServer({ fresh: true });
  base = server.base;
  admin = await Api.login(base, ...ACCOUNTS.admin);
  city = await Api.login(base, ...ACCOUNTS.city);
  ent = await Api.login(base, ...ACCOUNTS.enterprise);
  // An enterprise and a producing underground coal mine of our own in 陈巴尔虎旗 (150725),
  // at the place of a demo mine there (inside the division).
  const near = (await admin.all('/api/v1/mines?region_code=150725')).find((m) => !m.archived_at);
  assert.ok(near, 'the demo has a mine in 150725');
  enterprise = await admin.post('/api/v1/enterprises', {
    name: `${TAG}执法测试矿业有限公司`,
    uscc: uscc(`91150725MA${String(Date.now() % 10_000_000).padStart(7, '0')}`.slice(0, 17)),
    ownership: 'private',
    region_code: '150725',
  });
  mine = await admin.post('/api/v1/mines', {
    name: `${TAG}执法测试煤矿`,
    enterprise_id: enterprise.id,
    region_code: '150725',
    kind: 'coal_underground',
    status: 'producing',
    lon: near.lon,
    lat: near.lat,
  });
  browser = await launch();
  console.log(`enforce e2e against ${base}; mine ${mine.name} ${mine.code}; screenshots in ${SHOTS}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('inspections and enforcement', () => {
  test('the inspector records an inspection with two inspectors and a finding that becomes a hazard and a violation', async () => {
    const page = await newPage(browser, { width: 1366, height: 900 });
    await login(page, base, ...INSPECTOR);
    await page.locator('[data-test=nav-enforcement]').click();
    await page.waitForURL(/\/enforcement$/);
    await page.locator('[data-test=inspection-table]').waitFor();
    await page.locator('[data-test=new-inspection]').click();
    await page.waitForURL(/\/enforcement\/inspections\/new/);
    const form = page.locator('[data-test=inspection-form]');
    await form.waitFor();

    // Saving with one inspector only: refused here, at the field.
    await form.locator('[data-test=mine-picker]').click();
    await page.keyboard.type(TAG);
    await pickOption(page, mine.name);
    await form.locator('[data-test=checklist]').waitFor();
    await form.locator('[data-test=inspector-0] input[data-test=inspector-name]').fill('李监察');
    await form.locator('[data-test=inspector-0] input[data-test=inspector-cert]').fill('15070725001');
    await form.locator('[data-test=inspection-save]').click();
    await form.getByText('至少两名执法人员，每人须有执法证号').waitFor();

    await form.locator('[data-test=inspector-1] input[data-test=inspector-name]').fill('王执法');
    await form.locator('[data-test=inspector-1] input[data-test=inspector-cert]').fill('15070725002');
    await form.locator('[data-test=checklist-all-ok]').click();
    await form.locator('[data-test=add-finding]').click();
    const f = form.locator('[data-test=finding-0]');
    await f.locator('textarea[data-test=finding-description]').fill(`${TAG} 15101工作面上隅角未按规定设置甲烷传感器，隐患未消除`);
    await f.locator('.el-date-editor input').fill(shanghai(10));
    await f.locator('.el-date-editor input').press('Enter');
    await f.locator('[data-test=finding-violation]').click();
    await pickOption(page, '未按规定排查治理事故隐患');
    await shot(page, '60-inspection-form', { fullPage: true });
    await form.locator('[data-test=inspection-save]').click();
    await page.waitForURL(/\/enforcement\/inspections\/\d+$/);
    inspectionId = Number(page.url().split('/').pop());
    const detail = page.locator(`[data-test=inspection-detail][data-id="${inspectionId}"]`);
    await detail.waitFor();
    assert.equal(await detail.getAttribute('data-state'), 'draft');
    assert.equal(await detail.locator('[data-test=inspector]').count(), 2);

    // Submit: the finding's hazard is registered in the hazard loop.
    await detail.locator('[data-test=inspection-submit]').click();
    await page.locator(`[data-test=inspection-detail][data-state=submitted]`).waitFor();
    await detail.locator('[data-test=finding-hazard-link]').waitFor();
    await detail.locator('[data-test=finding-violation-tag]').waitFor();
    assert.equal(await detail.locator('[data-test=decision-form]').count(), 0, 'an inspector does not decide');
    const insp = await admin.get(`/api/v1/inspections/${inspectionId}`);
    assert.equal(insp.inspectors.length, 2);
    assert.ok(insp.findings[0].hazard_id > 0, 'the finding became a hazard');
    assert.equal(insp.findings[0].violation_type, 'hazard_not_eliminated');
    const hazard = await admin.get(`/api/v1/hazards/${insp.findings[0].hazard_id}`);
    assert.equal(hazard.mine_id, mine.id);
    assert.equal(hazard.source, 'inspection');
    await shot(page, '61-inspection-submitted', { fullPage: true });
    noProblems(page);
    await page.context().close();
  });

  test('the county proposes a fine (outside the range only with a reason), orders a halt and downloads the record', async () => {
    assert.ok(inspectionId, 'the inspection of the previous test');
    const page = await newPage(browser, { width: 1366, height: 900 });
    await login(page, base, ...ACCOUNTS.county);
    await page.goto(`${base}/enforcement/inspections/${inspectionId}`);
    const detail = page.locator(`[data-test=inspection-detail][data-id="${inspectionId}"]`);
    const form = detail.locator('[data-test=decision-form]');
    await form.waitFor();

    await form.locator('[data-test=kind-fine]').click();
    await form.locator('[data-test=decision-benchmark]').waitFor();
    assert.match(await form.locator('[data-test=range-general]').textContent(), /15,000–30,000/);
    await form.locator('[data-test=circ-general]').click();
    await form.locator('input[data-test=decision-amount]').fill('60000');
    assert.equal(await form.locator('[data-test=fine-range-hint]').getAttribute('data-outside'), 'true');
    await form.locator('[data-test=decision-submit]').click();
    const reasonItem = form.locator('.el-form-item', { has: page.locator('[data-test=decision-reason]') });
    await reasonItem.locator('.el-form-item__error').getByText('须写明理由').waitFor();
    await shot(page, '62-fine-outside-range-refused');
    // The API refuses it the same way.
    const county = await Api.login(base, ...ACCOUNTS.county);
    const refused = await county.req('POST', `/api/v1/inspections/${inspectionId}/decisions`, { kind: 'fine', violation_type: 'hazard_not_eliminated', circumstance: 'general', amount_yuan: 60000 }, { ok: false });
    assert.equal(refused.status, 422);
    assert.ok(refused.data.error.fields.reason, 'the API names the reason');
    assert.equal((await county.get(`/api/v1/decisions?inspection_id=${inspectionId}`)).total, 0, 'nothing decided yet');

    await form.locator('textarea[data-test=decision-reason]').fill('同一隐患经两次责令仍未整改，情节恶劣，依法从重处罚');
    await form.locator('[data-test=decision-submit]').click();
    const fine = detail.locator('[data-test=decision-fine]');
    await fine.waitFor();
    assert.equal(await fine.getAttribute('data-state'), 'proposed');
    await fine.locator('[data-test=outside-tag]').waitFor();
    assert.match(await fine.locator('[data-test=fine-amount]').textContent(), /60,000/);
    await fine.locator('[data-test=dstep-issue]').waitFor();

    // Order to halt: the mine becomes halted.
    await form.locator('[data-test=kind-halt]').click();
    await form.locator('[data-test=decision-submit]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const halt = detail.locator('[data-test=decision-halt]');
    await halt.waitFor();
    assert.equal(await halt.getAttribute('data-state'), 'in_force');
    await detail.locator('[data-test=mine-status][data-status=halted]').waitFor();
    await detail.locator('[data-test=mine-halted]').waitFor();
    assert.equal((await admin.get(`/api/v1/mines/${mine.id}`)).status, 'halted');
    await halt.locator('[data-test=dstep-lift]').waitFor();
    await shot(page, '63-decisions', { fullPage: true });

    // The on-site record as PDF, with the session of the page.
    const pdf = await page.request.get(`${base}/api/v1/inspections/${inspectionId}/record.pdf`);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /^application\/pdf/);
    const body = await pdf.body();
    assert.equal(body.subarray(0, 4).toString('latin1'), '%PDF');
    assert.equal(await detail.locator('[data-test=record-pdf]').getAttribute('href'), `/api/v1/inspections/${inspectionId}/record.pdf`);
    const order = await page.request.get(`${base}${await halt.locator('[data-test=order-pdf]').getAttribute('href')}`);
    assert.equal(order.status(), 200);
    assert.equal((await order.body()).subarray(0, 4).toString('latin1'), '%PDF');

    // The mine page: halted, its inspections and decisions.
    await page.goto(`${base}/mines/${mine.id}?tab=enforcement`);
    const tab = page.locator('[data-test=mine-enforcement][data-status=halted]');
    await tab.waitFor();
    await tab.locator('[data-test=mine-enforcement-halted]').waitFor();
    await tab.locator('[data-test=inspection-table]').getByText(`#${inspectionId}`).waitFor();
    await tab.locator('[data-test=decision-table]').getByText('责令停产整顿').waitFor();
    await tab.locator('[data-test=power-baseline]').waitFor();
    await shot(page, '64-mine-enforcement', { fullPage: true });
    noProblems(page);
    await page.context().close();
  });

  test('the enterprise sees the decisions at its mine, with its own steps only', async () => {
    const own = (await ent.all('/api/v1/mines')).find((m) => m.kind === 'coal_underground' && !m.archived_at);
    assert.ok(own, 'the demo enterprise has an underground coal mine');
    const lists = (await city.get('/api/v1/rules/inspection-checklists')).rules;
    const checklist = lists[own.kind].map((it) => ({ code: it.code, result: 'ok' }));
    const insp = await city.post('/api/v1/inspections', {
      mine_id: own.id,
      date: shanghai(),
      place: `${TAG} 主斜井`,
      inspectors: [
        { name: '市局甲', certificate_no: '15070000101' },
        { name: '市局乙', certificate_no: '15070000102' },
      ],
      checklist,
      findings: [{ description: `${TAG} 特种作业人员无证上岗`, violation_type: 'uncertified_special_worker' }],
    });
    entInspectionId = insp.id;
    await city.post(`/api/v1/inspections/${insp.id}/submit`);
    await city.post(`/api/v1/inspections/${insp.id}/decisions`, { kind: 'rectify', deadline: shanghai(15) });
    const fine = await city.post(`/api/v1/inspections/${insp.id}/decisions`, { kind: 'fine', violation_type: 'uncertified_special_worker', circumstance: 'light', amount_yuan: 20000 });
    await city.post(`/api/v1/decisions/${fine.id}/issue`);

    const page = await newPage(browser, { width: 1366, height: 900 });
    await login(page, base, ...ACCOUNTS.enterprise);
    await page.goto(`${base}/enforcement`);
    await page.locator('[data-test=inspection-table]').getByText(`#${insp.id}`).waitFor();
    assert.equal(await page.locator('[data-test=tab-plans]').count(), 0, 'plans and draws are hidden from enterprises');
    // The Excel exports of the lists (inspections, then fines).
    const xlsx = await page.request.get(`${base}${await page.locator('[data-test=inspections-export]').getAttribute('href')}`);
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');
    await page.locator('[data-test=tab-decisions]').click();
    await page.locator('[data-test=decision-table]').getByText('责令限期整改').first().waitFor();
    const fines = await page.request.get(`${base}${await page.locator('[data-test=fines-export]').getAttribute('href')}`);
    assert.equal(fines.status(), 200);
    assert.match(fines.headers()['content-type'], /spreadsheetml/);
    // A filtered list is a link: the decisions tab filtered to fines, from the address.
    await page.goto(`${base}/enforcement?tab=decisions&d.kind=fine`);
    await page.locator('[data-test=decision-table]').getByText('罚款').first().waitFor();
    assert.equal(await page.locator('[data-test=decision-table]').getByText('责令限期整改').count(), 0, 'only fines');
    assert.match(await page.locator('[data-test=filter-kind]').textContent(), /罚款/, 'the filter shows what the address says');
    await page.locator('[data-test=tab-inspections]').click();
    await page.locator('[data-test=inspection-table]').getByText(`#${insp.id}`).click();
    await page.waitForURL(new RegExp(`/enforcement/inspections/${insp.id}$`));
    const detail = page.locator(`[data-test=inspection-detail][data-id="${insp.id}"]`);
    await detail.locator('[data-test=decision-fine]').waitFor();
    await detail.locator('[data-test=decision-rectify]').waitFor();
    assert.equal(await detail.locator('[data-test=decision-form]').count(), 0, 'no decision form for the mine');
    assert.equal(await page.locator('[data-test=kind-fine], [data-test=kind-halt]').count(), 0, 'no fine or halt buttons');
    for (const s of ['issue', 'withdraw', 'lift', 'transfer', 'confirm-payment']) assert.equal(await detail.locator(`[data-test=dstep-${s}]`).count(), 0, `no ${s}`);
    assert.equal(await page.locator('[data-test=new-inspection]').count(), 0);
    const fineCard = detail.locator('[data-test=decision-fine]');
    await fineCard.locator('[data-test=dstep-report-payment]').waitFor();
    await fineCard.locator('[data-test=dstep-receipt]').click();
    await fineCard.locator('[data-test=received]').waitFor();
    assert.ok((await ent.get(`/api/v1/decisions/${fine.id}`)).received_at, 'the receipt was recorded');
    await shot(page, '65-enterprise-decisions', { fullPage: true });
    noProblems(page);
    await page.context().close();
  });

  test('the city enters the test enterprise on the blacklist; its page and the list show it', async () => {
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/enterprises/${enterprise.id}`);
    const card = page.locator('[data-test=enterprise][data-listed=false]');
    await card.waitFor();
    await page.locator('[data-test=blacklist-enter]').click();
    const form = page.locator('[data-test=blacklist-enter-form]');
    await form.locator('[data-test=blacklist-enter-submit]').click();
    await form.locator('.el-form-item__error').getByText('请写明理由').waitFor(); // a reason is required
    await form.locator('textarea[data-test=blacklist-reason]').fill(`${TAG} 拒不执行停产整顿指令，擅自组织生产`);
    await form.locator('[data-test=blacklist-enter-submit]').click();
    await page.locator('[data-test=blacklisted]').waitFor();
    await page.locator('[data-test=blacklist-status]').getByText(`${TAG} 拒不执行停产整顿指令`).waitFor();
    assert.equal((await city.get(`/api/v1/enterprises/${enterprise.id}/blacklist`)).listed, true);
    await shot(page, '66-enterprise-blacklisted');

    await page.goto(`${base}/enforcement?tab=blacklist`);
    await page.locator('[data-test=blacklist-table]').getByText(enterprise.name).waitFor();
    const xlsx = await page.request.get(`${base}${await page.locator('[data-test=blacklist-export]').getAttribute('href')}`);
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');
    await shot(page, '67-blacklist');
    noProblems(page);
    await page.context().close();
  });

  test('a plan draws mines at random and the draw verifies', async () => {
    const plan = await city.post('/api/v1/inspection-plans', { region_code: '150725', year: Number(shanghai().slice(0, 4)), name: `${TAG} 年度执法检查计划`, note: '' });
    const page = await newPage(browser);
    await login(page, base, ...ACCOUNTS.city);
    await page.goto(`${base}/enforcement?tab=plans`);
    await page.locator('[data-test=plan-table]').getByText(plan.name).click();
    await page.waitForURL(new RegExp(`/enforcement/plans/${plan.id}$`));
    await page.locator('[data-test=plan-items]').getByText(mine.name).waitFor();
    await page.locator('input[data-test=draw-seed]').fill(`${TAG}-seed`);
    await page.locator('[data-test=draw-submit]').click();
    const draw = page.locator('[data-test=draw]').first();
    await draw.waitFor();
    assert.equal(await draw.locator('[data-test=draw-seed-value]').textContent(), `${TAG}-seed`);
    assert.equal(await draw.locator('[data-test=draw-selected]').count(), 1);
    await draw.locator('[data-test=draw-verify]').click();
    const result = draw.locator('[data-test=verify-result]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'true');
    await result.scrollIntoViewIfNeeded();
    await shot(page, '68-plan-draw-verified');

    // The discretion benchmark tab shows the ranges.
    await page.goto(`${base}/enforcement?tab=benchmark`);
    await page.locator('[data-test=benchmark-table] [data-code=hazard_not_eliminated]').getByText('15,000–30,000').waitFor();
    await shot(page, '69-benchmark');
    noProblems(page);
    await page.context().close();
  });
});
