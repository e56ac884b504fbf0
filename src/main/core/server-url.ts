/** The environment variable that lets a workstation use plain HTTP to a server on another machine. */
export const ALLOW_INSECURE_ENV = 'HOTLINE_ALLOW_INSECURE_SERVER';

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * The server URL a workstation may use: https, or http to this machine (a local server, a test).
 * Plain http to another machine would carry the password and the tokens in clear text, so it is
 * refused unless the operator said so (`--allow-insecure-server` or HOTLINE_ALLOW_INSECURE_SERVER=1).
 */
export function checkServerUrl(raw: string, allowInsecure: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`the server URL ${raw} is not a URL`);
  }
  if (url.protocol === 'https:') return raw;
  if (url.protocol !== 'http:') throw new Error(`the server URL ${raw} must be https:// (or http:// to this machine)`);
  if (isLoopback(url.hostname) || allowInsecure) return raw;
  throw new Error(
    `refusing the plain-HTTP server URL ${raw}: the password and tokens would cross the network in clear text. ` +
      `Use https:// (the server takes --tls-cert/--tls-key), or start the workstation with --allow-insecure-server (${ALLOW_INSECURE_ENV}=1) if you accept that.`,
  );
}
