#!/usr/bin/env node
// Launcher for the `synod` command: registers TypeScript support (tsx, with every user .ts file an
// ES module) so the CLI and the user's .ts specs run from source, with no build step. Signals are
// handled first (interrupt.mjs); TypeScript support is imported after, not statically, because a
// static import would load tsx (a tenth of a second) before the handlers exist.
import './interrupt.mjs';

const { registerTypeScript } = await import('../typescript-loader.mjs');
registerTypeScript();
await import('./run.ts');
