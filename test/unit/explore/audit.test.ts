/**
 * The exact audit: it compares on every fingerprint hit, finds nothing on an honest hash, and
 * finds collisions when the hash is made weak on purpose.
 */
import { describe, it, expect } from 'vitest';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';
import { Fingerprinter } from '../../../src/store/fingerprint.ts';
import { WordWriter } from '../../../src/model.ts';
import { FingerprintAudit } from '../../../src/explore/audit.ts';
import { ReferenceFingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { countersModel } from '../../toys/counters.ts';
import { buildPaxosTla } from '../../../specs/paxos-tla.ts';
import type { CheckResult } from '../../../src/explore/result.ts';

/** Every fingerprint is the same: every state after the first collides. */
class ConstantFingerprinter extends Fingerprinter {
  override hash(): void {
    this.high = 0x1234;
    this.low = 0x5678;
  }
}

/** The real fingerprint cut to 8 bits: at most 256 fingerprints, so large models must collide. */
class TruncatedFingerprinter extends Fingerprinter {
  override hash(words: Int32Array, start: number, end: number): void {
    super.hash(words, start, end);
    this.high = 0;
    this.low = 0x100 | (this.low & 0xff);
  }
}

/** Every successor and every initial state either adds a fingerprint or is a hit the audit compared. */
function expectEveryHitCompared(result: CheckResult, initialStates: number): void {
  const { distinctStates, transitions, audit } = result.statistics;
  expect(audit!.statesCompared).toBe(transitions + initialStates - distinctStates);
}

describe('exact audit', () => {
  it('compares every hit, self-loops and duplicate initial states included, and finds no collision in an honest run', async () => {
    const model = countersModel({ maxX: 3, maxY: 4, selfLoop: true, initial: [{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 0 }] });
    const plain = await exploreBreadthFirst(model);
    const { result } = await exploreBreadthFirst(model, { audit: true });
    expect(result.status).toBe('ok');
    // The audit observes: the run is the one without it.
    expect(result.statistics.distinctStates).toBe(plain.result.statistics.distinctStates);
    expect(result.statistics.transitions).toBe(plain.result.statistics.transitions);
    expect(plain.result.statistics.audit).toBeUndefined();
    // 20 states; transitions: 31 increments and 20 self-loops; hits: 51 + 3 initial - 20 new.
    expect(result.statistics.distinctStates).toBe(20);
    expect(result.statistics.transitions).toBe(51);
    expect(result.statistics.audit).toMatchObject({ statesCompared: 34, collisions: 0 });
    expect(result.statistics.audit!.firstCollision).toBeUndefined();
    expect(result.statistics.audit!.storedBytes).toBeGreaterThan(0);
  });

  it('compares the hits of the states probed at a depth limit that cut nothing off, as the full run does', async () => {
    // (3, 4), at depth 8, has only its self-loop: a hit the full run compares when it expands it.
    const model = countersModel({ maxX: 3, maxY: 4, selfLoop: true });
    const full = await exploreBreadthFirst(model, { audit: true });
    const { result } = await exploreBreadthFirst(model, { audit: true, maxDepth: 8 });
    expect(result.status).toBe('ok');
    expect(result.statistics.audit).toEqual(full.result.statistics.audit);
    expectEveryHitCompared(result, 1);
  });

  it('reports every state after the first as a collision under a constant fingerprint, and names the first', async () => {
    const model = countersModel({ maxX: 3, maxY: 3 });
    const { result } = await exploreBreadthFirst(model, { audit: true, fingerprinter: new ConstantFingerprinter() });
    // Only (0,0) is stored; its two successors look like self-loops, and both differ from it.
    expect(result.statistics.distinctStates).toBe(1);
    expect(result.statistics.audit).toMatchObject({
      statesCompared: 2,
      collisions: 2,
      firstCollision: { fingerprint: '0000123400005678', stored: { x: 0, y: 0 }, met: { x: 1, y: 0 } },
    });
  });

  it('finds collisions in Paxos.tla under a fingerprint cut to 8 bits, and none under the real one', async () => {
    const parameters = { acceptors: 3, values: 2, maxBallot: 1 };
    const honest = (await exploreBreadthFirst(buildPaxosTla(parameters), { audit: true })).result;
    expect(honest.statistics.distinctStates).toBe(3921);
    expect(honest.statistics.audit!.collisions).toBe(0);
    expectEveryHitCompared(honest, 1);

    const weak = (await exploreBreadthFirst(buildPaxosTla(parameters), { audit: true, fingerprinter: new TruncatedFingerprinter() })).result;
    expect(weak.statistics.distinctStates).toBeLessThanOrEqual(256);
    expect(weak.statistics.audit!.collisions).toBeGreaterThan(0);
    expectEveryHitCompared(weak, 1);
    const first = weak.statistics.audit!.firstCollision!;
    expect(first.fingerprint).toMatch(/^00000000000001[0-9a-f]{2}$/);
    expect(Array.from(first.stored as Int32Array)).not.toEqual(Array.from(first.met as Int32Array));
  });

  it('wraps any fingerprint set: inserts keep or compare, lookups pass through', () => {
    const writer = new WordWriter();
    const decode = { decode: (input: { next(): number; atEnd(): boolean }) => {
      const words: number[] = [];
      while (!input.atEnd()) words.push(input.next());
      return words;
    } };
    const audit = new FingerprintAudit(decode, writer);
    const set = audit.wrap(new ReferenceFingerprintSet());
    const encode = (...words: number[]) => {
      writer.reset();
      for (const word of words) writer.push(word);
    };
    encode(1, 2, 3);
    expect(set.addIfAbsent(7, 0xffffffff)).toBe(true);
    encode(1, 2, 3);
    expect(set.addIfAbsent(7, 0xffffffff)).toBe(false);
    encode(1, 2);
    expect(set.addIfAbsent(7, 0xffffffff)).toBe(false);
    encode(9);
    expect(set.has(7, 0xffffffff)).toBe(true);
    expect(set.size).toBe(1);
    expect(audit.statistics()).toMatchObject({
      statesCompared: 2,
      collisions: 1,
      firstCollision: { fingerprint: '00000007ffffffff', stored: [1, 2, 3], met: [1, 2] },
    });
  });

  it("reports a model's own fingerprint shared by two different states as a breach of its contract, not a collision to count", async () => {
    // Its fingerprint forgets y: (x, 0) and (x, 1) share one.
    const base = countersModel({ maxX: 2, maxY: 2 });
    const forgetful = {
      ...base,
      fingerprint(state: { x: number; y: number }, out: { high: number; low: number }): void {
        out.high = 7;
        out.low = state.x + 1;
      },
      fingerprintSuccessors(state: { x: number; y: number }, actions: readonly ('incX' | 'incY' | 'stay')[], out: { high: Int32Array; low: Int32Array }): void {
        actions.forEach((action, index) => {
          const next = base.nextState(state, action);
          out.high[index] = next ? 7 : 0;
          out.low[index] = next ? next.x + 1 : 0;
        });
      },
    };
    const { result } = await exploreBreadthFirst(forgetful, { audit: true });
    expect(result.status).toBe('error');
    expect(result.error!.code).toBe('model-contract');
    expect(result.error!.message).toMatch(
      /^the model's fingerprint 0000000700000001 is that of two states that differ: almost surely a fingerprint \(or fingerprintSuccessors\) that leaves out part of the state \(or a coincidence of one in 2\^64\); the verdict of a run without --audit may be wrong \(in action increment y, /,
    );
    // Without the audit, the run merges them and says nothing.
    const plain = await exploreBreadthFirst(forgetful);
    expect(plain.result.status).toBe('ok');
    expect(plain.result.statistics.distinctStates).toBe(3);
  });
});
