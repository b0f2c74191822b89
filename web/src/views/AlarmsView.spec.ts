import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import AlarmsView from './AlarmsView.vue';
import AlarmTable from '../components/alarms/AlarmTable.vue';
import { mountWith } from '../test/mount';
import { useSession } from '../stores/session';
import { liveHub } from '../stores/live';
import { alarm, event } from '../test/alarms';
import { withQuery } from '../api/client';

vi.mock('../api', () => ({
  api: {
    alarms: vi.fn(),
    alarmStats: vi.fn(async () => ({ total: 0, by_level: {}, by_kind: {}, by_state: {}, by_mine: [], by_day: [], planned: 0, unplanned: 0, mean_minutes_to_acknowledge: null, mean_minutes_to_close: null })),
    mines: vi.fn(async () => ({ items: [], total: 0 })),
    mine: vi.fn(async (id: number) => ({ id, name: '大雁二矿' })),
    sensors: vi.fn(async () => [{ key: 'methane', name_zh: '甲烷', name_en: 'Methane', unit: '%CH4', precision: 2 }]),
    alarmsXlsxUrl: (q: Record<string, string>) => withQuery('/api/v1/alarms.xlsx', q),
  },
  STREAM_URL: '/api/v1/stream',
}));
import { api } from '../api';

const page = [alarm({ id: 3, region_code: '150782' }), alarm({ id: 2, region_code: '150782', state: 'acknowledged', actions: ['dispose'] })];

beforeEach(() => {
  vi.clearAllMocks();
  liveHub.reset();
  localStorage.setItem('minesafe.alarmStats', '0'); // the charts are tested elsewhere
  vi.mocked(api.alarms).mockResolvedValue({ items: page, total: 2 });
});
afterEach(() => {
  document.body.innerHTML = '';
});

async function mountCentre(path: string) {
  const r = await mountWith(AlarmsView, {}, path);
  const s = useSession();
  s.principal = { id: 2, username: 'city', display_name: '市局', role: 'city', regions: ['150700'], enterprise_id: null };
  s.regions = [{ code: '150782', name: '牙克石市', parent_code: '150700', level: 'county', seat_lon: null, seat_lat: null }];
  await flushPromises();
  return r;
}

describe('the alarm centre', () => {
  it('asks the API for the filters in the address, and exports the same selection', async () => {
    const { wrapper } = await mountCentre('/alarms?level=red&state=open,acknowledged&region_code=150782&mine_id=28&sort=-level');
    expect(api.alarms).toHaveBeenCalledWith(
      { level: 'red', state: 'open,acknowledged', region_code: '150782', mine_id: '28', sort: '-level', limit: 20, offset: 0 },
      expect.anything(),
    );
    expect(wrapper.findAll('[data-test=alarm-table] .el-table__body-wrapper .el-table__row')).toHaveLength(2);
    expect(wrapper.find('[data-test=alarms-total]').text()).toContain('2');
    const href = wrapper.find('[data-test=alarms-export]').attributes('href')!;
    expect(href.startsWith('/api/v1/alarms.xlsx?')).toBe(true);
    expect(new URLSearchParams(href.split('?')[1]).get('state')).toBe('open,acknowledged');
    expect(new URLSearchParams(href.split('?')[1]).get('sort')).toBe('-level');
  });

  it('filters through the address: "not closed" and a sort ask again', async () => {
    const { wrapper, router } = await mountCentre('/alarms?level=orange');
    await wrapper.find('[data-test=filter-unclosed]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toMatchObject({ level: 'orange', state: 'open,acknowledged,disposed,verified' });
    expect(api.alarms).toHaveBeenLastCalledWith(expect.objectContaining({ level: 'orange', state: 'open,acknowledged,disposed,verified', offset: 0 }), expect.anything());

    wrapper.findComponent(AlarmTable).vm.$emit('sort', 'opened_at');
    await flushPromises();
    expect(router.currentRoute.value.query.sort).toBe('opened_at');
    expect(api.alarms).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'opened_at' }), expect.anything());
  });

  it('shows a new matching alarm from the stream at once, flashing, and leaves out the rest', async () => {
    const { wrapper } = await mountCentre('/alarms?level=red');
    const calls = vi.mocked(api.alarms).mock.calls.length;
    liveHub.applyAlarm(event('open', alarm({ id: 9, mine_name: '雁南煤矿', region_code: '150782' })));
    liveHub.applyAlarm(event('open', alarm({ id: 10, mine_name: '五九煤矿', level: 'yellow', current_level: 'yellow' })));
    liveHub.flush();
    await flushPromises();
    const rows = wrapper.findAll('[data-test=alarm-table] .el-table__body-wrapper .el-table__row');
    expect(rows).toHaveLength(3);
    expect(rows[0].text()).toContain('雁南煤矿');
    expect(rows[0].classes()).toContain('flash-red');
    expect(wrapper.text()).not.toContain('五九煤矿');
    expect(wrapper.find('[data-test=alarms-total]').text()).toContain('3');
    expect(vi.mocked(api.alarms).mock.calls.length).toBe(calls); // no reload needed to show it
  });

  it('updates a row in place from the stream (state and clearing)', async () => {
    const { wrapper } = await mountCentre('/alarms');
    liveHub.applyAlarm(event('clear', { ...page[0], cleared_at: '2026-11-29T10:30:00Z', last_value: 0.4 }));
    liveHub.applyAlarm(event('acknowledge', { ...page[0], state: 'acknowledged', cleared_at: '2026-11-29T10:30:00Z' }));
    liveHub.flush();
    await flushPromises();
    const first = wrapper.findAll('[data-test=alarm-table] .el-table__body-wrapper .el-table__row')[0];
    expect(first.find('[data-test=row-cleared]').exists()).toBe(true);
    expect(first.text()).toContain('已确认');
  });
});
