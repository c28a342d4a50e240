import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, unlinkSync, lstatSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Later CLI tags carry a `replace` directive and cannot be `go install`ed; these are tried in order. */
export const TEMPORAL_CLI_VERSIONS = ['v1.5.1', 'v1.5.0', 'v1.4.1'] as const;

export interface TemporalCliLocation {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'project' | 'user-cache' | 'built';
  version?: string;
}

export interface ProvisionOptions {
  projectDir?: string;
  cacheDir?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export const userCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CATALYST_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'catalyst');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function linkInto(projectBin: string, target: string): void {
  mkdirSync(resolve(projectBin, '..'), { recursive: true });
  try {
    if (lstatSync(projectBin)) unlinkSync(projectBin);
  } catch {
    /* not there yet */
  }
  symlinkSync(target, projectBin);
}

/**
 * Finds the Temporal CLI without building: `$TEMPORAL_CLI_PATH`, `temporal` on PATH,
 * `.catalyst/bin/temporal`, then the per-user cache shared by every clone on this machine.
 */
export function locateTemporalCli(options: ProvisionOptions = {}): TemporalCliLocation | undefined {
  const env = options.env ?? process.env;
  const projectDir = options.projectDir ?? process.cwd();
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  const projectBin = join(projectDir, '.catalyst', 'bin', 'temporal');
  if (isExecutable(projectBin)) return { path: projectBin, source: 'project' };
  const cacheDir = options.cacheDir ?? userCacheDir(env);
  for (const version of TEMPORAL_CLI_VERSIONS) {
    const cached = join(cacheDir, `temporal-cli-${version}`, 'temporal');
    if (isExecutable(cached)) {
      linkInto(projectBin, cached);
      return { path: projectBin, source: 'user-cache', version };
    }
  }
  return undefined;
}

/**
 * Locates the CLI, building it once with `go install` into the per-user cache when missing.
 * Returns undefined when neither a binary nor Go is available: callers then fall back to the
 * SDK's own download (machines with internet only).
 */
export async function provisionTemporalCli(
  options: ProvisionOptions = {},
): Promise<TemporalCliLocation | undefined> {
  const found = locateTemporalCli(options);
  if (found) return found;
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const projectDir = options.projectDir ?? process.cwd();
  const cacheDir = options.cacheDir ?? userCacheDir(env);
  const go =
    findOnPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    log('temporal CLI not found and Go is not installed; falling back to the SDK download of the dev server');
    return undefined;
  }
  const failures: string[] = [];
  for (const version of TEMPORAL_CLI_VERSIONS) {
    const gobin = join(cacheDir, `temporal-cli-${version}`);
    mkdirSync(gobin, { recursive: true });
    log(`building the Temporal CLI ${version} with go install (once per machine; takes a few minutes)…`);
    try {
      await execFileAsync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${version}`], {
        env: { ...env, GOBIN: gobin, GOFLAGS: env.GOFLAGS ?? '-mod=mod' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 30 * 60_000,
      });
      const built = join(gobin, 'temporal');
      if (existsSync(built)) {
        linkInto(join(projectDir, '.catalyst', 'bin', 'temporal'), built);
        log(`Temporal CLI ${version} built into ${gobin}`);
        return { path: join(projectDir, '.catalyst', 'bin', 'temporal'), source: 'built', version };
      }
    } catch (err) {
      failures.push(`${version}: ${(err as Error).message.split('\n').slice(-3).join(' ')}`);
    }
  }
  log(`could not build the Temporal CLI (${failures.join('; ')}); falling back to the SDK download`);
  return undefined;
}
