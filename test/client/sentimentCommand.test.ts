/**
 * `catalyst sentiment`: through the real binary with headlines piped to stdin, and in-process for
 * the human table (no colours when stdout is not a terminal).
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sentimentCommand, type ScoredHeadlineJson } from '../../src/client/sentimentCommand';
import { runCatalyst } from '../support/runCatalyst';

const pipeToCatalyst = (args: string[], stdin: string) => runCatalyst(args, {}, 30_000, stdin);

async function runInProcess(input: string, json: boolean): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  await sentimentCommand({ json }, { stdin: Readable.from([input]), stdout });
  return text;
}

const HEADLINES = [
  'Acme beats Q3 estimates, raises full-year guidance',
  '',
  'Acme fails to beat estimates as margins shrink',
  '   ',
  'Acme to present at upcoming investor conference',
  'Acme receives complete response letter from FDA',
];

describe('catalyst sentiment', () => {
  it('--json prints one line with each non-blank headline, its score and label, in order', async () => {
    const run = await pipeToCatalyst(['sentiment', '--json'], `${HEADLINES.join('\n')}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const scored = JSON.parse(lines[0]!) as ScoredHeadlineJson[];
    expect(scored.map((s) => [s.headline, s.label])).toEqual([
      [HEADLINES[0], 'positive'],
      [HEADLINES[2], 'negative'],
      [HEADLINES[4], 'neutral'],
      [HEADLINES[5], 'negative'],
    ]);
    for (const s of scored) expect(Object.keys(s).sort()).toEqual(['headline', 'label', 'score']);
    expect(scored[0]!.score).toBeGreaterThan(0);
    expect(scored[3]!.score).toBeLessThan(0);
  });

  it('prints an empty list for empty input', async () => {
    expect(await runInProcess('', true)).toBe('[]\n');
  });

  it('prints a plain table without colour codes when stdout is not a terminal', async () => {
    const text = await runInProcess('Acme beats Q3 estimates\r\nAcme declares quarterly dividend\n', false);
    expect(text).not.toContain('\x1b[');
    expect(text.split('\n')).toEqual([
      'score   label     catalyst  headline',
      '+0.612  positive  earnings  Acme beats Q3 estimates',
      ' 0.000  neutral   dividend  Acme declares quarterly dividend',
      '',
    ]);
  });
});
