/** Process wiring for the `synod` command: argv, stdout/stderr, Ctrl-C, exit status. */
import { main } from './main.ts';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // The first Ctrl-C stops the run and prints the statistics so far; a second one exits at once.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
});

const status = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  signal: controller.signal,
});
process.exitCode = status;
