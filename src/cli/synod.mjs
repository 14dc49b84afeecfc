#!/usr/bin/env node
// Launcher for the `synod` command: registers tsx so the CLI and the user's .ts specs run from
// source, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./run.ts');
