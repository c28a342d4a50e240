/**
 * Secrets never travel in a process's arguments: /proc/<pid>/cmdline (and `ps`) shows every
 * user of the machine what a process was started with, while its environment is its owner's only.
 *
 * Statically: every child_process launch in Catalyst's own code (src/, bin/, scripts/) is found and
 * its command line traced back to what it is made of; none is made from the environment or from
 * anything named like a secret. At run time: a real `catalyst up`, with every secret of the
 * environment set, starts its Temporal dev server (a stand-in for the CLI binary, so nothing heavy
 * runs); the command lines of `catalyst` and of every process under it hold none of them.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SECRET_ENV_VARS } from '../../src/settings/env';
import { PROJECT_DIR } from '../support/catalystHarness';
import { freePort } from '../support/freePort';
import { describeHits, scanForSecrets, type ScanSource, type Secret } from '../support/secretsScan';
import { findLaunches, type Launch } from './launchArgs';
import { NETGUARD, netGuardNodeOptions } from './netGuard';

function sourceFiles(dir: string): string[] {
  return (readdirSync(join(PROJECT_DIR, dir), { recursive: true }) as string[])
    .filter((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

describe('child processes: the command line is made of no secret (static)', () => {
  const launches: Launch[] = ['src', 'bin', 'scripts'].flatMap((dir) =>
    sourceFiles(dir).flatMap((f) => findLaunches(f, readFileSync(join(PROJECT_DIR, f), 'utf8'))),
  );

  it('finds the launches Catalyst makes, and follows each command line to what it is made of', () => {
    const where = launches.map((l) => `${l.file} ${l.launcher}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'src/stack/devServer.ts spawn', // the Temporal dev server of `catalyst up`
        'src/stack/temporalCli.ts execFile', // `go install` of the Temporal CLI (through promisify)
        'src/db/backup/postgresBackup.ts spawn', // pg_dump / pg_restore (through runTool's parameter)
        'src/client/reportCommand.ts spawn', // xdg-open of the report page
      ]),
    );
    const devServer = launches.find((l) => l.file === 'src/stack/devServer.ts')!;
    // Through the local array, its pushes and the constants spread into it.
    expect(devServer.argvTerms).toEqual(
      expect.arrayContaining([
        'literal:start-dev',
        'literal:--db-filename',
        'literal:history.timerProcessorMaxTimeShift="1ms"',
      ]),
    );
    const backup = launches.find((l) => l.file === 'src/db/backup/postgresBackup.ts')!;
    // Through runTool's parameter to the arrays its callers pass: the database name, never the URL.
    expect(backup.argvTerms).toEqual(
      expect.arrayContaining(['literal:--no-password', 'literal:--dbname=', 'path:conn.database']),
    );
  });

  it('none of them puts the environment or a secret on the command line', () => {
    expect(
      launches.filter((l) => l.leaks.length > 0).map((l) => `${l.file}:${l.line} ${l.leaks.join('; ')}`),
    ).toEqual([]);
  });

  it('the check fails on a command line that carries a secret (self-check)', () => {
    const leaky: Record<string, string> = {
      'the database URL from the environment': `
        import { spawn } from 'node:child_process';
        spawn('pg_dump', ['--dbname', process.env.DATABASE_URL!]);`,
      'an SMTP password pushed onto a local array': `
        import * as cp from 'child_process';
        const args = ['--host', host];
        args.push(\`--auth=\${opts.smtpPassword}\`);
        cp.spawn(cli, args);`,
      'an API key reaching a promisified execFile through a parameter': `
        import { execFile } from 'node:child_process';
        import { promisify } from 'node:util';
        const run = promisify(execFile);
        async function start(key: string) { return run('temporal', ['server', 'start-dev', '--api-key', key]); }
        await start(target.apiKey);`,
      'a connection URL in a shell command': `
        import { exec as sh } from 'node:child_process';
        const url = settings.connection;
        sh(\`psql \${url} -c 'select 1'\`);`,
      'a secret through require and fork': `
        const { fork } = require('node:child_process');
        fork('worker.js', ['--key', keys.secretKey]);`,
      'the whole environment serialized': `
        import { spawnSync } from 'node:child_process';
        spawnSync(process.execPath, ['child.js', JSON.stringify(opts.env)]);`,
      'a literal credential option': `
        import { spawn } from 'node:child_process';
        spawn('mysql', ['--password=hunter22', db]);`,
    };
    for (const [name, code] of Object.entries(leaky)) {
      const found = findLaunches(`${name}.ts`, code);
      expect({ name, launches: found.length, leaks: found[0]!.leaks.length > 0 }).toEqual({
        name,
        launches: 1,
        leaks: true,
      });
    }
    const clean = findLaunches(
      'clean.ts',
      `import { spawn } from 'node:child_process';
       const dir = join(home, 'state');
       const args = ['--dir', dir, '--port', String(port), '--no-password'];
       spawn(cliPath, args, { env: { ...process.env, PGPASSWORD: conn.password } });`,
    );
    expect(clean.map((l) => l.leaks)).toEqual([[]]);
  });
});

/** /proc/<pid>/cmdline as one line (arguments were NUL-separated). */
const cmdline = (pid: number): string =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();

/** The pid and every process under it (children of each of its threads, recursively). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/))
          if (c) out.push(Number(c));
      } catch {
        // a thread that ended meanwhile
      }
    }
  }
  return out;
}

describe.runIf(process.platform === 'linux')('child processes: the command lines at run time', () => {
  it('`catalyst up` and the dev server it starts carry the secrets in their environment only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-cmdline-'));
    const port = await freePort();
    const uiPort = await freePort();
    const deadPort = await freePort();
    // The Temporal CLI as `up` finds it (TEMPORAL_CLI_PATH): says it is up, listens, holds on.
    const fakeCli = join(dir, 'temporal');
    const ready = `${fakeCli}.ready`;
    writeFileSync(
      fakeCli,
      `#!${process.execPath}
const argv = process.argv.slice(2);
const port = Number(argv[argv.indexOf('--port') + 1]);
const server = require('node:net').createServer((s) => s.on('error', () => {}));
server.listen(port, '127.0.0.1', () => require('node:fs').writeFileSync(${JSON.stringify(ready)}, String(process.pid)));
process.on('SIGTERM', () => process.exit(0));
setTimeout(() => process.exit(0), 60_000);
`,
    );
    chmodSync(fakeCli, 0o755);

    const secrets: Secret[] = [
      { name: 'ALPACA_API_KEY', value: 'SECRETKEYID-cmdline-31d7' },
      { name: 'ALPACA_SECRET_KEY', value: 'SECRETKEY-cmdline-c0ffee/+=' },
      { name: 'SMTP_PASSWORD', value: 'SMTPPASSWORD-cmdline-5e6f&x' },
      { name: 'DATABASE_URL password', value: 'DBPASSWORD-cmdline-77aa' },
      { name: 'TEMPORAL_API_KEY', value: 'TEMPORALAPIKEY-cmdline-2b9c' },
      { name: 'NEWS_API_KEY', value: 'NEWSAPIKEY-cmdline-4f01' },
      { name: 'BENZINGA_API_KEY', value: 'BENZINGAKEY-cmdline-8e12' },
      // A 32-byte AES key, as the payload codec wants it.
      {
        name: 'CATALYST_CODEC_KEYS key',
        value: Buffer.from('CODECKEY-cmdline-0123456789abcde').toString('base64'),
      },
    ];
    const value = (name: string): string => secrets.find((s) => s.name === name)!.value;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      NODE_OPTIONS: netGuardNodeOptions(),
      CATALYST_HOME: join(dir, 'home'),
      TEMPORAL_CLI_PATH: fakeCli,
      TEMPORAL_ADDRESS: '', // the embedded dev server
      TEMPORAL_API_KEY: value('TEMPORAL_API_KEY'),
      TEMPORAL_TLS: 'false',
      METRICS_PORT: '',
      // Nothing listens at any of these; the run never gets past the dev server anyway.
      DATABASE_URL: `postgres://catalyst:${value('DATABASE_URL password')}@127.0.0.1:${deadPort}/catalyst`,
      ALPACA_API_KEY: value('ALPACA_API_KEY'),
      ALPACA_SECRET_KEY: value('ALPACA_SECRET_KEY'),
      ALPACA_BASE_URL: `http://127.0.0.1:${deadPort}`,
      ALPACA_DATA_URL: `http://127.0.0.1:${deadPort}`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(deadPort),
      SMTP_USERNAME: 'catalyst',
      SMTP_PASSWORD: value('SMTP_PASSWORD'),
      NEWS_API_KEY: value('NEWS_API_KEY'),
      BENZINGA_API_KEY: value('BENZINGA_API_KEY'),
      CATALYST_CODEC_KEYS: `cmdline-k1:${value('CATALYST_CODEC_KEYS key')}`,
    };
    // Every secret variable Catalyst knows is set here (a new one must be added above).
    expect(SECRET_ENV_VARS.filter((v) => !env[v])).toEqual([]);

    const child = spawn(
      process.execPath,
      ['bin/catalyst.mjs', 'up', '--once', '--port', String(port), '--ui-port', String(uiPort)],
      { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
    let fakePid: number | undefined;
    try {
      const deadline = Date.now() + 45_000;
      while (!existsSync(ready)) {
        if (exited) throw new Error(`catalyst up ended before starting the dev server:\n${output}`);
        if (Date.now() > deadline) throw new Error(`the dev server was not started within 45 s:\n${output}`);
        await sleep(50);
      }
      fakePid = Number(readFileSync(ready, 'utf8'));
      const tree = processTree(child.pid!);
      const commandLines: ScanSource[] = tree.map((pid) => ({ name: `pid ${pid}`, text: cmdline(pid) }));

      // The right processes: `catalyst up` itself, and the dev server it spawned with its arguments.
      expect(commandLines[0]!.text).toBe(
        `${process.execPath} bin/catalyst.mjs up --once --port ${port} --ui-port ${uiPort}`,
      );
      expect(tree).toContain(fakePid);
      expect(cmdline(fakePid)).toMatch(
        new RegExp(
          `^${process.execPath} ${fakeCli} server start-dev --ip 127\\.0\\.0\\.1 --port ${port} --ui-port ${uiPort} `,
        ),
      );
      // The secrets are there to leak (the scan finds each one in the environment of both)…
      for (const pid of [child.pid!, fakePid]) {
        const environ: ScanSource = {
          name: `environ of ${pid}`,
          text: readFileSync(`/proc/${pid}/environ`, 'utf8'),
        };
        expect(new Set(scanForSecrets([environ], secrets).map((h) => h.secret))).toEqual(
          new Set(secrets.map((s) => s.name)),
        );
      }
      // …and no command line holds any of them, in any encoding.
      expect(describeHits(scanForSecrets(commandLines, secrets), commandLines)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await exit;
      if (fakePid !== undefined)
        try {
          process.kill(fakePid, 'SIGKILL');
        } catch {
          // already gone: `up` stopped it
        }
    }
    expect(output).not.toContain(NETGUARD);
  }, 60_000);
});
