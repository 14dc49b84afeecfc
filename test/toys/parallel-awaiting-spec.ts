/**
 * The counters toy as a spec module with top-level await, which esbuild cannot bundle into the
 * CommonJS script a parallel worker normally starts from: workers fall back to importing it
 * through tsx (a test of that fallback).
 */
import { counters } from './parallel-specs.ts';

await Promise.resolve();

export default counters;
