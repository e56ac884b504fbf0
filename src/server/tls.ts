import fs from 'node:fs';

/** PEM certificate (chain) and private key the server serves HTTPS and WSS with. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
}

/**
 * The certificate and key files from the command line (`--tls-cert`, `--tls-key`) or else the
 * environment (HOTLINE_TLS_CERT, HOTLINE_TLS_KEY): both or neither; read now, so a wrong path stops
 * the start with a message rather than the first connection.
 */
export function tlsFromArgs(args: { cert?: string | undefined; key?: string | undefined }, env: NodeJS.ProcessEnv = process.env): TlsCredentials | undefined {
  const certPath = args.cert ?? env.HOTLINE_TLS_CERT ?? '';
  const keyPath = args.key ?? env.HOTLINE_TLS_KEY ?? '';
  if (certPath === '' && keyPath === '') return undefined;
  if (certPath === '' || keyPath === '') throw new Error('TLS needs both a certificate and a key: --tls-cert <pem> --tls-key <pem> (or HOTLINE_TLS_CERT and HOTLINE_TLS_KEY)');
  const read = (what: string, file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return { cert: read('certificate', certPath), key: read('key', keyPath) };
}

/** Whether a host name or address is this machine (plain HTTP is only acceptable there). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}
