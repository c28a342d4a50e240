#!/usr/bin/env node
// `npm test`: the two vitest projects side by side, in two processes. The temporal project runs its
// files one at a time and keeps one core busy on average (measured: 690 CPU-seconds in 690 s on two
// cores), so the unit project takes the other core with one worker, at a low CPU priority,
// instead of running after it.
// The temporal project's output streams; the unit project's is printed whole when it ends.
// With arguments (`npm test -- test/x.test.ts`), it is plain `vitest run <arguments>`.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import process from 'node:process';

const VITEST = 'node_modules/vitest/vitest.mjs';
const args = process.argv.slice(2);
const children = [];

function start(vitestArgs, capture, env = {}, background = false) {
  const child = spawn(process.execPath, [VITEST, 'run', ...vitestArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
  });
  // A low CPU priority (nice 10), inherited by its workers and the processes they start: the
  // temporal project's simulated days get the CPU first when both want it (side by side at equal
  // priority, a spec with 1.5 s of slack missed it).
  if (background && child.pid) setPriority(child.pid, 10);
  children.push(child);
  let output = '';
  if (capture) {
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
  }
  return new Promise((resolve) => {
    child.on('error', (err) => resolve({ code: 1, output: `${output}${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const c of children) c.kill(signal);
  });

if (args.length > 0) {
  process.exitCode = (await start(args, false)).code;
} else {
  const temporal = start(['--project', 'temporal'], false);
  const unit = start(['--project', 'unit'], true, { CATALYST_UNIT_WORKERS: '1' }, true).then((r) => {
    process.stdout.write(
      `\n──── unit project (${r.code === 0 ? 'passed' : 'FAILED'}) ────\n${r.output}\n────\n`,
    );
    return r;
  });
  const results = await Promise.all([temporal, unit]);
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
}
