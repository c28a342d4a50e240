/**
 * Human output goes to stdout with colours on a TTY; diagnostics go to stderr. With --json the
 * last stdout line is one JSON object and everything else goes to stderr.
 *
 * Diagnostics are log lines (src/stack/logSink.ts): LOG_LEVEL filters them, secrets are scrubbed,
 * and with LOG_FORMAT=json each is one JSON object, as is each progress line sent to stderr under
 * --json, so stderr holds nothing but JSON. stdout is never a log: it is the command's output.
 */
import { processLogSink } from '../stack/logSink';

export interface Output {
  json: boolean;
  /** Progress and results for people (stdout, or stderr under --json). */
  info(line: string): void;
  /** Diagnostics (always stderr). */
  log(line: string): void;
  result(value: unknown, human?: () => void): void;
}

const useColour = (stream: NodeJS.WriteStream): boolean => Boolean(stream.isTTY) && !process.env.NO_COLOR;
export const colour = {
  green: (s: string) => (useColour(process.stdout) ? `\x1b[32m${s}\x1b[0m` : s),
  red: (s: string) => (useColour(process.stdout) ? `\x1b[31m${s}\x1b[0m` : s),
  yellow: (s: string) => (useColour(process.stdout) ? `\x1b[33m${s}\x1b[0m` : s),
  dim: (s: string) => (useColour(process.stdout) ? `\x1b[2m${s}\x1b[0m` : s),
  bold: (s: string) => (useColour(process.stdout) ? `\x1b[1m${s}\x1b[0m` : s),
};

export function createOutput(json: boolean): Output {
  return {
    json,
    info: (line) => {
      if (!json) process.stdout.write(`${line}\n`);
      else if (processLogSink().format === 'json') processLogSink().line(line, { level: 'info' });
      else process.stderr.write(`${line}\n`);
    },
    log: (line) => processLogSink().line(colour.dim(line)),
    result(value, human) {
      if (json || !human) process.stdout.write(`${JSON.stringify(value)}\n`);
      else human();
    },
  };
}

export function table(rows: (string | number)[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => String(cell).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
