import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import CriterionPicker from './CriterionPicker.vue';
import { setup } from '../../test/mount';
import { i18n } from '../../i18n';
import type { Catalogue } from '../../api/hazards';

vi.mock('../../api/hazards', () => ({ hazardsApi: { criteria: vi.fn() } }));
import { hazardsApi } from '../../api/hazards';

afterEach(() => {
  document.body.innerHTML = '';
});

const catalogue: Catalogue = {
  version: 2, industry: 'metal_underground', note: '', created_at: '', legend: {},
  categories: [
    {
      code: 'MU1', title: '安全出口存在下列情形之一的', article: null, ref: '一、(一)', confidence: 'C', unverified: false, citable: false,
      items: [
        { code: 'MU1.1', text: '矿井直达地面的独立安全出口少于2个', ref: '', confidence: 'V', unverified: false },
        { code: 'MU1.2', text: '安全出口间距小于30米', ref: '', confidence: 'R', unverified: true },
      ],
    },
    { code: 'MU3', title: '相邻矿山井巷相互贯通', article: null, ref: '一、(三)', confidence: 'P', unverified: true, citable: true, items: [] },
  ],
};

async function mountPicker(modelValue = '') {
  vi.mocked(hazardsApi.criteria).mockResolvedValue(catalogue);
  const { pinia, router } = setup();
  await router.isReady();
  const w = mount(CriterionPicker, { props: { industry: 'metal_underground', modelValue }, attachTo: document.body, global: { plugins: [ElementPlus, pinia, i18n, router] } });
  await flushPromises();
  return w;
}

describe('CriterionPicker', () => {
  it('asks the catalogue of the mine’s industry and shows its version', async () => {
    const w = await mountPicker();
    expect(hazardsApi.criteria).toHaveBeenCalledWith('metal_underground');
    expect(w.text()).toContain('第 2 版');
    expect(w.emitted('catalogue')?.[0]).toEqual([catalogue]);
  });

  it('offers cases and case-less categories, never a category with cases', async () => {
    const w = await mountPicker();
    expect(w.find('[data-test="criterion-MU1.1"] input').exists()).toBe(true);
    expect(w.find('[data-test="criterion-MU3"] input').exists()).toBe(true);
    expect(w.find('[data-test="criterion-MU1"] input').exists()).toBe(false);
    await w.find('[data-test="criterion-MU3"] input').trigger('change');
    expect(w.emitted('update:modelValue')?.[0]).toEqual(['MU3']);
  });

  it('labels unverified wording and shows each entry’s confidence mark', async () => {
    const w = await mountPicker('MU1.2');
    const verified = w.find('[data-test="criterion-MU1.1"]');
    const recalled = w.find('[data-test="criterion-MU1.2"]');
    expect(verified.find('.conf').attributes('data-confidence')).toBe('V');
    expect(verified.find('[data-test=unverified]').exists()).toBe(false);
    expect(recalled.find('.conf').attributes('data-confidence')).toBe('R');
    expect(recalled.find('[data-test=unverified]').text()).toBe('措辞未经核实');
    expect((recalled.find('input').element as HTMLInputElement).checked).toBe(true);
    expect(w.find('[data-test=criterion-chosen]').text()).toContain('MU1.2');
  });

  it('filters the entries by code or text', async () => {
    const w = await mountPicker();
    await w.find('[data-test=criterion-search]').setValue('30米');
    await flushPromises();
    expect(w.find('[data-test="criterion-MU1.2"]').exists()).toBe(true);
    expect(w.find('[data-test="criterion-MU1.1"]').exists()).toBe(false);
    expect(w.find('[data-test="criterion-MU3"]').exists()).toBe(false);
  });
});
