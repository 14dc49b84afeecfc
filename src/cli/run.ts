/** Process wiring for the `synod` command: argv, stdout/stderr, Ctrl-C, exit status. */
import { main } from './main.ts';
// Installed by the launcher before anything else loaded (see interrupt.mjs); a run that imports
// this module directly gets the handlers here.
import { interruption } from './interrupt.mjs';

// A reader that stops reading (`synod check ... --json | head -1`) closes the pipe: the next write
// fails with EPIPE, which Node reports as an unhandled error with a stack trace. Without stderr the
// run goes on (progress is all it would have written) and ends with its status; without stdout
// there is no one to give the result to, so the command ends there, with its status if it has
// one, or 141 (as a process ended by SIGPIPE) if not: never 0, which says every property holds.
let stderrOpen = true;
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  stderrOpen = false;
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 141);
});

const status = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => {
    if (stderrOpen) process.stderr.write(`${text}\n`);
  },
  signal: interruption.signal,
});
process.exitCode = status;
