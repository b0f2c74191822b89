// The alarm sound: a short two-tone beep made with Web Audio (no audio file
// is fetched). Browsers keep audio off until the user interacts with the page,
// so the AudioContext is made (or resumed) on the first click or key press;
// until then a beep cannot sound and `blocked` says so, for the UI to ask for
// a click. The mute choice is kept in the browser.
import { ref } from 'vue';

const MUTE_KEY = 'minesafe.alarmMuted';

type Ctx = AudioContext;
type CtxCtor = new () => Ctx;

function audioCtor(): CtxCtor | null {
  if (typeof window === 'undefined') return null;
  const w = window as unknown as { AudioContext?: CtxCtor; webkitAudioContext?: CtxCtor };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

function savedMute(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export class AlarmSound {
  /** The user turned the sound off. */
  readonly muted = ref(savedMute());
  /** A beep was due but the browser had not allowed audio yet (no click or key press so far). */
  readonly blocked = ref(false);
  /** Beeps actually started (for tests and the e2e run). */
  readonly played = ref(0);
  private ctx: Ctx | null = null;
  private unlockBound = false;
  private readonly ctor: CtxCtor | null;

  constructor(ctor: CtxCtor | null = audioCtor()) {
    this.ctor = ctor;
  }

  /** Waits for the first user gesture to allow audio (call once at start). */
  listenForGesture(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null = typeof window === 'undefined' ? null : window) {
    if (this.unlockBound || !target) return;
    this.unlockBound = true;
    const unlock = () => {
      this.unlock();
      if (this.ctx?.state === 'running') {
        for (const t of ['pointerdown', 'keydown', 'touchstart'] as const) target.removeEventListener(t, unlock, true);
      }
    };
    for (const t of ['pointerdown', 'keydown', 'touchstart'] as const) target.addEventListener(t, unlock, true);
  }

  /** Makes or resumes the audio context; only works within a user gesture. */
  unlock() {
    if (!this.ctor) return;
    try {
      if (!this.ctx) this.ctx = new this.ctor();
      if (this.ctx.state === 'suspended') void this.ctx.resume().then(() => (this.blocked.value = false), () => undefined);
      else if (this.ctx.state === 'running') this.blocked.value = false;
    } catch {
      this.ctx = null;
    }
  }

  setMuted(on: boolean) {
    this.muted.value = on;
    try {
      if (on) localStorage.setItem(MUTE_KEY, '1');
      else localStorage.removeItem(MUTE_KEY);
    } catch {
      // storage blocked: the choice lasts this page
    }
    if (!on) this.unlock(); // the toggle is a user gesture
  }

  /** Two short tones (~0.5 s). Answers whether it sounded. */
  beep(): boolean {
    if (this.muted.value) return false;
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') {
      this.blocked.value = !!this.ctor;
      return false;
    }
    const t0 = ctx.currentTime + 0.01;
    for (const [i, freq] of [880, 1175].entries()) {
      const start = t0 + i * 0.22;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    }
    this.played.value++;
    if (typeof window !== 'undefined') window.__minesafe = { ...(window.__minesafe ?? {}), alarmBeeps: this.played.value };
    return true;
  }
}

export const alarmSound = new AlarmSound();
