/**
 * `catalyst sim` in a process of its own, through the real binary, as a user starts it: on a free
 * port of 127.0.0.1, resolved once it prints that it serves. Shared by the tests and benches that
 * need the simulator as a separate program (its own memory, its own Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './freePort';

const PROJECT_DIR = resolve(import.meta.dirname, '../..');

export interface CatalystSimProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Settles when the process has exited. */
  exited: Promise<void>;
}

/** Starts `catalyst sim --port <free> <args…>`; rejects with its output if it exits first. */
export async function startCatalystSim(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CatalystSimProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/catalyst.mjs', 'sim', '--port', String(port), ...args], {
    cwd: PROJECT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((ready, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ctrl-C to stop')) ready();
    });
    child.once('exit', (code) => fail(new Error(`catalyst sim exited with ${code}: ${out}`)));
  });
  return { child, port, url: `http://127.0.0.1:${port}`, exited };
}
