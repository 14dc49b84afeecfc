/**
 * The audit's contract check: each way a model can break the contract the explorers rely on is
 * reported by an audited run as the model's error, at the action and depth where it shows, while
 * the same run without --audit goes on with wrong counts. Honest models (every bundled spec, in
 * test/specs/audit.test.ts) pass it.
 */
import { describe, expect, it } from 'vitest';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';
import type { Model, SuccessorFingerprints, WordReader, WordWriter } from '../../../src/model.ts';
import { SymmetryReduction, asymmetricPropertyMessage } from '../../../src/explore/symmetry.ts';
import { countersModel, type CounterAction, type Counters } from '../../toys/counters.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import paxos from '../../../specs/paxos.ts';

async function auditedError(model: Model<Counters, CounterAction>) {
  const { result } = await exploreBreadthFirst(model, { audit: true });
  expect(result.status).toBe('error');
  expect(result.error!.code).toBe('model-contract');
  return result.error!;
}

/** The counters' encoding written into the writer's array after reserve, as fast encoders do: past push's check. */
function writeDirectly(state: Counters, out: WordWriter): void {
  out.reserve(2);
  out.words[out.length++] = state.x;
  out.words[out.length++] = state.y;
}

type Halves = { high: number; low: number };

/** The counters model fingerprinting its states itself, (x + 1, y + 1), and its successors as `successor` says (undefined: disabled). */
function selfFingerprinting(base: Model<Counters, CounterAction>, successor: (state: Counters, action: CounterAction) => Halves | undefined) {
  return {
    ...base,
    fingerprint(state: Counters, out: Halves): void {
      out.high = state.x + 1;
      out.low = state.y + 1;
    },
    fingerprintSuccessors(state: Counters, actions: readonly CounterAction[], out: SuccessorFingerprints): void {
      actions.forEach((action, index) => {
        const halves = successor(state, action);
        out.high[index] = halves?.high ?? 0;
        out.low[index] = halves?.low ?? 0;
      });
    },
  };
}

describe('the audit checks the model keeps its contract', () => {
  it('refuses a word that is not an integer, written past push (which every run checks), that a run without the audit silently merges', async () => {
    const halves = {
      ...countersModel({ maxX: 3, maxY: 1 }),
      encode: (state: Counters, out: WordWriter) => writeDirectly({ x: state.x / 2, y: state.y }, out),
      decode: (input: WordReader) => ({ x: input.next() * 2, y: input.next() }),
    };
    // x = 1 is stored as 0 and x = 3 as 1: of the 8 states only (0 or 2, y) survive.
    const plain = await exploreBreadthFirst(halves);
    expect(plain.result.status).toBe('ok');
    expect(plain.result.statistics.distinctStates).toBe(2);
    const error = await auditedError(halves);
    expect(error.message).toBe(
      `encode wrote 0.5 as word 0 of a successor; words must be 32-bit integers (stored, it becomes 0, so states that differ there would be merged) (in action increment x, expanding a state at depth 1)`,
    );
    expect(error).toMatchObject({ depth: 1, action: 'increment x', path: { initial: 0, actions: [] } });
  });

  it('refuses NaN in an initial state and words past 32 bits, and accepts unsigned 32-bit words', async () => {
    // Written past push, which refuses such words in every run.
    const nan = await auditedError({ ...countersModel({ maxX: 1, maxY: 1, initial: [{ x: Number.NaN, y: 0 }] }), encode: writeDirectly });
    expect(nan.message).toBe(
      `encode wrote NaN as word 0 of an initial state; words must be 32-bit integers (stored, it becomes 0, so states that differ there would be merged) (while building the initial states)`,
    );
    const wide = { ...countersModel({ maxX: 1, maxY: 1 }), encode: (state: Counters, out: WordWriter) => writeDirectly({ x: state.x + 2 ** 32, y: state.y }, out) };
    expect((await auditedError(wide)).message).toContain('encode wrote 4294967296 as word 0 of an initial state;');
    const unsigned = {
      ...countersModel({ maxX: 3, maxY: 1 }),
      encode: (state: Counters, out: WordWriter) => (out.push(state.x + 2 ** 31), out.push(state.y)),
      decode: (input: WordReader) => ({ x: (input.next() + 2 ** 31) | 0, y: input.next() }),
    };
    const { result } = await exploreBreadthFirst(unsigned, { audit: true });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(8);
  });

  it('refuses an encodeSuccessor that writes something else than encode(nextState(...))', async () => {
    const base = countersModel({ maxX: 2, maxY: 2 });
    const swapped = {
      ...base,
      encodeSuccessor(state: Counters, action: CounterAction, out: WordWriter): boolean {
        const next = base.nextState(state, action);
        if (next === undefined) return false;
        out.push(next.y);
        out.push(next.x);
        return true;
      },
    };
    const error = await auditedError(swapped);
    expect(error.message).toBe(
      `encodeSuccessor and encode(nextState(...)) disagree on a successor (word 0 is 1 from encode(nextState(...)), 0 from encodeSuccessor), or encode is not a function of the state (in action increment x, expanding a state at depth 1)`,
    );
  });

  it('refuses an encodeSuccessor that finds a successor nextState calls disabled', async () => {
    const base = countersModel({ maxX: 1, maxY: 0 });
    const eager = {
      ...base,
      encodeSuccessor(state: Counters, action: CounterAction, out: WordWriter): boolean {
        out.push(action === 'incX' ? state.x + 1 : state.x);
        out.push(action === 'incY' ? state.y + 1 : state.y);
        return true;
      },
    };
    const error = await auditedError(eager);
    expect(error.message).toBe(
      `nextState says the action is disabled, but the model encoded or fingerprinted a successor under it (in action increment y, expanding a state at depth 1)`,
    );
  });

  it('refuses a fast path that finds an action disabled when nextState does not', async () => {
    // Without the audit such a successor is silently never explored.
    const base = countersModel({ maxX: 2, maxY: 2 });
    const shy = {
      ...base,
      encodeSuccessor(state: Counters, action: CounterAction, out: WordWriter): boolean {
        const next = base.nextState(state, action);
        if (next === undefined || action === 'incY') return false;
        base.encode(next, out);
        return true;
      },
    };
    expect((await exploreBreadthFirst(shy)).result.statistics.distinctStates).toBe(3);
    expect((await auditedError(shy)).message).toBe(
      'encodeSuccessor says the action is disabled, but nextState gives a successor under it (in action increment y, expanding a state at depth 1)',
    );
    const blind = selfFingerprinting(base, (state, action) => {
      const next = action === 'incY' ? undefined : base.nextState(state, action);
      return next && { high: next.x + 1, low: next.y + 1 };
    });
    expect((await auditedError(blind)).message).toBe(
      'fingerprintSuccessors says the action is disabled, but nextState gives a successor under it (in action increment y, expanding a state at depth 1)',
    );
  });

  it('refuses a decode that loses part of the state, counting only the states stored before it', async () => {
    const forgetful = { ...countersModel({ maxX: 2, maxY: 2 }), decode: (input: WordReader) => ({ x: input.next(), y: (input.next(), 0) }) };
    const { result } = await exploreBreadthFirst(forgetful, { audit: true });
    // (0, 0) and (1, 0) were stored; (0, 1) was not.
    expect(result.statistics.distinctStates).toBe(2);
    const error = await auditedError(forgetful);
    expect(error.message).toBe(
      `decoding a state and encoding it again changes its encoding (word 1 is 0 after, 1 before): decode loses or alters part of the state (in action increment y, expanding a state at depth 1)`,
    );
  });

  it('refuses a field that encode and decode both leave out, which merges states that differ there', async () => {
    // y is neither encoded nor decoded (decode gives 0): the words round-trip, but (0, 1) is stored as (0, 0).
    const dropY = {
      ...countersModel({ maxX: 1, maxY: 1, properties: [{ name: 'YLow', kind: 'always', holds: (state: Counters) => state.y < 1 }] }),
      encode: (state: Counters, out: WordWriter) => out.push(state.x),
      decode: (input: WordReader) => ({ x: input.next(), y: 0 }),
    };
    const plain = await exploreBreadthFirst(dropY);
    expect(plain.result.status).toBe('ok');
    expect(plain.result.statistics.distinctStates).toBe(2);
    const error = await auditedError(dropY);
    expect(error.message).toBe(
      'property YLow fails on a state as the model built it and holds on the same state decoded from its encoding: encode leaves out part of the state that matters ' +
        '(or the model changed a state after building it; states must not be mutated) (in action increment y, expanding a state at depth 1)',
    );
  });

  it('refuses a field left out of the encoding that no property reads but the successors depend on', async () => {
    // A step counter y that only limits x: left out, x would stop at 1 in every state.
    const hidden = {
      ...countersModel({ maxX: 3, maxY: 1 }),
      nextState: (state: Counters, action: CounterAction): Counters | undefined =>
        action === 'incY' ? (state.y < 1 ? { x: state.x, y: state.y + 1 } : undefined) : state.x < 1 + 2 * state.y ? { x: state.x + 1, y: state.y } : undefined,
      encode: (state: Counters, out: WordWriter) => out.push(state.x),
      decode: (input: WordReader) => ({ x: input.next(), y: 0 }),
    };
    const error = await auditedError(hidden);
    expect(error.message).toBe(
      'a state as the model built it and the same state decoded from its encoding have different successors: encode leaves out part of the state that matters ' +
        '(or the model changed a state after building it; states must not be mutated) (in action increment y, expanding a state at depth 1)',
    );
  });

  it('accepts honest models the comparison of built and decoded states must not flag', async () => {
    // A network with set semantics kept as a list: [1, 1] and [1] are one state, offering the receive once or twice.
    type Net = { readonly sent: number; readonly net: readonly number[]; readonly got: number };
    type NetAction = { readonly kind: 'send' } | { readonly kind: 'recv'; readonly m: number };
    const setNetwork: Model<Net, NetAction> = {
      name: 'set network',
      initialStates: () => [{ sent: 0, net: [], got: 0 }],
      actions: (state, out) => {
        if (state.sent < 2) out.push({ kind: 'send' });
        for (const m of state.net) out.push({ kind: 'recv', m });
      },
      nextState: (state, action) =>
        action.kind === 'send'
          ? { sent: state.sent + 1, net: [...state.net, 1], got: state.got }
          : { sent: state.sent, net: state.net.filter((m) => m !== action.m), got: Math.min(3, state.got + 1) },
      encode: (state, out) => {
        const set = [...new Set(state.net)].sort();
        out.push(state.sent);
        out.push(state.got);
        out.push(set.length);
        for (const m of set) out.push(m);
      },
      decode: (input) => {
        const sent = input.next();
        const got = input.next();
        const net: number[] = [];
        for (let n = input.next(); n > 0; n--) net.push(input.next());
        return { sent, net, got };
      },
      properties: [{ name: 'GotAtMostThree', kind: 'always', holds: (state) => state.got <= 3 }],
    };
    expect((await exploreBreadthFirst(setNetwork, { audit: true })).result.status).toBe('ok');
    // A terminal property that reads a field only terminal states have.
    type Run = { readonly n: number; readonly result?: readonly number[] };
    const terminalOnly: Model<Run, 'inc'> = {
      name: 'terminal only',
      initialStates: () => [{ n: 0 }],
      actions: (state, out) => {
        if (state.n < 3) out.push('inc');
      },
      nextState: (state) => (state.n + 1 === 3 ? { n: 3, result: [3] } : { n: state.n + 1 }),
      encode: (state, out) => out.push(state.n),
      decode: (input) => {
        const n = input.next();
        return n === 3 ? { n, result: [3] } : { n };
      },
      properties: [{ name: 'EndsAtThree', kind: 'terminal', holds: (state) => state.result![0] === 3 }],
    };
    expect((await exploreBreadthFirst(terminalOnly, { audit: true })).result.status).toBe('ok');
    // An assertion in nextState, past a state that already violates the property: the verdict stands.
    const asserting: Model<number, 'inc'> = {
      name: 'asserting',
      initialStates: () => [0],
      actions: (_state, out) => {
        out.push('inc');
      },
      nextState: (state) => {
        if (state > 3) throw new Error('unreachable: invariant broken');
        return state + 1;
      },
      encode: (state, out) => out.push(state),
      decode: (input) => input.next(),
      properties: [{ name: 'AtMostThree', kind: 'always', holds: (state) => state <= 3 }],
    };
    const audited = await exploreBreadthFirst(asserting, { audit: true });
    expect(audited.result.status).toBe('violation');
    expect(audited.result.violation?.property).toBe('AtMostThree');
  });

  it("compares a terminal property's verdicts only where the state has no successor but itself, as the explorer asks it", async () => {
    // h is left out of the encoding; the terminal property reads it. Built states have h true at
    // n = `hiddenAt`; decoded ones never. n = 2 has one successor, itself.
    type Flagged = { readonly n: number; readonly h: boolean };
    const flagged = (hiddenAt: number): Model<Flagged, 'inc' | 'stay'> => ({
      name: 'flagged',
      initialStates: () => [{ n: 0, h: false }],
      actions: (state, out) => {
        out.push(state.n < 2 ? 'inc' : 'stay');
      },
      nextState: (state, action) => (action === 'stay' ? state : { n: state.n + 1, h: state.n + 1 === hiddenAt }),
      encode: (state, out) => out.push(state.n),
      decode: (input) => ({ n: input.next(), h: false }),
      properties: [{ name: 'Unflagged', kind: 'terminal', holds: (state) => !state.h }],
    });
    const atTheEnd = await exploreBreadthFirst(flagged(2), { audit: true });
    expect(atTheEnd.result.status).toBe('error');
    expect(atTheEnd.result.error!.message).toBe(
      'property Unflagged fails on a state as the model built it and holds on the same state decoded from its encoding: encode leaves out part of the state that matters ' +
        '(or the model changed a state after building it; states must not be mutated) (in action "inc", expanding a state at depth 2)',
    );
    // At n = 1, whose successor is another state, the explorer never asks the terminal property.
    expect((await exploreBreadthFirst(flagged(1), { audit: true })).result.status).toBe('ok');
  });

  it('tells no successor from one successor that encodes to no words', async () => {
    // h, left out of the encoding, disables the only action of the built initial state; its
    // decoded copy offers it, and the successor (n = 1) encodes to no words.
    type Gated = { readonly n: number; readonly h: boolean };
    const gated: Model<Gated, 'go'> = {
      name: 'gated',
      initialStates: () => [{ n: 0, h: true }],
      actions: (state, out) => {
        if (state.n === 0 && !state.h) out.push('go');
      },
      nextState: () => ({ n: 1, h: false }),
      encode: (state, out) => {
        if (state.n !== 1) out.push(state.n);
      },
      decode: (input) => (input.atEnd() ? { n: 1, h: false } : { n: input.next(), h: false }),
      properties: [],
    };
    const { result } = await exploreBreadthFirst(gated, { audit: true });
    expect(result.status).toBe('error');
    expect(result.error!.message).toMatch(/^a state as the model built it and the same state decoded from its encoding have different successors: /);
  });

  it('refuses an encode that is not a function of the state', async () => {
    let calls = 0;
    const counting = { ...countersModel({ maxX: 1, maxY: 1 }), encode: (state: Counters, out: WordWriter) => (out.push(state.x), out.push(state.y), out.push(calls++)) };
    const error = await auditedError({ ...counting, decode: (input: WordReader) => ({ x: input.next(), y: (input.next() + input.next()) * 0 }) });
    expect(error.message).toBe(
      "encode gave two different encodings of an initial state (word 2 is 1 now, 0 the first time): encode is not a function of the state, or the state changed after it was built " +
        "(did nextState, or a history's next, change a state it was given? states must not be mutated) (while building the initial states)",
    );
  });

  it('accepts a symmetry whose representative is sound but not a function of the orbit', async () => {
    // Swapping when x is odd sends 1,3 to 3,1 and 3,1 to 1,3: not one representative per orbit
    // (allowed: the reduction stays sound). A decoded representative is encoded as it is, not
    // reduced again, so the audit does not take this for a lossy decode.
    const base = {
      ...countersModel({ maxX: 3, maxY: 3 }),
      symmetry: {
        sets: ['counters'],
        representative: (state: Counters) => (state.x % 2 === 1 ? { x: state.y, y: state.x } : state),
      },
    };
    const { result } = await exploreBreadthFirst(new SymmetryReduction(base, ['counters']), { audit: true });
    expect(result.status).toBe('ok');
    expect(result.statistics.audit!.collisions).toBe(0);
  });

  it('refuses, under an exact symmetry, a property that tells the members apart without declaring it', async () => {
    // Swapping x and y is a symmetry of the 2x2 counters, but "y stays below 2" is not symmetric:
    // reduced (the larger counter first), the search keeps (2,0) for (0,2) and misses the shortest way to fail.
    const yBelowTwo = { name: 'YBelowTwo', kind: 'always' as const, holds: (state: Counters) => state.y < 2 };
    const model = {
      ...countersModel({ maxX: 2, maxY: 2, properties: [yBelowTwo] }),
      symmetry: { sets: ['counters'], exact: true, representative: (state: Counters) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    };
    const { result } = await exploreBreadthFirst(new SymmetryReduction(model, ['counters']), { audit: true });
    expect(result.status).toBe('error');
    expect(result.error!.message).toMatch(
      /^the property YBelowTwo tells the counters apart: it (holds|fails) on a state and (holds|fails) on its representative; declare distinguishes: \['counters'\] on it \(--symmetry counters is then refused\), or make it treat them alike/,
    );
  });

  it('names, for a property only a joint renaming tells apart, every set it must declare', () => {
    expect(asymmetricPropertyMessage('P', ['acceptors', 'values'], true)).toBe(
      "the property P tells the acceptors and values apart: it holds on a state and fails on its representative; declare distinguishes: ['acceptors', 'values'] on it (--symmetry acceptors or values is then refused), or make it treat them alike",
    );
  });

  it('refuses a symmetry marked exact whose representative is not its own representative', async () => {
    // The larger counter first, but for the orbit of 1,2 and 2,1, whose states swap: each is the
    // other's representative, so the orbit could be kept, and counted, twice.
    const flipping = (state: Counters) => (state.x + state.y === 3 && state.x * state.y === 2 ? { x: state.y, y: state.x } : state.x < state.y ? { x: state.y, y: state.x } : state);
    const base = {
      ...countersModel({ maxX: 2, maxY: 2, initial: [{ x: 1, y: 2 }] }),
      symmetry: { sets: ['counters'], exact: true, representative: flipping },
    };
    const { result } = await exploreBreadthFirst(new SymmetryReduction(base, ['counters']), { audit: true });
    expect(result.status).toBe('error');
    expect(result.error!.message).toMatch(
      /^the symmetry over counters is marked exact, but a representative is not its own representative: an exact symmetry gives every state of an orbit the same representative \(unmark it, or make the representative canonical\)/,
    );
  });

  it('refuses a symmetry marked exact that is not one of the model: a state and its representative have other successors', async () => {
    // Swapping x and y is no symmetry when x runs to 2 and y to 1: (0,1) has one successor, (1,0) two.
    const swapping = (exact: boolean) => ({
      ...countersModel({ maxX: 2, maxY: 1 }),
      symmetry: { sets: ['counters'], exact, representative: (state: Counters) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    });
    const { result } = await exploreBreadthFirst(new SymmetryReduction(swapping(true), ['counters']), { audit: true });
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({
      code: 'model-contract',
      message:
        // A model not on the actors layer gets no advice about renameLocal.
        'the symmetry over counters is not one of the model: a state and its representative have different successors, up to renaming ' +
        '(in action increment y, expanding a state at depth 1)',
    });
    // The layer that built the model names the usual cause (the actors layer: renameLocal).
    const hinted = swapping(true);
    const withHint = { ...hinted, symmetry: { ...hinted.symmetry, breachHint: 'look here' } };
    const advised = await exploreBreadthFirst(new SymmetryReduction(withHint, ['counters']), { audit: true });
    expect(advised.result.error!.message).toMatch(/up to renaming \(look here\) \(in action increment y/);
    const actors = paxos.build(resolveParameters(paxos.parameters, {}));
    expect(actors.symmetry!.breachHint).toBe('a local state or message that names actors of a symmetric role needs renameLocal or renameMessage');
    // Not marked exact, its representative may be any state of the orbit: no such test.
    const unmarked = await exploreBreadthFirst(new SymmetryReduction(swapping(false), ['counters']), { audit: true });
    expect(unmarked.result.status).toBe('ok');
  });

  it('accepts a symmetry that is one, though a member has more actions with the same effect than another', async () => {
    // Swapping x and y is a symmetry of the 2x2 counters; a second action incrementing x only
    // changes how many actions lead to each successor, not which successors there are.
    const base = countersModel({ maxX: 2, maxY: 2 });
    const doubled = {
      ...base,
      actions: (state: Counters, out: CounterAction[]) => {
        base.actions(state, out);
        out.push('incX');
      },
      symmetry: { sets: ['counters'], exact: true, representative: (state: Counters) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    };
    const { result } = await exploreBreadthFirst(new SymmetryReduction(doubled, ['counters']), { audit: true });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(6);
  });

  it("refuses a model's own fingerprints when fingerprint() and fingerprintSuccessors disagree", async () => {
    const base = countersModel({ maxX: 2, maxY: 2 });
    const fingerprinting = selfFingerprinting(base, (state, action) => {
      const next = base.nextState(state, action);
      // Off by one once y has grown: the successors' fingerprints are not fingerprint()'s.
      return next && { high: next.x + 1, low: next.y + 1 + (next.y > 0 ? 1 : 0) };
    });
    // At a depth limit the successors are probed, not expanded: the breach is found there too,
    // not taken for a state the limit cut off.
    const allWrong = selfFingerprinting(base, (state, action) => {
      const next = base.nextState(state, action);
      return next && { high: next.x + 1, low: 7 };
    });
    const probed = await exploreBreadthFirst(allWrong, { audit: true, maxDepth: 1 });
    expect(probed.result.status).toBe('error');
    expect(probed.result.error!.message).toContain('as 0000000200000007 while exploring, but fingerprint() of that state gives 0000000200000001 (in action increment x');
    const error = await auditedError(fingerprinting);
    expect(error.message).toBe(
      `the model fingerprinted a successor as 0000000100000003 while exploring, but fingerprint() of that state gives 0000000100000002 (in action increment y, expanding a state at depth 1)`,
    );
  });

  describe('with a twin (a second instance of the model, built apart)', () => {
    /** The counters model whose y steps by `step(state)` in this instance. */
    const stepping = (step: (state: Counters) => number): Model<Counters, CounterAction> => {
      const base = countersModel({ maxX: 2, maxY: 6 });
      return { ...base, nextState: (state, action) => (action === 'incY' ? (state.y < 6 ? { x: state.x, y: Math.min(6, state.y + step(state)) } : undefined) : base.nextState(state, action)) };
    };

    it('passes a model whose two instances behave alike', async () => {
      const { result } = await exploreBreadthFirst(stepping(() => 1), { audit: true, auditTwin: stepping(() => 1) });
      expect(result.status).toBe('ok');
      expect(result.statistics.distinctStates).toBe(21);
    });

    it('finds a model that is not a function of its arguments, which one instance alone does not show', async () => {
      // Each instance keeps its first answer per state, as the actors layer keeps a handler's: a
      // model remembering what it drew repeats itself, so the plain audit finds nothing.
      const remembering = (draws: number[]): Model<Counters, CounterAction> => {
        const answers = new Map<string, number>();
        return stepping((state) => {
          const key = `${state.x},${state.y}`;
          if (!answers.has(key)) answers.set(key, draws.shift() ?? 1);
          return answers.get(key)!;
        });
      };
      expect((await exploreBreadthFirst(remembering([1, 1, 2]), { audit: true })).result.status).toBe('ok');
      const { result } = await exploreBreadthFirst(remembering([1, 1, 2]), { audit: true, auditTwin: remembering([1, 1, 1]) });
      expect(result.status).toBe('error');
      expect(result.error!.code).toBe('model-contract');
      expect(result.error!.message).toMatch(
        /^a second instance of the model, built from the same parameters, gives a state other successors than the first \(under increment y\): the model is not a function of its arguments \(its code uses randomness, the clock, or state kept between calls\) \(in action increment [xy], expanding a state at depth \d\)$/,
      );
    });

    it('finds a twin that throws where the model does not (saying what it threw), and one that offers other actions', async () => {
      const throwing = { ...stepping(() => 1), nextState: () => { throw new Error('no'); } };
      const thrown = await exploreBreadthFirst(stepping(() => 1), { audit: true, auditTwin: throwing });
      expect(thrown.result.error!.message).toMatch(/^a second instance of the model, built from the same parameters, throws expanding a state the first expands \(no at test\/unit\/explore\/contract-check\.test\.ts:\d+:\d+\): the model is not/);
      const undecodable = { ...stepping(() => 1), decode: () => { throw new RangeError('table has no entry 7'); } };
      const undecoded = await exploreBreadthFirst(stepping(() => 1), { audit: true, auditTwin: undecodable });
      expect(undecoded.result.error!.message).toMatch(/^a second instance of the model, built from the same parameters, throws decoding a state the first decodes \(table has no entry 7 at test\/unit\/explore\/contract-check\.test\.ts:\d+:\d+\): the model is not/);
      const base = stepping(() => 1);
      const fewer: Model<Counters, CounterAction> = { ...base, actions: (_state, out) => void out.push('incX') };
      const offered = await exploreBreadthFirst(stepping(() => 1), { audit: true, auditTwin: fewer });
      expect(offered.result.error!.message).toMatch(
        /^a second instance of the model, built from the same parameters, gives a state other successors than the first \(the second offers 1 action there, the first 2 actions\): the model is not/,
      );
    });

    it('finds a twin with other initial states, or whose property gives another verdict', async () => {
      const startingAt = (y: number): Model<Counters, CounterAction> => ({ ...stepping(() => 1), initialStates: () => [{ x: 0, y }] });
      const initial = await exploreBreadthFirst(startingAt(0), { audit: true, auditTwin: startingAt(3) });
      expect(initial.result.error!.message).toMatch(
        /^a second instance of the model, built from the same parameters, has other initial states than the first: the model is not a function of its arguments \(its code uses randomness, the clock, or state kept between calls\) \(while building the initial states\)$/,
      );
      const judging = (limit: number): Model<Counters, CounterAction> => ({ ...stepping(() => 1), properties: [{ name: 'Low', kind: 'always', holds: (state) => state.y < limit }] });
      const verdict = await exploreBreadthFirst(judging(9), { audit: true, auditTwin: judging(4) });
      expect(verdict.result.error!.message).toMatch(/^a second instance of the model, built from the same parameters, says Low fails on a state where the first says it holds: the model is not/);
      expect((await exploreBreadthFirst(judging(9), { audit: true, auditTwin: judging(9) })).result.status).toBe('ok');
    });
  });
});
