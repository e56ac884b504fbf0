import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import { devRendererUrl, externalLinkAllowed, externalLinkOrigins } from '../../src/main/core/host/external-links';
import { desktopFuses } from '../../scripts/electron-fuses';
import { REPO_ROOT } from '../helpers/paths';
import { makeTempDir } from '../helpers/tmp';

// The Electron shell's decisions, made by plain functions so they are tested without Electron
// (src/main/index.ts only wires them): the dev renderer URL, external links, the build's fuses.

const RESOURCES = path.join(REPO_ROOT, 'resources');

describe('Electron shell policy', () => {
  it('honours ELECTRON_RENDERER_URL only in a development run that says so, unpackaged, on loopback', () => {
    const url = 'http://localhost:5173';
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: url, HOTLINE_DEV: '1' }, false)).toBe(url);
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: url }, false)).toBeUndefined();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: url, HOTLINE_DEV: 'true' }, false)).toBeUndefined();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: url, HOTLINE_DEV: '1' }, true)).toBeUndefined();
    for (const bad of ['https://evil.example', 'http://10.0.0.5:5173', 'file:///tmp/x.html', 'not a url']) {
      expect(devRendererUrl({ ELECTRON_RENDERER_URL: bad, HOTLINE_DEV: '1' }, false), bad).toBeUndefined();
    }
  });

  it('opens external links only to the configured origins', () => {
    const origins = externalLinkOrigins(RESOURCES, {});
    expect(origins.has('https://www.beijing.gov.cn')).toBe(true);
    expect(externalLinkAllowed('https://www.beijing.gov.cn/zhengce/index.html', origins)).toBe(true);
    for (const bad of [
      'https://evil.example/',
      'http://www.beijing.gov.cn/',
      'https://www.beijing.gov.cn.evil.example/',
      'https://user:pw@www.beijing.gov.cn/',
      'https://www.beijing.gov.cn:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'not a url',
    ]) {
      expect(externalLinkAllowed(bad, origins), bad).toBe(false);
    }
    const fromEnv = externalLinkOrigins(RESOURCES, { HOTLINE_EXTERNAL_LINKS: 'https://kb.example.org, https://a.example' });
    expect([...fromEnv]).toEqual(['https://kb.example.org', 'https://a.example']);
    expect(() => externalLinkOrigins(RESOURCES, { HOTLINE_EXTERNAL_LINKS: 'http://plain.example' })).toThrow();
    const dir = makeTempDir('hotline-links-');
    fs.mkdirSync(path.join(dir, 'security'));
    fs.writeFileSync(path.join(dir, 'security/external-links.json'), JSON.stringify({ origins: ['https://x.example/path'] }));
    expect(() => externalLinkOrigins(dir, {})).toThrow();
  });

  it('sets the fuses that apply: RunAsNode off, cookie encryption on, ASAR integrity where packaged', () => {
    const packaged = desktopFuses(true);
    const dev = desktopFuses(false);
    expect(packaged[FuseV1Options.RunAsNode]).toBe(false);
    expect(packaged[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(packaged[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(packaged[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect([packaged[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], packaged[FuseV1Options.OnlyLoadAppFromAsar]]).toEqual([true, true]);
    expect([dev[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], dev[FuseV1Options.OnlyLoadAppFromAsar]]).toEqual([false, false]);
    // Every fuse this version knows is decided (strictlyRequireAllFuses makes flipFuses check it too).
    const known = Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number');
    expect(known.length).toBeGreaterThanOrEqual(9);
    for (const fuse of known) expect(typeof packaged[fuse], FuseV1Options[fuse]).toBe('boolean');
  });
});
