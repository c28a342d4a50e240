/**
 * A backup or restore that would destroy something (an earlier backup, a database holding
 * data, a directory a running process has open). The operator decides: the CLI prints the
 * message alone and exits 2, and nothing has been touched.
 */
export class BackupRefusedError extends Error {
  override name = 'BackupRefusedError';
}
