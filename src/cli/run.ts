/** Process wiring for the `synod` command: argv, stdout/stderr, Ctrl-C, exit status. */
import { main } from './main.ts';
// Installed by the launcher before anything else loaded (see interrupt.mjs); a run that imports
// this module directly gets the handlers here.
import { endStuckRunAfter, interruption, secondInterrupt } from './interrupt.mjs';
import { exitProcess, guardProcessFromSpecs, writeStdout } from '../process-guards.ts';
import { specBeingImported } from './load-spec.ts';

guardProcessFromSpecs();

// A reader that stops reading (`synod check ... --json | head -1`) closes the pipe: the next write
// fails with EPIPE, which Node reports as an unhandled error with a stack trace. Without stderr the
// run goes on (progress is all it would have written) and ends with its status; without stdout
// there is no one to give the result to, so the command ends there, with its status if it has
// one, or 141 (as a process ended by SIGPIPE) if not: never 0, which says every property holds.
// Any other failure to write (a full disk: ENOSPC) is treated alike for stderr, and for stdout
// ends the command with one line on stderr and status 2: the result was not delivered.
let stderrOpen = true;
process.stderr.on('error', () => {
  stderrOpen = false;
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') exitProcess(Number(process.exitCode ?? 141));
  if (stderrOpen) process.stderr.write(`synod: error [cannot-write]: cannot write the result to stdout: ${error.message}\n`);
  exitProcess(2);
});

let finished = false;
// Node ends a process whose event loop is empty while a top-level await is pending with status
// 13 and no word: what synod awaited never settled (a spec whose top-level code awaits forever).
process.on('exit', () => {
  if (finished || process.exitCode !== 13) return;
  if (stderrOpen) {
    const spec = specBeingImported();
    process.stderr.write(`synod: error [spec-load-failed]: the spec ${spec === undefined ? '' : `${spec} `}never finished loading: its top-level code awaits something that never settles\n`);
  }
  process.exitCode = 2;
});

const status = await main(process.argv.slice(2), {
  stdout: (text) => writeStdout(`${text}\n`),
  stderr: (text) => {
    if (stderrOpen) process.stderr.write(`${text}\n`);
  },
  signal: interruption.signal,
  secondInterrupt,
  endStuckRunAfter,
});
finished = true;
process.exitCode = status;
