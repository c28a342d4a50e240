/**
 * A real SMTP server in the test process (smtp-server) on 127.0.0.1: STARTTLS with a self-signed
 * certificate and AUTH against one user, as a mail provider on port 587 would. It keeps every
 * message it accepts; it never logs, so no password reaches the test output.
 */
import { SMTPServer } from 'smtp-server';
import { selfSignedCert } from './selfSignedCert';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** The session had been upgraded with STARTTLS. */
  secure: boolean;
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** Logins refused so far. */
  refusedLogins: number;
  close(): Promise<void>;
}

export async function startSmtpServer(login: {
  username: string;
  password: string;
}): Promise<TestSmtpServer> {
  const { key, cert } = selfSignedCert();
  const state: TestSmtpServer = {
    port: 0,
    received: [],
    refusedLogins: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    key,
    cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === login.username && auth.password === login.password)
        return callback(null, { user: auth.username });
      state.refusedLogins += 1;
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
          secure: session.secure,
          user: session.user,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as { port: number }).port;
  return state;
}
