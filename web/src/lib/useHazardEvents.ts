// A component that shows hazards follows the stream's `hazard` events while
// it is mounted: it holds the stream open (acquire/release) and hands each
// event to fn. The three hazard screens share this instead of each wiring
// the hub by hand.
import { onBeforeUnmount } from 'vue';
import { liveHub, type HazardEvent } from '../stores/live';

export function useHazardEvents(fn: (ev: HazardEvent) => void) {
  liveHub.acquire();
  const off = liveHub.onHazard(fn);
  onBeforeUnmount(() => {
    off();
    liveHub.release();
  });
}
