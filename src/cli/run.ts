/** Process wiring for the `synod` command: argv, stdout/stderr, Ctrl-C, exit status. */
import { main } from './main.ts';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // The first Ctrl-C stops the run and prints the statistics so far; a second one exits at once.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
});

// A reader that stops reading (`synod check ... --json | head -1`) closes the pipe: the next write
// fails with EPIPE, which Node reports as an unhandled error with a stack trace. There is no one
// left to write to, so the command ends there, with its status if it has one.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const status = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  signal: controller.signal,
});
process.exitCode = status;
