import { describe, expect, it } from 'vitest';
import { AlarmSound } from './sound';

class FakeCtx {
  static made = 0;
  state: 'suspended' | 'running' = 'suspended';
  currentTime = 0;
  destination = {};
  oscillators = 0;
  constructor() {
    FakeCtx.made++;
  }
  resume() {
    this.state = 'running';
    return Promise.resolve();
  }
  createOscillator() {
    this.oscillators++;
    const node = { type: '', frequency: { value: 0 }, connect: (n: unknown) => n, start() {}, stop() {} };
    return node;
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n: unknown) => n };
  }
}

function fakeTarget() {
  const ls = new Map<string, EventListener>();
  return {
    addEventListener: (t: string, fn: EventListener) => ls.set(t, fn),
    removeEventListener: (t: string) => ls.delete(t),
    fire: (t: string) => ls.get(t)?.(new Event(t)),
    has: (t: string) => ls.has(t),
  };
}

describe('the alarm sound', () => {
  it('waits for a user gesture, then beeps (no audio file: generated tones)', async () => {
    localStorage.removeItem('minesafe.alarmMuted');
    const s = new AlarmSound(FakeCtx as unknown as new () => AudioContext);
    const target = fakeTarget();
    s.listenForGesture(target);
    expect(s.beep()).toBe(false);
    expect(s.blocked.value).toBe(true);
    expect(FakeCtx.made).toBe(0); // no AudioContext before a gesture

    target.fire('pointerdown');
    await Promise.resolve();
    await Promise.resolve();
    expect(s.blocked.value).toBe(false);
    expect(s.beep()).toBe(true);
    expect(s.played.value).toBe(1);
  });

  it('stays silent when muted, and remembers it', () => {
    const s = new AlarmSound(FakeCtx as unknown as new () => AudioContext);
    s.setMuted(true);
    expect(s.beep()).toBe(false);
    expect(localStorage.getItem('minesafe.alarmMuted')).toBe('1');
    expect(new AlarmSound(null).muted.value).toBe(true);
    s.setMuted(false);
    expect(localStorage.getItem('minesafe.alarmMuted')).toBeNull();
  });
});
