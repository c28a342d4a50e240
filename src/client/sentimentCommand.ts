/**
 * `catalyst sentiment`: scores finance headlines read one per line from stdin with the scorer
 * the news stage uses, so an operator can see how a story will be read before it matters.
 */
import { scoreHeadline, type SentimentLabel } from '../domain/sentiment';
import { colour, table } from './output';

export interface SentimentIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

/** What `--json` prints for each headline, in input order. */
export interface ScoredHeadlineJson {
  headline: string;
  score: number;
  label: SentimentLabel;
}

/** "+0.612", "-0.250", " 0.000": one width, so the column lines up. */
const signed = (score: number): string => `${score > 0 ? '+' : ''}${score.toFixed(3)}`.padStart(6);

async function readLines(stdin: SentimentIo['stdin']): Promise<string[]> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export async function sentimentCommand(
  { json }: { json: boolean },
  io: SentimentIo = { stdin: process.stdin, stdout: process.stdout },
): Promise<void> {
  // Typed at a terminal, the command would otherwise just seem to hang.
  if (io.stdin.isTTY) process.stderr.write('reading headlines from stdin, one per line; end with Ctrl-D\n');
  const scored = (await readLines(io.stdin)).map((headline) => {
    const { score, label, catalyst } = scoreHeadline(headline);
    return { headline, score: Math.round(score * 1000) / 1000, label, catalyst };
  });
  if (json) {
    const out: ScoredHeadlineJson[] = scored.map(({ headline, score, label }) => ({
      headline,
      score,
      label,
    }));
    io.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  if (scored.length === 0) {
    io.stdout.write('no headlines on stdin\n');
    return;
  }
  // Whole lines are coloured after the table is laid out: escape codes would skew its widths.
  // colour.* also checks process.stdout and NO_COLOR; io.stdout must be a terminal as well.
  const paint = (label: SentimentLabel, line: string): string =>
    !io.stdout.isTTY
      ? line
      : label === 'positive'
        ? colour.green(line)
        : label === 'negative'
          ? colour.red(line)
          : line;
  const [header, ...lines] = table([
    ['score', 'label', 'catalyst', 'headline'],
    ...scored.map((s) => [signed(s.score), s.label, s.catalyst ?? '-', s.headline]),
  ]).split('\n');
  io.stdout.write(`${[header, ...lines.map((line, i) => paint(scored[i]!.label, line))].join('\n')}\n`);
}
