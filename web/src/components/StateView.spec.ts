import { afterEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import StateView from './StateView.vue';
import { mountWith } from '../test/mount';
import { ApiError } from '../api/client';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('StateView', () => {
  it('shows loading, then error with retry, then empty, then the content', async () => {
    const { wrapper } = await mountWith(StateView, { props: { loading: true }, slots: { default: () => h('p', { class: 'content' }, 'ok') } });
    expect(wrapper.find('[data-state=loading]').exists()).toBe(true);

    await wrapper.setProps({ loading: false, error: new ApiError(0, 'network', 'Failed to fetch') });
    expect(wrapper.find('[data-state=error]').text()).toContain('网络连接失败');
    await wrapper.find('button').trigger('click');
    expect(wrapper.emitted('retry')).toHaveLength(1);

    await wrapper.setProps({ error: null, empty: true, emptyText: '没有符合条件的矿山' });
    expect(wrapper.find('[data-state=empty]').text()).toBe('没有符合条件的矿山');

    await wrapper.setProps({ empty: false });
    expect(wrapper.find('.content').text()).toBe('ok');
  });
});
