import { describe, expect, it } from 'vitest';
import { trackHistory } from '../../../src/explore/history.ts';
import { PropertyChecker } from '../../../src/explore/visit.ts';
import { checkModel } from '../../../src/check.ts';
import { buildModel } from '../../../src/cli/check-command.ts';
import { selectProperties } from '../../../src/explore/select-properties.ts';
import type { Property } from '../../../src/model.ts';
import { countersFigures, countersModel, type Counters } from '../../toys/counters.ts';

/**
 * A property of the past the counters forget: x was incremented while y was still 0, at least
 * twice. The history is one number, that count (capped at 2).
 */
const earlyX: Property<Counters> = {
  name: 'EarlyX',
  kind: 'sometimes',
  optional: true,
  history: {
    initial: () => [0],
    next: (history, from, to) => (to.x > from.x && to.y === 0 && history[0]! < 2 ? [history[0]! + 1] : history),
    describe: (history) => ({ early: history[0] }),
  },
  holds: (state, history) => history![0] === 2 && state.y === 2,
  explain: (_state, history) => `x rose ${history![0]} times while y was 0`,
};
const yReached: Property<Counters> = { name: 'YReached', kind: 'sometimes', holds: (state) => state.y === 2 };

describe('trackHistory', () => {
  it('returns the model itself when no property declares a history', () => {
    const model = countersModel({ maxX: 2, maxY: 2, properties: [yReached] });
    expect(trackHistory(model)).toBe(model);
  });

  it('tracks a declared history: states that differ only in their past become different states', async () => {
    const never: Property<Counters> = { name: 'Never', kind: 'sometimes', holds: () => false };
    const model = countersModel({ maxX: 2, maxY: 2, properties: [yReached, earlyX, never] });
    // Without the history: the 9 states of the 3x3 grid. With it, (x, y) with y > 0 may have
    // come with 0, 1 or 2 early increments of x (at most x of them): 3 + (1 + 2 + 3) * 2 = 15.
    const plain = await checkModel(model, { properties: ['Never'] });
    expect(plain.result.statistics.distinctStates).toBe(countersFigures(2, 2).distinctStates);
    const all = await checkModel(model, { properties: ['EarlyX', 'Never'] });
    expect(all.result.settledEarly).toBeUndefined();
    expect(all.result.statistics.distinctStates).toBe(15);
    const tracked = await checkModel(model, { properties: ['YReached', 'EarlyX'] });
    expect(tracked.result.status).toBe('ok');
    expect(tracked.result.settledEarly).toBe(true);
    const witness = tracked.witnesses!.find((entry) => entry.property === 'EarlyX')!.trace;
    expect(witness.steps.map((step) => step.actionText ?? 'initial')).toEqual(['initial', 'increment x', 'increment x', 'increment y', 'increment y']);
    expect(tracked.model.describeState!(witness.steps.at(-1)!.state)).toEqual({ x: 2, y: 2, early: 2 });
  });
});

describe('a history that is not a list of 32-bit integers', () => {
  const counting = (next: (count: number) => unknown, initial: unknown = [0]): Property<Counters> => ({
    name: 'FewSteps',
    kind: 'always',
    history: { initial: () => initial as number[], next: (history) => next(history[0]!) as number[] },
    holds: (_state, history) => history![0]! < 3,
  });
  const run = (property: Property<Counters>) => checkModel(countersModel({ maxX: 3, maxY: 3, properties: [property] }));

  it('is an error naming the property and the value, where its words would have held another number (NaN as 0)', async () => {
    const cases: [Property<Counters>, string][] = [
      [counting((count) => [count === 1 ? Number.NaN : count + 1]), "property FewSteps's history: next gave NaN at index 0 (a history holds 32-bit signed integers)"],
      [counting((count) => [count + 0.5]), "property FewSteps's history: next gave 0.5 at index 0 (a history holds 32-bit signed integers)"],
      [counting((count) => [count + 2 ** 32]), "property FewSteps's history: next gave 4294967296 at index 0 (a history holds 32-bit signed integers)"],
      [counting((count) => [String(count)]), 'property FewSteps\'s history: next gave "0" at index 0 (a history holds 32-bit signed integers)'],
      [counting(() => undefined), "property FewSteps's history: next gave undefined, not a list of numbers"],
    ];
    for (const [property, message] of cases) {
      const { result } = await run(property);
      expect(result.status).toBe('error');
      expect(result.error!.message.startsWith(message)).toBe(true);
    }
    const initial = await run(counting((count) => [count + 1], [Number.NaN]));
    expect(initial.result.error!.message.startsWith("property FewSteps's history: initial gave NaN at index 0")).toBe(true);
  });

  it('judged on the numbers the spec gave: a history of integers finds the violation', async () => {
    const { result } = await run(counting((count) => [count + 1]));
    expect(result.status).toBe('violation');
    expect(result.violation!.property).toBe('FewSteps');
  });
});

describe('trackHistory with symmetry', () => {
  it("keeps the base symmetry's set sizes and exactness (what --audit's symmetry check asks for): a one-member set is left out", async () => {
    const { default: spec } = await import('../../../specs/paxos.ts');
    const model = buildModel(spec, { rounds: 2 }).model;
    const tracked = trackHistory(selectProperties(model, ['duel']));
    expect(tracked).not.toBe(model);
    expect(tracked.symmetry!.sizes).toEqual(model.symmetry!.sizes);
    expect(tracked.symmetry!.exact).toBe(true);
    const reduced = await checkModel(model, { properties: ['duel'], symmetry: ['acceptors', 'learners'] });
    // One learner: the learners are no set to rename, as without the history.
    expect(reduced.result.symmetry?.sets).toEqual(['acceptors']);
    // And an audited run of it, its symmetry checked as exact, passes.
    const small = buildModel(spec, { rounds: 2, acceptors: 2 }).model;
    const audited = await checkModel(small, { properties: ['duel'], symmetry: ['acceptors'], audit: true });
    expect(audited.result.status).toBe('ok');
  });
});

describe('PropertyChecker.settled', () => {
  const seven: Property<number> = { name: 'Seven', kind: 'sometimes', holds: (n) => n === 7 };
  const small: Property<number> = { name: 'Small', kind: 'always', holds: (n) => n < 10 };

  it('is true once every property is a witnessed sometimes property, never with an always property', () => {
    const only = new PropertyChecker([seven]);
    only.checkNew(1, 0);
    expect(only.settled).toBe(false);
    only.checkNew(7, 1);
    expect(only.settled).toBe(true);
    const mixed = new PropertyChecker([seven, small]);
    mixed.checkNew(7, 0);
    expect(mixed.settled).toBe(false);
    expect(new PropertyChecker<number>([]).settled).toBe(false);
  });
});
