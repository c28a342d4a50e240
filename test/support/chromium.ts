/**
 * A real Chromium for the tests that look at rendered pages: Debian's package, installed once
 * with apt-get when it is missing (which needs root). playwright-core drives it; Playwright's own
 * browser download is never used.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

let installAttempted = false;

export function chromiumPath(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!installAttempted) {
    installAttempted = true;
    if (process.getuid?.() !== 0)
      throw new Error(
        `no Chromium at ${CHROMIUM_PATH}, and installing it needs root: apt-get install -y chromium`,
      );
    execSync('apt-get update && apt-get install -y chromium', {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 15 * 60_000,
    });
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get did not install Chromium at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
}
