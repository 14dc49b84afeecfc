/**
 * The seed's own scenario: proposer 1 gets its value ("hello", here v1) accepted under ballot 1;
 * proposer 2 then prepares with a higher ballot, learns the accepted value from a promise, and
 * must propose "hello" rather than its own value.
 */
import { describe, expect, it } from 'vitest';
import paxos from '../../specs/paxos.ts';
import { resolveParameters } from '../../src/parameters.ts';

describe("the seed's example on classic Paxos", () => {
  it('a proposer that hears of an accepted value proposes it', () => {
    const model = paxos.build(resolveParameters(paxos.parameters, { proposers: 2, rounds: 1 }));
    let state = model.initialStates()[0]!;
    const take = (text: string) => {
      const actions: number[] = [];
      model.actions(state, actions);
      const texts = actions.map((action) => model.formatAction!(state, action));
      const index = texts.indexOf(text);
      expect(index, `'${text}' is not enabled; enabled: ${texts.join(' | ')}`).toBeGreaterThanOrEqual(0);
      state = model.nextState(state, actions[index]!)!;
    };
    const network = () => model.describeState!(state).network as string[];

    take('p1 starts round 1 with ballot 1');
    for (const acceptor of ['a1', 'a2', 'a3']) take(`${acceptor} receives Prepare(b=1) from p1`);
    take('p1 receives Promise(b=1, accepted=none) from a1');
    take('p1 receives Promise(b=1, accepted=none) from a2');
    expect(network()).toContain('p1->a1: Accept(b=1, v1)');
    take('a1 receives Accept(b=1, v1) from p1');
    take('a2 receives Accept(b=1, v1) from p1');
    // "hello" is now chosen: accepted by a majority at ballot 1.
    expect(model.properties.find((property) => property.name === 'ValueChosen')!.holds(state)).toBe(true);

    take('p2 starts round 1 with ballot 2');
    take('a2 receives Prepare(b=2) from p2');
    take('a3 receives Prepare(b=2) from p2');
    take('p2 receives Promise(b=2, accepted=none) from a3');
    const accepts = () => network().filter((message) => message.startsWith('p2->') && message.includes('Accept('));
    expect(accepts()).toEqual([]);
    take('p2 receives Promise(b=2, accepted=(1,v1)) from a2');
    const proposals = accepts();
    expect(proposals).toEqual(['p2->a1: Accept(b=2, v1)', 'p2->a2: Accept(b=2, v1)', 'p2->a3: Accept(b=2, v1)']);
    for (const property of model.properties.filter((candidate) => candidate.kind === 'always')) {
      expect(property.holds(state), property.name).toBe(true);
    }
  });
});
