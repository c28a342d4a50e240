/**
 * The arguments of `catalyst doctor`; its module (the database drivers, the Temporal client, the
 * Alpaca client, nodemailer) is imported only when it runs, so `--help` or a typo stays instant.
 */
import type { Command } from 'commander';
import { parsePositiveNumber } from './cliErrors';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check that everything Catalyst needs is in order: Temporal (reachable, namespace, search attributes, a worker polling, the schedule), the database (reachable, migrations, helper functions), the broker (keys, account, clock, market data), SMTP login, the config files, the live opt-ins and disk space; one line per check with its fix; exit 0 when no check fails (warnings allowed), 1 otherwise',
    )
    .option(
      '--json',
      'machine output: one JSON object {ok, counts, checks: [{name, status, detail, fix?}], …}',
      false,
    )
    .option(
      '--config-dir <dir>',
      'directory with trading_config.yaml and risk_parameters.yaml (default: the project config/)',
    )
    .option(
      '--timeout <seconds>',
      'how long each connection or request may take before it counts as unreachable',
      (v: string) => parsePositiveNumber('--timeout', v, 60),
      5,
    )
    // A usage mistake is one line, as every other refusal of this command.
    .showHelpAfterError(false)
    .addHelpText(
      'after',
      "\nExamples:\n  catalyst doctor\n  catalyst doctor --json | jq '.checks[] | select(.status != \"ok\")'\n  */5 * * * * cd /srv/catalyst && npx catalyst doctor --json >> /var/log/catalyst-doctor.log  # the guide's monitor script",
    )
    .action(async (o: { json: boolean; configDir?: string; timeout: number }) =>
      (await import('./doctorCommand')).doctorCommand({
        json: o.json,
        configDir: o.configDir,
        timeout: o.timeout,
      }),
    );
}
