/**
 * Which links may leave the app for the user's browser: https only, to hosts on this list (or
 * their subdomains). Everything else — http, file:, custom schemes, javascript:, userinfo
 * tricks — is refused with the reason. No electron import: tested under plain Node.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'coinbase.com',
  'kraken.com',
  'binance.us',
  'oanda.com',
  'github.com',
  'onnxruntime.ai',
  'electronjs.org',
];

export function externalUrlRefusal(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return `only https links open outside Pulse, not ${url.protocol}`;
  if (url.username || url.password) return 'links with credentials are refused';
  const host = url.hostname.toLowerCase();
  if (!hosts.some((h) => host === h || host.endsWith(`.${h}`))) return `${host} is not on the external link allow-list`;
  return null;
}
