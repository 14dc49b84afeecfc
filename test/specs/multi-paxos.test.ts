import { describe, expect, it } from 'vitest';
import multiPaxos, { chosenEntries, type Acceptor } from '../../specs/multi-paxos.ts';
import multiPaxosNoAdopt from '../../specs/bugs/multi-paxos-no-adopt.ts';
import paxos from '../../specs/paxos.ts';
import type { SystemState } from '../../src/actors/system.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel } from '../../src/check.ts';
import { checkSpec, counts } from './helpers.ts';

/** 3 acceptors, 2 proposers with 1 round each (ballots 1 and 2: one leader change), 2 slots. */
const small = { acceptors: 3, proposers: 2, rounds: 1, slots: 2, learners: 0 };

const witnessed = (report: Awaited<ReturnType<typeof checkSpec>>, name: string) =>
  report.result.properties.find((property) => property.name === name)?.witnessed;

describe('Multi-Paxos: every property holds', () => {
  it('the defaults are the small configuration: 3 acceptors, 2 proposers, 1 round, 2 slots, no learners', () => {
    expect(resolveParameters(multiPaxos.parameters, {})).toEqual({ ...small, network: 'bag', crashes: 0, ignored: 'prune' });
  });

  it('two would-be leaders, two slots, no learners: exact counts, AllSlotsChosen witnessed', async () => {
    const report = await checkSpec(multiPaxos, small);
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 164_025, transitions: 546_570, depth: 25 });
    expect(report.result.properties.map((property) => [property.name, property.kind])).toEqual([
      ['SlotAgreement', 'always'],
      ['LogAgreement', 'always'],
      ['AllSlotsChosen', 'sometimes'],
    ]);
    expect(witnessed(report, 'AllSlotsChosen')).toBe(true);
  });

  it('with one slot and a learner it is classic Paxos: the same counts as specs/paxos.ts', async () => {
    const report = await checkSpec(multiPaxos, { ...small, slots: 1, learners: 1 });
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 33_489, transitions: 111_255, depth: 25 });
    expect(witnessed(report, 'AllSlotsChosen')).toBe(true);
    const classic = await checkSpec(paxos, { acceptors: 3, proposers: 2, rounds: 1, learners: 1 });
    expect(counts(classic)).toEqual(counts(report));
  });

  it('a stable leader (one proposer): every property holds with one and with two learners', async () => {
    const one = await checkSpec(multiPaxos, { ...small, proposers: 1, learners: 1 });
    expect(counts(one)).toEqual({ status: 'ok', distinctStates: 4_395, transitions: 17_788, depth: 19 });
    expect(witnessed(one, 'AllSlotsChosen')).toBe(true);
    const two = await checkSpec(multiPaxos, { ...small, proposers: 1, learners: 2 });
    expect(counts(two)).toEqual({ status: 'ok', distinctStates: 93_771, transitions: 564_424, depth: 25 });
    expect(witnessed(two, 'AllSlotsChosen')).toBe(true);
  });

  it('a stable leader with three slots and a learner', async () => {
    const report = await checkSpec(multiPaxos, { ...small, proposers: 1, slots: 3, learners: 1 });
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 118_119, transitions: 710_824, depth: 25 });
    expect(witnessed(report, 'AllSlotsChosen')).toBe(true);
  });

  it('symmetry over acceptors: the same verdict, and the orbits add up to the unreduced count', async () => {
    const model = multiPaxos.build(resolveParameters(multiPaxos.parameters, small));
    const { result } = await checkModel(model, { symmetry: ['acceptors'] });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(28_101);
    expect(result.symmetry?.unreducedStates).toBe(164_025);
    expect(result.properties.every((property) => property.holds && property.witnessed)).toBe(true);
  });

  it('symmetry over acceptors and learners together: the orbits add up to the unreduced count', async () => {
    const parameters = { ...small, proposers: 1, learners: 2 };
    const plain = await checkSpec(multiPaxos, parameters);
    expect(plain.result.statistics.distinctStates).toBe(93_771);
    const model = multiPaxos.build(resolveParameters(multiPaxos.parameters, parameters));
    const { result } = await checkModel(model, { symmetry: ['acceptors', 'learners'] });
    expect(result.status).toBe(plain.result.status);
    expect(result.statistics.distinctStates).toBe(8_610);
    expect(result.symmetry?.unreducedStates).toBe(93_771);
  });

  it('the largest configuration builds: its messages, with sender and receiver, fit in 52 bits', async () => {
    const largest = { acceptors: 5, proposers: 3, rounds: 3, slots: 3, learners: 2 };
    const model = multiPaxos.build(resolveParameters(multiPaxos.parameters, largest));
    const { result } = await checkModel(model, { maxStates: 2_000 });
    expect(result.status).toBe('incomplete');
    expect(() => resolveParameters(multiPaxos.parameters, { slots: 4 })).toThrow(/'slots' must be between 1 and 3/);
  });
});

describe('multi-paxos-no-adopt: a new leader that adopts reported values for slot 0 only', () => {
  it('violates SlotAgreement after 14 steps, with two values chosen for one slot in the last state', async () => {
    const { result, counterexample } = await checkSpec(multiPaxosNoAdopt, small);
    expect(result.status).toBe('violation');
    expect(result.violation?.property).toBe('SlotAgreement');
    expect(counterexample!.steps.length - 1).toBe(14);
    const last = counterexample!.steps.at(-1)!.state as SystemState;
    // Actors are numbered proposers first, then acceptors.
    const acceptors = last.locals.slice(small.proposers, small.proposers + small.acceptors) as Acceptor[];
    const chosen = chosenEntries(acceptors, 2);
    const valuesOfSlot1 = new Set(chosen.filter((entry) => entry.slot === 1).map((entry) => entry.value));
    expect([...valuesOfSlot1].sort()).toEqual([1, 2]);
    expect(chosen.filter((entry) => entry.slot === 0)).toEqual([]);
  });

  it('still yields a 14-step counterexample under symmetry over acceptors', async () => {
    const model = multiPaxosNoAdopt.build(resolveParameters(multiPaxosNoAdopt.parameters, small));
    const { result, counterexample } = await checkModel(model, { symmetry: ['acceptors'] });
    expect(result.violation?.property).toBe('SlotAgreement');
    expect(counterexample!.steps.length - 1).toBe(14);
  });

  it('is harmless with a one-slot log: the same state space as correct Multi-Paxos', async () => {
    const broken = await checkSpec(multiPaxosNoAdopt, { ...small, slots: 1 });
    expect(counts(broken)).toEqual({ status: 'ok', distinctStates: 4_761, transitions: 12_306, depth: 19 });
    expect(counts(await checkSpec(multiPaxos, { ...small, slots: 1 }))).toEqual(counts(broken));
  });
});
