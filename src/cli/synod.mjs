#!/usr/bin/env node
// Launcher for the `synod` command: registers TypeScript support (tsx, with every user .ts file an
// ES module) so the CLI and the user's .ts specs run from source, with no build step. Signals are
// handled from the start (interrupt.mjs), before that support loads.
import './interrupt.mjs';
import { registerTypeScript } from '../typescript-loader.mjs';

registerTypeScript();
await import('./run.ts');
