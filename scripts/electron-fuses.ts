import { parseArgs } from 'node:util';
import { FuseV1Options, FuseVersion, flipFuses, type FuseV1Config } from '@electron/fuses';

/**
 * The Electron fuses of the desktop build (docs/security.md, Electron): flipped in the Electron
 * binary that ships, after packaging and before signing. `packaged`: the app is in an ASAR archive
 * (then its integrity is checked and nothing outside it is loaded); a development binary in
 * node_modules has no archive, so those two stay off there.
 */
export function desktopFuses(packaged: boolean): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node for any local program.
    [FuseV1Options.RunAsNode]: false,
    // Cookies (there are none today) encrypted at rest with the OS key.
    [FuseV1Options.EnableCookieEncryption]: true,
    // No NODE_OPTIONS and no --inspect: nothing injects code into the main process from outside.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: packaged,
    [FuseV1Options.OnlyLoadAppFromAsar]: packaged,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer is served from app://, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { binary: { type: 'string' }, packaged: { type: 'boolean', default: false } } });
  if (!values.binary) {
    console.error('usage: npm run desktop:fuses -- --binary <path to the Electron executable> [--packaged]');
    process.exit(2);
  }
  await flipFuses(values.binary, desktopFuses(values.packaged));
  console.log(`fuses set on ${values.binary} (${values.packaged ? 'packaged: ASAR integrity on' : 'unpackaged: ASAR checks off'})`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
