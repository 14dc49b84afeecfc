import { describe, it, expect } from 'vitest';
import { NO_PARENT, TraceStore, formatReplayToken, parseReplayToken } from '../../../src/store/trace-store.ts';

describe('TraceStore', () => {
  it('rebuilds paths in a hand-built breadth-first tree', () => {
    const store = new TraceStore();
    const a = store.add(NO_PARENT, 0); // initial state 0
    const b = store.add(NO_PARENT, 1); // initial state 1
    const c = store.add(a, 3);
    const e = store.add(b, 65535);
    const d = store.add(c, 1);
    const f = store.add(d, 0);
    expect([a, b, c, e, d, f]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(store.size).toBe(6);
    expect(store.pathTo(a)).toEqual({ initial: 0, actions: [] });
    expect(store.pathTo(b)).toEqual({ initial: 1, actions: [] });
    expect(store.pathTo(c)).toEqual({ initial: 0, actions: [3] });
    expect(store.pathTo(d)).toEqual({ initial: 0, actions: [3, 1] });
    expect(store.pathTo(e)).toEqual({ initial: 1, actions: [65535] });
    expect(store.pathTo(f)).toEqual({ initial: 0, actions: [3, 1, 0] });
    expect(store.parentOf(a)).toBe(NO_PARENT);
    expect(store.parentOf(d)).toBe(c);
    expect(store.parentOf(e)).toBe(b);
  });

  it('grows past its initial capacity without losing records', () => {
    const store = new TraceStore(2);
    const initial = store.add(NO_PARENT, 4);
    let previous = initial;
    for (let i = 1; i < 100_000; i++) previous = store.add(previous, i % 7);
    expect(store.size).toBe(100_000);
    const path = store.pathTo(previous);
    expect(path.initial).toBe(4);
    expect(path.actions.length).toBe(99_999);
    expect(path.actions.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 0, 1]);
    expect(path.actions[99_998]).toBe(99_999 % 7);
    expect(store.parentOf(50_000)).toBe(49_999);
  });

  it('keeps parents and action indices that do not fit in a byte, across checkpoints', () => {
    // A wide tree: every record's parent is a pseudo-random distance past the previous parent
    // (sometimes 0, sometimes hundreds), and action indices range up to 100,000.
    const store = new TraceStore(16);
    const expectedParent: number[] = [];
    const expectedAction: number[] = [];
    for (let i = 0; i < 3; i++) {
      store.add(NO_PARENT, i);
      expectedParent.push(NO_PARENT);
      expectedAction.push(i);
    }
    let parent = 0;
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let record = 3; record < 50_000; record++) {
      const roll = random();
      const step = roll < 0.6 ? 0 : roll < 0.95 ? 1 : Math.floor(random() * 600);
      parent = Math.min(parent + step, record - 1);
      const action = random() < 0.9 ? Math.floor(random() * 40) : Math.floor(random() * 100_000);
      expect(store.add(parent, action)).toBe(record);
      expectedParent.push(parent);
      expectedAction.push(action);
    }
    for (let record = 0; record < 50_000; record += 7) {
      expect(store.parentOf(record)).toBe(expectedParent[record]);
    }
    const last = 49_999;
    const path = store.pathTo(last);
    const actions: number[] = [];
    let current = last;
    while (expectedParent[current] !== NO_PARENT) {
      actions.push(expectedAction[current]!);
      current = expectedParent[current]!;
    }
    expect(path).toEqual({ initial: expectedAction[current], actions: actions.reverse() });
  });

  it('costs about two bytes a state', () => {
    const store = new TraceStore(1 << 20);
    store.add(NO_PARENT, 0);
    for (let record = 1; record < 1 << 20; record++) store.add(record >> 2, record & 3);
    // Two bytes, and a 4-byte checkpoint every 256 records.
    expect(store.approximateBytes()).toBeLessThan(2.02 * (1 << 20));
  });

  it('grows in place by an eighth, not by doubling, and keeps every record', () => {
    // Just past a power of two, where doubling left the arrays half empty (4 bytes a state).
    const count = (1 << 20) + 1;
    const store = new TraceStore(2);
    store.add(NO_PARENT, 0);
    for (let record = 1; record < count; record++) store.add(record >> 1, record % 5);
    expect(store.approximateBytes()).toBeLessThan(2.3 * count);
    for (let record = 1; record < count; record += 97) {
      expect(store.parentOf(record)).toBe(record >> 1);
      expect(store.actionIndexOf(record)).toBe(record % 5);
    }
    expect(store.parentOf(count - 1)).toBe((count - 1) >> 1);
  });

  it('refuses records out of breadth-first order, and initial states after others', () => {
    const store = new TraceStore();
    const root = store.add(NO_PARENT, 0);
    const child = store.add(root, 1);
    store.add(child, 0);
    expect(() => store.add(root, 0)).toThrow(/out of breadth-first order/);
    expect(() => store.add(99, 0)).toThrow(/out of breadth-first order/);
    expect(() => store.add(NO_PARENT, 1)).toThrow(/initial states must be added before/);
    expect(() => store.add(child, -1)).toThrow(RangeError);
    expect(store.size).toBe(3);
  });

  it('works from an initial capacity of 0', () => {
    const store = new TraceStore(0);
    const root = store.add(NO_PARENT, 2);
    const child = store.add(root, 5);
    expect(store.size).toBe(2);
    expect(store.parentOf(root)).toBe(NO_PARENT);
    expect(store.parentOf(child)).toBe(root);
  });
});

describe('replay tokens', () => {
  it('formats initial index then action indices, joined by /', () => {
    expect(formatReplayToken({ initial: 0, actions: [] })).toBe('0');
    expect(formatReplayToken({ initial: 3, actions: [0, 12, 65535] })).toBe('3/0/12/65535');
  });

  it('round-trips', () => {
    for (const path of [
      { initial: 0, actions: [] },
      { initial: 2, actions: [1] },
      { initial: 0, actions: [0, 0, 0, 1, 1, 1] },
      { initial: 17, actions: [65535, 0, 300] },
    ]) {
      expect(parseReplayToken(formatReplayToken(path))).toEqual(path);
    }
  });

  it('ignores surrounding whitespace', () => {
    expect(parseReplayToken('  4/5\n')).toEqual({ initial: 4, actions: [5] });
  });

  it('rejects junk', () => {
    for (const junk of ['', ' ', '/', 'a', '1/', '/1', '1//2', '-1', '1/-2', '1.5', '1/x', '1 2', '1,2', '0x10', '1e3', 'Infinity']) {
      expect(parseReplayToken(junk), junk).toBeUndefined();
    }
  });
});

describe('replay tokens of simulated walks', () => {
  it('name the seed and the run before the choices, which alone are replayed', () => {
    const path = { initial: 1, actions: [3, 0, 2] };
    const token = formatReplayToken(path, { seed: 42, run: 17 });
    expect(token).toBe('seed42-run17:1/3/0/2');
    expect(parseReplayToken(token)).toEqual(path);
    for (const junk of ['seed42:1/3', 'seed-run1:1', 'seed4-run1:', 'seed4-run1:1/x', 'seedx-run1:0']) {
      expect(parseReplayToken(junk), junk).toBeUndefined();
    }
  });
});
