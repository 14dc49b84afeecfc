import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { commandLine } from '../../../src/cli/check-command.ts';
import { commandText } from '../../../src/cli/experiment-flags.ts';
import { countersModel } from '../../toys/counters.ts';

/** The words a POSIX shell makes of a command line. */
function wordsOf(line: string): string[] {
  const run = spawnSync('sh', ['-c', `for word in ${line}; do printf '%s\\n' "$word"; done`], { encoding: 'utf8' });
  return run.stdout.trimEnd().split('\n');
}

describe('command lines that files and results record', () => {
  it('quote what a shell would split or expand, so that the line runs as given (an emitted test header, a sweep record)', () => {
    const source = { specPath: 'my specs/x.ts', specName: 'x', parameters: { mode: 'a b', count: 3, name: "it's" }, model: countersModel({ maxX: 1, maxY: 1 }), command: 'synod check' };
    const line = commandLine(source);
    expect(line).toBe("synod check 'my specs/x.ts' --mode 'a b' --count 3 --name 'it'\\''s'");
    expect(wordsOf(line.replace(/^synod check /, ''))).toEqual(['my specs/x.ts', '--mode', 'a b', '--count', '3', '--name', "it's"]);
    expect(commandText('sweep', ['specs/paxos.ts', '--grid', 'acceptors=3..4,network=bag|dup'])).toBe("synod sweep specs/paxos.ts --grid 'acceptors=3..4,network=bag|dup'");
  });
});
