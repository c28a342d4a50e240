/**
 * docker-compose.yml, the Dockerfile and .dockerignore hold together without a Docker engine: the
 * compose file parses, has each part a deployment needs, scales its workers, and runs only
 * commands this CLI has; the image builds the workflow bundle the workers are told to load, from
 * files the build context keeps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  registerDayCommand,
  registerScheduleCommand,
  registerWorkerCommand,
} from '../../src/client/operatorCli';
import { registerDbCommand } from '../../src/client/recordsCli';
import { PROJECT_DIR } from '../support/catalystHarness';

const read = (file: string): string => readFileSync(join(PROJECT_DIR, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  profiles?: string[];
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = read('Dockerfile');

/** The CLI's command tree (the parts a deployment runs), to check the compose commands against. */
function cli(): Command {
  const program = new Command('catalyst');
  registerWorkerCommand(program);
  registerDayCommand(program);
  registerScheduleCommand(program);
  registerDbCommand(program);
  return program;
}

/** The options a command line names exist on the command it names. */
function expectCommandExists(args: string[]): void {
  let cmd = cli();
  const rest = [...args];
  while (rest.length && !rest[0]!.startsWith('-')) {
    const next = cmd.commands.find((c) => c.name() === rest[0]);
    expect(next, `catalyst ${args.join(' ')}`).toBeDefined();
    cmd = next!;
    rest.shift();
  }
  for (const flag of rest.filter((a) => a.startsWith('--')))
    expect(
      cmd.options.map((o) => o.long),
      `catalyst ${args.join(' ')}`,
    ).toContain(flag);
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Temporal with its schema and namespace set up, the Web UI, a migration and the workers', () => {
    const s = compose.services;
    expect(s.postgres!.image).toMatch(/^postgres:1[5-9]/);
    expect(s['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(s['temporal-schema']!.command!.join('\n')).toMatch(/setup-schema[\s\S]*update-schema/);
    expect(s.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(s.temporal!.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(s['temporal-namespace']!.command!.join('\n')).toMatch(/namespace create -n default/);
    expect(s['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(s.worker!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      'temporal-namespace': { condition: 'service_completed_successfully' },
    });
    // Files it mounts are in the repository.
    for (const v of Object.values(s).flatMap((svc) => svc.volumes ?? []))
      if (v.startsWith('./')) expect(existsSync(join(PROJECT_DIR, v.split(':')[0]!)), v).toBe(true);
  });

  it('scales the worker: no fixed name, no host port', () => {
    expect(compose.services.worker!.container_name).toBeUndefined();
    expect(compose.services.worker!.ports).toBeUndefined();
  });

  it('has each worker log JSON and serve its metrics inside the compose network', () => {
    const env = compose.services.worker!.environment!;
    expect(env.LOG_FORMAT).toBe('${LOG_FORMAT:-json}');
    expect(env.METRICS_PORT).toBe('${METRICS_PORT:-9464}');
    expect(env.METRICS_HOST).toBe('0.0.0.0');
  });

  it('points every Catalyst service at the compose Temporal and PostgreSQL, never the embedded stack', () => {
    for (const name of ['migrate', 'worker', 'cli']) {
      const env = compose.services[name]!.environment!;
      expect(env.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      expect(env.DATABASE_URL, name).toMatch(/^postgresql:\/\/\S+@postgres:5432\/catalyst$/);
      expect(compose.services[name]!.image, name).toBe('catalyst:local');
    }
    expect(compose.services.worker!.command).not.toContain('up');
  });

  it('runs only commands and options the CLI has', () => {
    expectCommandExists(compose.services.migrate!.command!);
    expectCommandExists(compose.services.worker!.command!);
    expect(compose.services.migrate!.command).toEqual(['db', 'migrate']);
    expect(compose.services.worker!.command!.slice(0, 1)).toEqual(['worker']);
  });
});

describe('Dockerfile', () => {
  const bundleFlag = compose.services.worker!.command!;
  const bundlePath = bundleFlag[bundleFlag.indexOf('--workflow-bundle') + 1]!;

  it('is multi-stage and builds the workflow bundle the workers load', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(
      new RegExp(`RUN node --import tsx scripts/bundleWorkflows.ts /app/${bundlePath.replace(/\./g, '\\.')}`),
    );
    expect(dockerfile).toMatch(new RegExp(`COPY --from=bundle /app/${bundlePath} ./${bundlePath}`));
    expect(existsSync(join(PROJECT_DIR, 'scripts/bundleWorkflows.ts'))).toBe(true);
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd).toEqual(['worker', '--workflow-bundle', bundlePath]);
    expectCommandExists(cmd);
    expect(JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)![1]!)).toEqual(['node', 'bin/catalyst.mjs']);
  });

  it('copies only what exists and what .dockerignore keeps in the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copied.length).toBeGreaterThan(5);
    for (const path of copied) {
      expect(existsSync(join(PROJECT_DIR, path)), path).toBe(true);
      expect(ignored, path).not.toContain(path);
    }
    for (const needed of ['bin', 'src', 'config', 'drizzle', 'data']) expect(copied).toContain(needed);
  });
});
