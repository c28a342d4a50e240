/**
 * `catalyst alert test`: sends the guide's test alert through the real alert path and says where
 * it went — an address, or the outbox file when email is not configured or the storm limit holds
 * it. A mail server that refuses it (a bad login) ends with one line and exit code 1.
 */
import { resolve } from 'node:path';
import type { AlertSeverity } from '../domain/alerts/routeAlert';
import { parseEnv } from '../settings/loadSettings';
import { sendTestAlert, type TestAlertResult } from '../stack/testAlert';
import { colour, createOutput } from './output';
import { projectDir } from './projectDir';

function describe(r: TestAlertResult): string {
  switch (r.email) {
    case 'sent':
      return `${colour.green('sent')} the ${r.severity} test alert to ${r.emailedTo} (kept in ${r.file})`;
    case 'held':
    case 'summarised':
      return `${colour.yellow('held')} by the storm limit: the test alert goes to ${r.emailedTo} in the summary due at ${r.summaryDueAt ?? 'the end of the window'} (kept in ${r.file})`;
    default:
      return `email is not configured (${r.reason ?? 'no route'}): the test alert was logged and written to ${r.file}`;
  }
}

export async function alertTestCommand(opts: { severity: AlertSeverity; json: boolean }): Promise<void> {
  const out = createOutput(opts.json);
  const env = parseEnv(process.env);
  const outboxDir = resolve(process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'), 'outbox');
  // Held back until the outcome is known: a refused login must end with one line, not two.
  const logged: string[] = [];
  const result = await sendTestAlert({ env, severity: opts.severity, outboxDir, log: (l) => logged.push(l) });
  const failed = result.email === 'failed';
  if (!failed) for (const line of logged) out.log(line);
  out.result({ ok: !failed, ...result }, () => {
    if (!failed) out.info(describe(result));
  });
  if (failed) {
    process.stderr.write(
      `catalyst: the test alert to ${result.emailedTo} was not sent: ${result.error} (kept in ${result.file})\n`,
    );
    process.exitCode = 1;
  }
}
