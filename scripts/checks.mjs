#!/usr/bin/env node
// `npm test`'s checks before the tests — type check, lint, formatting — side by side: each is one
// process mostly on one core, and one after another they took ~50 s of a CI run. Each one's output
// is printed whole once it ends; the exit code is non-zero when any failed.
import { spawn } from 'node:child_process';
import process from 'node:process';

const CHECKS = [
  ['type check', 'typescript/bin/tsc', ['--noEmit']],
  ['lint', 'eslint/bin/eslint.js', ['.', '--max-warnings', '0']],
  ['formatting', 'prettier/bin/prettier.cjs', ['--check', '.', '--log-level', 'warn']],
];

const run = ([name, script, args]) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [`node_modules/${script}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ name, code: 1, output: `${err.message}\n`, ms: 0 }));
    child.on('close', (code) => resolve({ name, code: code ?? 1, output, ms: Date.now() - started }));
  });

const results = await Promise.all(CHECKS.map(run));
for (const r of results) {
  process.stdout.write(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)} s)\n`);
  if (r.output.trim()) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
