import { provisionTemporalCli } from '../stack/temporalCli';
import { projectDir } from './projectDir';

export async function provisionCommand(opts: { quiet: boolean }): Promise<void> {
  const found = await provisionTemporalCli({
    projectDir: projectDir(),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  if (!found) {
    process.stderr.write('no Temporal CLI: tests and `up` will try the SDK download (needs internet)\n');
    return;
  }
  if (!opts.quiet)
    process.stdout.write(
      `temporal CLI: ${found.path} (${found.source}${found.version ? `, ${found.version}` : ''})\n`,
    );
}
