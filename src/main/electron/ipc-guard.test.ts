/**
 * The IPC guard and the external-link policy, under plain Node (the Electron binary is not
 * needed: these modules import no electron). Each case says what a hostile or buggy caller tried.
 */
import { describe, expect, it } from 'vitest';
import { IPC } from '../../shared/bridge';
import { checkResult, IpcRefused, parseArgs, senderRefusal } from './ipc-guard';
import { externalUrlRefusal } from './external-links';

const frame = (url: string) => ({ url });
const mainEvent = (url: string) => {
  const f = frame(url);
  return { senderFrame: f, sender: { mainFrame: f } };
};

describe('senderRefusal', () => {
  it('accepts the main frame of our app:// UI', () => {
    expect(senderRefusal(mainEvent('app://pulse/index.html'))).toBeNull();
  });

  it('refuses a subframe of our own UI: only the main frame may call', () => {
    expect(senderRefusal({ senderFrame: frame('app://pulse/frame.html'), sender: { mainFrame: frame('app://pulse/index.html') } })).toMatch(/main frame/);
  });

  it('refuses other origins that a navigation or injected page could have: file://, https, a look-alike app:// host', () => {
    expect(senderRefusal(mainEvent('file:///tmp/evil.html'))).toMatch(/origin/);
    expect(senderRefusal(mainEvent('https://pulse.example.com/'))).toMatch(/origin https:\/\/pulse.example.com/);
    expect(senderRefusal(mainEvent('app://pulse.evil/index.html'))).toMatch(/origin/);
    expect(senderRefusal(mainEvent('about:blank'))).toMatch(/origin/);
  });

  it('refuses a frame that is gone and a URL that does not parse', () => {
    expect(senderRefusal({ senderFrame: null, sender: { mainFrame: null } })).toMatch(/gone/);
    expect(senderRefusal(mainEvent('::not a url'))).toMatch(/unparseable/);
  });
});

describe('parseArgs / checkResult (the zod contract)', () => {
  it('passes well-formed arguments through', () => {
    expect(parseArgs(IPC.setShmTap, [true])).toEqual([true]);
    expect(parseArgs(IPC.appInfo, [])).toEqual([]);
  });

  it('refuses a wrong type, a missing argument, an extra argument and an oversized URL, naming the channel', () => {
    expect(() => parseArgs(IPC.setShmTap, ['yes'])).toThrow(IpcRefused);
    expect(() => parseArgs(IPC.setShmTap, ['yes'])).toThrow(/pulse:set-shm-tap refused: argument 0/);
    expect(() => parseArgs(IPC.openExternal, [])).toThrow(IpcRefused);
    expect(() => parseArgs(IPC.appInfo, [{ sneaky: true }])).toThrow(IpcRefused);
    expect(() => parseArgs(IPC.openExternal, [`https://github.com/${'a'.repeat(3000)}`])).toThrow(IpcRefused);
  });

  it('refuses a handler answer outside the contract (no extra fields leak to the page)', () => {
    expect(() => checkResult(IPC.desktopSettings, { shmTap: true, path: '/x', restartNeeded: false, secret: 'k' })).toThrow(/outside the contract/);
    expect(checkResult(IPC.openExternal, { opened: false, reason: 'no' })).toEqual({ opened: false, reason: 'no' });
  });
});

describe('externalUrlRefusal', () => {
  it('opens https links to allow-listed hosts and their subdomains', () => {
    expect(externalUrlRefusal('https://github.com/pulse/pulse')).toBeNull();
    expect(externalUrlRefusal('https://docs.cdp.coinbase.com/exchange/docs')).toBeNull();
  });

  it('refuses every other scheme, unlisted hosts, suffix look-alikes and credentials in the URL', () => {
    expect(externalUrlRefusal('http://github.com/')).toMatch(/only https/);
    expect(externalUrlRefusal('file:///etc/passwd')).toMatch(/only https/);
    expect(externalUrlRefusal('javascript:alert(1)')).toMatch(/only https/);
    expect(externalUrlRefusal('smb://host/share')).toMatch(/only https/);
    expect(externalUrlRefusal('https://evil.example/')).toMatch(/allow-list/);
    expect(externalUrlRefusal('https://notgithub.com/')).toMatch(/allow-list/);
    expect(externalUrlRefusal('https://github.com.evil.example/')).toMatch(/allow-list/);
    expect(externalUrlRefusal('https://github.com@evil.example/')).toMatch(/credentials|allow-list/);
    expect(externalUrlRefusal('not a url')).toMatch(/not a URL/);
  });
});
