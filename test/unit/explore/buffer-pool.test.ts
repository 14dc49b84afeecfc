/** The parallel explorer's pool of spare shared buffers. */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../src/explore/parallel-worker.ts';

const KIB = 1024;

describe('BufferPool', () => {
  it('gives back the smallest spare that holds the words asked for, and each spare once', () => {
    const pool = new BufferPool();
    const spares = [512, 128, 256, 64, 256].map((kib) => new SharedArrayBuffer(kib * KIB));
    for (const spare of spares) pool.give(spare);
    const first = pool.take((200 * KIB) / 4);
    expect(first.byteLength).toBe(256 * KIB);
    const second = pool.take((200 * KIB) / 4);
    expect(second.byteLength).toBe(256 * KIB);
    expect(second).not.toBe(first);
    expect(pool.take((200 * KIB) / 4)).toBe(spares[0]);
    expect(pool.take(1)).toBe(spares[3]);
    expect(pool.take(1)).toBe(spares[1]);
  });

  it('makes a new buffer, of a power of two bytes and 64 KiB at least, when no spare is large enough', () => {
    const pool = new BufferPool();
    const spare = new SharedArrayBuffer(64 * KIB);
    pool.give(spare);
    const large = pool.take((100 * KIB) / 4);
    expect(large).not.toBe(spare);
    expect(large.byteLength).toBe(128 * KIB);
    expect(pool.take((1000 * KIB) / 4 + 1).byteLength).toBe(1024 * KIB);
    expect(pool.take(1)).toBe(spare);
    expect(pool.take(1).byteLength).toBe(64 * KIB);
  });

  it('when full, keeps the larger spares', () => {
    const pool = new BufferPool();
    for (let i = 0; i < 1024; i++) pool.give(new SharedArrayBuffer((64 + (i % 8)) * KIB));
    const larger = new SharedArrayBuffer(100 * KIB);
    pool.give(larger);
    pool.give(new SharedArrayBuffer(64 * KIB));
    expect(pool.take((100 * KIB) / 4)).toBe(larger);
    // One of the smallest made room for it, and the later small one was not kept: 1,023 left.
    const sizes: number[] = [];
    for (let i = 0; i < 1023; i++) sizes.push(pool.take(1).byteLength);
    expect(sizes.filter((size) => size === 64 * KIB)).toHaveLength(127);
    expect(pool.take(1).byteLength).toBe(64 * KIB);
  });

  it('drains all but the smallest spares it is asked to keep (a worker hands the rest back)', () => {
    const pool = new BufferPool();
    const spares = [256, 64, 512, 128].map((kib) => new SharedArrayBuffer(kib * KIB));
    for (const spare of spares) pool.give(spare);
    expect(pool.drain(4)).toEqual([]);
    const drained = pool.drain(2);
    expect(drained.map((buffer) => buffer.byteLength / KIB)).toEqual([256, 512]);
    expect(drained[0]).toBe(spares[0]);
    expect(pool.take(1)).toBe(spares[1]);
    expect(pool.take(1)).toBe(spares[3]);
    expect(pool.take(1)).not.toBe(spares[2]);
  });

  it('ignores empty buffers', () => {
    const pool = new BufferPool();
    pool.give(new SharedArrayBuffer(0));
    expect(pool.take(1).byteLength).toBe(64 * KIB);
  });
});
