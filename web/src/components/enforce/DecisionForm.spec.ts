import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type ComponentMountingOptions } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createI18n } from 'vue-i18n';
import { nextTick, type Component } from 'vue';
import DecisionForm from './DecisionForm.vue';
import DecisionCard from './DecisionCard.vue';
import { setup } from '../../test/mount';
import { mergeMessages } from '../../i18n';
import zhCN from '../../i18n/zh-CN';
import enforce from '../../i18n/modules/enforce';
import { ApiError } from '../../api/client';
import type { Decision, Discretion, Rules } from '../../api/enforce';

vi.mock('../../api/enforce', () => ({
  enforceApi: {
    decide: vi.fn(),
    decisionStep: vi.fn(),
    decisionTrail: vi.fn(async () => ({ items: [], total: 0 })),
    orderPdfUrl: (id: number) => `/api/v1/decisions/${id}/order.pdf`,
  },
}));
import { enforceApi } from '../../api/enforce';

const benchmark: Rules<Discretion> = {
  version: 3,
  note: '',
  rules: {
    types: [
      {
        code: 'hazard_not_eliminated', name: '未按规定排查治理事故隐患', legal_basis: '第四十一条',
        light: { min_yuan: 5000, max_yuan: 15000 }, general: { min_yuan: 15000, max_yuan: 30000 }, serious: { min_yuan: 30000, max_yuan: 50000 },
      },
    ],
  },
};
const findings = [{ id: 11, seq: 1, description: '隐患未消除', violation_type: 'hazard_not_eliminated', hazard_id: null }];

/** Mounts with the app's plugins and the enforce messages merged in. */
async function mountWith<C extends Component>(comp: C, opts: ComponentMountingOptions<C> = {}) {
  const { pinia, router } = setup('/');
  await router.isReady();
  const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': mergeMessages(zhCN, enforce['zh-CN']) as typeof zhCN }, missingWarn: false, fallbackWarn: false });
  const wrapper = mount(comp, { ...opts, attachTo: document.body, global: { plugins: [ElementPlus, pinia, i18n, router], stubs: { transition: false } } } as ComponentMountingOptions<C>);
  return { wrapper };
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.clearAllMocks();
});

describe('DecisionForm', () => {
  it('refuses a fine outside the range without a reason, at the reason field, and sends it with one', async () => {
    const { wrapper } = await mountWith(DecisionForm, { props: { inspectionId: 7, findings, benchmark, mineName: '测试矿' } });
    await wrapper.find('[data-test=kind-fine] input').setValue(true);
    await flushPromises();
    expect(wrapper.find('[data-test=range-general]').text()).toBe('15,000–30,000 元');
    await wrapper.find('[data-test=circ-general] input').setValue(true);
    await wrapper.find('input[data-test=decision-amount]').setValue('60000');
    expect(wrapper.find('[data-test=fine-range-hint]').attributes('data-outside')).toBe('true');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await nextTick();
    expect(enforceApi.decide).not.toHaveBeenCalled();
    const reasonItem = wrapper.findAll('.el-form-item').find((w) => w.find('textarea[data-test=decision-reason]').exists())!;
    await vi.waitFor(() => expect(reasonItem.find('.el-form-item__error').text()).toBe('金额超出裁量区间 15,000–30,000 元，须写明理由'));

    vi.mocked(enforceApi.decide).mockResolvedValueOnce({ id: 1, kind: 'fine', state: 'proposed' } as Decision);
    await wrapper.find('textarea[data-test=decision-reason]').setValue('屡查屡犯');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(enforceApi.decide).toHaveBeenCalledWith(7, {
      kind: 'fine', violation_type: 'hazard_not_eliminated', circumstance: 'general', amount_yuan: 60000, reason: '屡查屡犯', note: undefined,
    });
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('sends an amount inside the range without a reason and shows the API field message', async () => {
    vi.mocked(enforceApi.decide).mockRejectedValueOnce(new ApiError(422, 'invalid', 'invalid', { amount_yuan: '金额须为整数元' }));
    const { wrapper } = await mountWith(DecisionForm, { props: { inspectionId: 7, findings, benchmark, mineName: '测试矿' } });
    await wrapper.find('[data-test=kind-fine] input').setValue(true);
    await wrapper.find('[data-test=circ-light] input').setValue(true);
    await wrapper.find('input[data-test=decision-amount]').setValue('15000');
    expect(wrapper.find('[data-test=fine-range-hint]').attributes('data-outside')).toBe('false');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(enforceApi.decide).toHaveBeenCalledTimes(1);
    expect(vi.mocked(enforceApi.decide).mock.calls[0][1].reason).toBeUndefined();
    await nextTick();
    const amountItem = wrapper.findAll('.el-form-item').find((w) => w.find('input[data-test=decision-amount]').exists())!;
    await vi.waitFor(() => expect(amountItem.find('.el-form-item__error').text()).toBe('金额须为整数元'));
    expect(wrapper.emitted('done')).toBeUndefined();
  });
});

describe('DecisionCard', () => {
  const fine = {
    id: 5, inspection_id: 7, mine_id: 1, mine_name: '测试矿', region_code: '150725', enterprise_id: 2, enterprise_name: '测试企业', kind: 'fine', state: 'issued',
    doc_no: '150725罚〔2026〕5号', note: '', amount_yuan: 20000, range_min_yuan: 15000, range_max_yuan: 30000, circumstance: 'general', violation_name: '隐患未消除',
    created_at: '2026-11-29T00:00:00Z', creator: 'county', received_at: null,
  } as Decision;

  it('offers only the steps in the API actions', async () => {
    const { wrapper } = await mountWith(DecisionCard, { props: { decision: { ...fine, actions: ['receipt', 'report-payment'] } } });
    expect(wrapper.find('[data-test=dstep-receipt]').exists()).toBe(true);
    expect(wrapper.find('[data-test=dstep-report-payment]').exists()).toBe(true);
    expect(wrapper.find('[data-test=dstep-transfer]').exists()).toBe(false);
    expect(wrapper.find('[data-test=order-pdf]').exists()).toBe(false); // a fine has no order PDF
  });

  it('reports a payment with the fields of the step', async () => {
    vi.mocked(enforceApi.decisionStep).mockResolvedValueOnce({ ...fine, state: 'payment_reported' });
    const { wrapper } = await mountWith(DecisionCard, { props: { decision: { ...fine, actions: ['report-payment'] } } });
    await wrapper.find('[data-test=dstep-report-payment]').trigger('click');
    await wrapper.find('input[name=evidence]').setValue('银行流水 20261129001');
    await wrapper.find('[data-test=dstep-form-report-payment]').trigger('submit');
    await flushPromises();
    const [id, step, body] = vi.mocked(enforceApi.decisionStep).mock.calls[0];
    expect([id, step]).toEqual([5, 'report-payment']);
    expect(body).toMatchObject({ amount_yuan: 20000, evidence: '银行流水 20261129001' });
    expect(body!.paid_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(wrapper.emitted('changed')).toHaveLength(1);
  });

  it('asks for the reason of a lift before asking the API', async () => {
    const halt = { ...fine, kind: 'halt', state: 'in_force', amount_yuan: null, actions: ['lift'] } as Decision;
    const { wrapper } = await mountWith(DecisionCard, { props: { decision: halt } });
    expect(wrapper.find('[data-test=order-pdf]').attributes('href')).toBe('/api/v1/decisions/5/order.pdf');
    await wrapper.find('[data-test=dstep-lift]').trigger('click');
    await wrapper.find('[data-test=dstep-form-lift]').trigger('submit');
    await flushPromises();
    expect(enforceApi.decisionStep).not.toHaveBeenCalled();
    const item = wrapper.findAll('.el-form-item').find((w) => w.find('input[name=reason]').exists())!;
    await vi.waitFor(() => expect(item.find('.el-form-item__error').text()).toBe('必填'));
  });
});
