import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import DashboardView from './DashboardView.vue';
import { mountWith } from '../test/mount';
import { withQuery, ApiError } from '../api/client';
import zhCN from '../i18n/zh-CN';
import en from '../i18n/en';
import type { IndicatorDashboard, IndicatorValue } from '../api/types';

// ECharts needs a real canvas / layout: a stand-in records the options.
vi.mock('../lib/echarts', () => ({
  default: { init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() })) },
}));
vi.mock('../api', () => ({
  api: {
    regions: vi.fn(async () => ({
      items: [
        { code: '150725', name: '陈巴尔虎旗', parent_code: '150700', level: 'county', seat_lon: null, seat_lat: null },
        { code: '150700', name: '呼伦贝尔市', parent_code: null, level: 'city', seat_lon: null, seat_lat: null },
      ],
      total: 2,
    })),
    dashboard: vi.fn(),
    drill: vi.fn(),
    coverage: vi.fn(async () => ({
      city: { region_code: '150700', region_name: '全市', required: 8, required_coal: 5, required_metal_underground: 2, required_ponds: 1, networked: 4, online: 3, networked_percent: 50 },
      divisions: [{ region_code: '150725', region_name: '陈巴尔虎旗', required: 8, required_coal: 5, required_metal_underground: 2, required_ponds: 1, networked: 4, online: 3, networked_percent: 50 }],
    })),
    annualReportUrl: (year: number, format: string, region_code?: string) => withQuery('/api/v1/reports/annual', { year, format, region_code }),
    midtermReportUrl: (format: string, region_code?: string) => withQuery('/api/v1/reports/midterm', { format, region_code }),
  },
  STREAM_URL: '/api/v1/stream',
}));
import { api } from '../api';

function value(key: string, v: Partial<IndicatorValue> = {}): IndicatorValue {
  return {
    key, name: `名-${key}`, unit: '起', value: 2, base_2025: 4, target_2030: 3.76, change_vs_base_pct: -50, target_change_pct: -6,
    target_for_year: 3.95, on_track: true, base_source: 'records', note: '', trend: [{ year: 2025, value: 4 }, { year: 2026, value: 2 }],
    drill: `/api/v1/accidents?year=2026&k=${key}`, plan_ref: '专栏1', ...v,
  };
}

function board(): IndicatorDashboard {
  return {
    year: 2026, region_code: '150700', region_name: '呼伦贝尔市', as_of: '2026-12-31', partial_year: false,
    indicators: {
      year: 2026, region_code: '150700', region_name: '呼伦贝尔市', as_of: '2026-12-31', partial_year: false, base_year: 2025, target_year: 2030,
      accidents: value('accidents'),
      deaths: value('deaths', { on_track: false, change_vs_base_pct: 10 }),
      larger_accidents: value('larger_accidents'),
      major_or_worse_accidents: value('major_or_worse_accidents', { target_2030: 0 }),
      coal_deaths: value('coal_deaths', { target_2030: null }),
      coal_output_tonnes: value('coal_output_tonnes', { value: 0, target_2030: null }),
      million_ton_death_rate: value('million_ton_death_rate', { value: null, change_vs_base_pct: null, on_track: null, note: 'coal output is 0: the rate is undefined' }),
    },
    figures: [
      { key: 'insurance_coverage', name: '安责险覆盖率', unit: '%', value: 90, numerator: 9, denominator: 10, target: 100, target_year: 2028, comparison: '>=', due: false, met: false, source: 'live', trend: [{ year: 2025, value: 80 }, { year: 2026, value: 90 }], drill: '/api/v1/indicators/insurance', plan_ref: 'x' },
      { key: 'professional_share', name: '专业人员比例', unit: '%', value: null, numerator: 0, denominator: 0, target: 75, target_year: 2028, comparison: '>=', due: false, met: null, source: 'records', note: 'nothing to count', trend: [], drill: '/api/v1/supervision-staff', plan_ref: 'y' },
    ],
    tasks: [],
    divisions: [],
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(api.dashboard).mockResolvedValue(board());
});
afterEach(() => {
  document.body.innerHTML = '';
});

async function mountPage() {
  const r = await mountWith(DashboardView, {}, '/dashboard');
  await flushPromises();
  return r;
}

describe('the indicator dashboard', () => {
  it('shows one card per figure with value, target and the change against the base, green when on track', async () => {
    const { wrapper } = await mountPage();
    expect(api.dashboard).toHaveBeenCalledWith(expect.objectContaining({ year: expect.any(Number), region_code: undefined }), expect.anything());
    const cards = wrapper.findAll('[data-indicator]');
    expect(cards).toHaveLength(7);

    const acc = wrapper.find('[data-test=ind-card-accidents]');
    expect(acc.classes()).toContain('ok');
    expect(acc.find('[data-test=ind-value]').text()).toContain('2');
    expect(acc.find('[data-test=ind-target]').text()).toContain('2030年目标 ≤ 3.76');
    expect(acc.find('[data-test=ind-change]').text()).toContain('-50%');
    expect(acc.find('[data-test=ind-trend]').exists()).toBe(true);

    expect(wrapper.find('[data-test=ind-card-deaths]').classes()).toContain('bad');
    expect(wrapper.find('[data-test=ind-card-major_or_worse_accidents] [data-test=ind-target]').text()).toContain('0');

    const ins = wrapper.find('[data-test=ind-card-insurance_coverage]');
    expect(ins.find('[data-test=ind-target]').text()).toContain('目标 ≥ 100%（2028年底前）');
    expect(ins.find('[data-test=ind-change]').text()).toContain('+10');
    expect(ins.text()).toContain('9 / 10');
  });

  it('shows "—" for a null value, with the API\'s reason as its tooltip, and no chart without a series', async () => {
    const { wrapper } = await mountPage();
    const rate = wrapper.find('[data-test=ind-card-million_ton_death_rate]');
    const dash = rate.find('[data-test=ind-value] b');
    expect(dash.text()).toBe('—');
    expect(dash.attributes('aria-label')).toBe('coal output is 0: the rate is undefined');
    const prof = wrapper.find('[data-test=ind-card-professional_share]');
    expect(prof.find('[data-test=ind-value] b').attributes('aria-label')).toBe('nothing to count');
    expect(prof.find('[data-test=ind-trend]').exists()).toBe(false);
  });

  it('asks again for another year and division, and the report links follow', async () => {
    const { wrapper } = await mountPage();
    const vm = wrapper.vm as unknown as { year: number; regionCode: string };
    vm.year = 2025;
    vm.regionCode = '150725';
    await flushPromises();
    expect(api.dashboard).toHaveBeenLastCalledWith({ year: 2025, region_code: '150725' }, expect.anything());
    expect(wrapper.find('[data-test=report-annual-pdf]').attributes('href')).toBe('/api/v1/reports/annual?year=2025&format=pdf&region_code=150725');
    expect(wrapper.find('[data-test=report-midterm-xlsx]').attributes('href')).toBe('/api/v1/reports/midterm?format=xlsx&region_code=150725');
  });

  it('opens the records behind a figure in a table, whatever their fields', async () => {
    vi.mocked(api.drill).mockResolvedValue({ items: [{ mine_name: '雁南煤矿', covered: true }, { mine_name: '五九煤矿', covered: false }], total: 2 });
    const { wrapper } = await mountPage();
    await wrapper.find('[data-test=ind-card-insurance_coverage] [data-test=ind-drill]').trigger('click');
    await flushPromises();
    expect(api.drill).toHaveBeenCalledWith('/api/v1/indicators/insurance', expect.anything());
    const dialog = document.querySelector('[data-test=drill-dialog]')!;
    expect(dialog).not.toBeNull();
    expect(dialog.querySelectorAll('.el-table__body-wrapper .el-table__row')).toHaveLength(2);
    expect(dialog.textContent).toContain('雁南煤矿');
    expect(dialog.textContent).toContain('mine_name');
  });

  it('shows the error and retries', async () => {
    vi.mocked(api.dashboard).mockRejectedValueOnce(new ApiError(500, 'internal', '服务器错误'));
    const { wrapper } = await mountPage();
    const err = wrapper.find('[data-test=indicators] [data-state=error]');
    expect(err.text()).toContain('服务器错误');
    await err.find('button').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-indicator]')).toHaveLength(7);
    // The coverage section is still there.
    expect(wrapper.find('[data-test=cov-required]').text()).toBe('8');
  });

  it('shows the empty state', async () => {
    vi.mocked(api.dashboard).mockResolvedValue({ ...board(), indicators: {} as IndicatorDashboard['indicators'], figures: [] });
    const { wrapper } = await mountPage();
    expect(wrapper.find('[data-test=indicators] [data-state=empty]').text()).toBe(zhCN.indicator.empty);
  });
});

describe('the indicator messages', () => {
  it('have the same keys in Chinese and English', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(en.indicator).sort()).toEqual(keys(zhCN.indicator).sort());
  });
});
