/**
 * The actors layer's fast paths against the plain model contract, on every reachable state of
 * small configurations of each network semantics and fault mode: `encodeSuccessor` writes what
 * `encode(nextState(...))` writes, `fingerprintSuccessors` gives what `fingerprint(nextState(...))`
 * gives, and both agree whether the state was just decoded (the explorers' case, using remembered
 * steps and the parent's fingerprint) or built some other way (computed from scratch).
 */
import { describe, expect, it } from 'vitest';
import { SuccessorFingerprints, WordReader, WordWriter, type AnyModel, type AnySpec } from '../../../src/model.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import { checkModel } from '../../../src/check.ts';
import paxos from '../../../specs/paxos.ts';
import multiPaxos from '../../../specs/multi-paxos.ts';
import amnesia from '../../../specs/bugs/amnesia.ts';
import minorityQuorum from '../../../specs/bugs/minority-quorum.ts';

interface Case {
  readonly name: string;
  readonly spec: AnySpec;
  readonly parameters: Record<string, string | number>;
}

const CASES: readonly Case[] = [
  { name: 'bag', spec: paxos, parameters: { proposers: 2, rounds: 1 } },
  { name: 'dup', spec: paxos, parameters: { proposers: 2, rounds: 1, network: 'dup' } },
  { name: 'lossy', spec: paxos, parameters: { proposers: 1, rounds: 2, network: 'lossy' } },
  { name: 'consume', spec: paxos, parameters: { proposers: 2, rounds: 1, ignored: 'consume' } },
  { name: 'durable crashes', spec: paxos, parameters: { proposers: 1, rounds: 2, crashes: 2 } },
  { name: 'amnesia', spec: amnesia, parameters: { proposers: 2, rounds: 1, learners: 0 } },
  { name: 'multi-paxos', spec: multiPaxos, parameters: { proposers: 1, slots: 2 } },
];

const LIMIT = 2000;

function encodingOf(model: AnyModel, state: unknown): Int32Array {
  const writer = new WordWriter();
  model.encode(state, writer);
  return writer.view().slice();
}

function fingerprintOf(model: AnyModel, state: unknown): [number, number] {
  const out = { high: 0, low: 0 };
  model.fingerprint!(state, out);
  return [out.high, out.low];
}

describe('actors layer fast paths', () => {
  for (const { name, spec, parameters } of CASES) {
    it(`agree with encode and nextState on every transition (${name})`, () => {
      const model = spec.build(resolveParameters(spec.parameters, parameters)) as AnyModel;
      expect(model.encodeSuccessor).toBeTypeOf('function');
      expect(model.fingerprintSuccessors).toBeTypeOf('function');
      const seen = new Map<string, [number, number]>();
      const queue: Int32Array[] = [];
      for (const state of model.initialStates()) {
        const words = encodingOf(model, state);
        seen.set(words.join(','), fingerprintOf(model, state));
        queue.push(words);
      }
      const writer = new WordWriter();
      const successors = new SuccessorFingerprints();
      const fromScratch = new SuccessorFingerprints();
      const actions: unknown[] = [];
      let transitions = 0;
      let disabled = 0;
      let prunedAsked = 0;
      const mismatches: string[] = [];
      while (queue.length > 0 && seen.size < LIMIT) {
        const words = queue.shift()!;
        // As the explorers do, decode with the fingerprint the state was met with (every other
        // state; the rest without); a fingerprint reported as (0, 1) is ambiguous and ignored.
        const known = seen.get(words.join(','))!;
        const hint = [{ high: known[0], low: known[1] }, undefined, { high: 0, low: 1 }][seen.size % 3];
        const state = model.decode(new WordReader(words), hint);
        // A decoded state's fingerprint is the one its encoding had when it was met.
        if (fingerprintOf(model, state).join(':') !== seen.get(words.join(','))!.join(':')) mismatches.push(`decoded ${words.join(',')}`);
        actions.length = 0;
        model.actions(state, actions);
        // Ask the fast paths first, in the explorers' order, before nextState is ever called.
        successors.reserve(actions.length);
        model.fingerprintSuccessors!(state, actions, successors);
        // The same successors from a state that was not just decoded: computed from scratch.
        fromScratch.reserve(actions.length);
        model.fingerprintSuccessors!({ ...(state as object) }, actions, fromScratch);
        for (let index = 0; index < actions.length; index++) {
          const action = actions[index]!;
          const enabledByFingerprint = (successors.high[index]! | successors.low[index]!) !== 0;
          const fingerprint = `${successors.high[index]! >>> 0}:${successors.low[index]! >>> 0}`;
          if (`${fromScratch.high[index]! >>> 0}:${fromScratch.low[index]! >>> 0}` !== fingerprint) {
            mismatches.push(`from scratch differs at ${words.join(',')}`);
          }
          writer.reset();
          const enabledByEncoding = model.encodeSuccessor!(state, action, writer);
          const fastWords = writer.view().join(',');
          const next = model.nextState(state, action);
          if (enabledByFingerprint !== (next !== undefined) || enabledByEncoding !== (next !== undefined)) {
            mismatches.push(`enabled differs at ${words.join(',')} action ${String(action)}`);
          }
          if (next === undefined) {
            disabled++;
            continue;
          }
          transitions++;
          const nextWords = encodingOf(model, next);
          const key = nextWords.join(',');
          if (fastWords !== key) mismatches.push(`encodeSuccessor differs at ${words.join(',')} action ${String(action)}`);
          if (fingerprint !== fingerprintOf(model, next).join(':')) {
            mismatches.push(`fingerprintSuccessors differs at ${words.join(',')} action ${String(action)}`);
          }
          const known = seen.get(key);
          if (known) {
            if (known.join(':') !== fingerprint) mismatches.push(`two fingerprints for ${key}`);
          } else {
            seen.set(key, fingerprintOf(model, next));
            queue.push(nextWords);
          }
        }
        // Deliveries not offered (pruned, or a second copy of a message): the fast path agrees
        // with nextState on whether each is enabled, and marks a disabled one with 0 and 0.
        const network = (state as { network: number[] }).network;
        for (let position = 0; position <= network.length; position++) {
          const delivery = position * 4;
          if (actions.includes(delivery)) continue;
          model.fingerprintSuccessors!(state, [delivery], successors);
          const enabled = (successors.high[0]! | successors.low[0]!) !== 0;
          if (enabled !== (model.nextState(state, delivery) !== undefined)) mismatches.push(`delivery ${position} at ${words.join(',')}`);
          if (!enabled) prunedAsked++;
        }
      }
      expect(mismatches.slice(0, 3)).toEqual([]);
      expect(transitions).toBeGreaterThan(100);
      expect(prunedAsked).toBeGreaterThan(0);
      // Distinct encodings have distinct fingerprints here.
      expect(new Set([...seen.values()].map((pair) => pair.join(':'))).size).toBe(seen.size);
      // Deliveries the handler ignores are pruned by not being offered: every action offered is enabled.
      expect(disabled).toBe(0);
    });
  }

  it('gives a multiset of messages the same fingerprint whatever order it was built in', () => {
    const model = paxos.build(resolveParameters(paxos.parameters, { proposers: 2, rounds: 1 })) as AnyModel;
    const [initial] = model.initialStates() as { locals: unknown[]; network: number[]; down: number; crashes: number }[];
    const first = { ...initial!, network: [5, 7, 7, 9] };
    const second = { ...initial!, locals: [...initial!.locals], network: [5, 7, 7, 9] };
    const fewer = { ...initial!, network: [5, 7, 9] };
    expect(fingerprintOf(model, first)).toEqual(fingerprintOf(model, second));
    expect(fingerprintOf(model, first)).not.toEqual(fingerprintOf(model, fewer));
  });

  it('gives the same search and replay when a model offers only one of the fingerprint methods (then none is used)', async () => {
    const parameters = resolveParameters(minorityQuorum.parameters, { proposers: 2, rounds: 1 });
    const full = await checkModel(minorityQuorum.build(parameters) as AnyModel);
    const half = Object.create(minorityQuorum.build(parameters), { fingerprintSuccessors: { value: undefined } }) as AnyModel;
    const report = await checkModel(half);
    expect(report.result.status).toBe('violation');
    expect(report.result.statistics.distinctStates).toBe(full.result.statistics.distinctStates);
    // The counterexample is rebuilt by replay, which checks every step's fingerprint against the search.
    expect(report.counterexample!.steps.length).toBe(full.counterexample!.steps.length);
  });
});
