// Builds the workstation core's SQLite (better-sqlite3-multiple-ciphers: better-sqlite3 with
// SQLCipher) for Electron's ABI into native/electron/, on a machine with internet. It works on a
// copy of the package, so node_modules (the Node builds that the tests, the CLI and the server use)
// is never touched. The desktop app loads it via `nativeBinding`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';
const sqliteDir = path.dirname(require.resolve(`${SQLITE_PACKAGE}/package.json`));
const sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
const outDir = path.join(root, 'native', 'electron');
const target = path.join(outDir, 'better_sqlite3.node');
const stamp = path.join(outDir, 'version.json');
const wanted = { electron: electronVersion, package: SQLITE_PACKAGE, version: sqliteVersion, platform: process.platform, arch: process.arch };

if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === JSON.stringify(wanted)) {
  console.log(`native/electron is up to date (${JSON.stringify(wanted)})`);
  process.exit(0);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-electron-native-'));
const copy = path.join(work, SQLITE_PACKAGE);
fs.cpSync(sqliteDir, copy, { recursive: true, filter: (src) => !src.startsWith(path.join(sqliteDir, 'build')) });
const electronAbi = fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
// npm may be configured to build against Node's own headers (nodedir): that would silently yield a
// Node-ABI binary, so the setting is dropped here and the result is checked below.
const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers' };
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;

/** A binary built for Electron must fail to load in Node with Electron's NODE_MODULE_VERSION. */
function checkAbi(file) {
  try {
    require(file);
  } catch (error) {
    if (String(error).includes(`NODE_MODULE_VERSION ${electronAbi}`)) return;
    throw new Error(`${file} is not built for Electron's ABI ${electronAbi}: ${error}`);
  }
  throw new Error(`${file} loads in Node ${process.versions.node}: it was built for Node's ABI, not Electron's (${electronAbi})`);
}

function run(cmd, args) {
  console.log(`> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: copy, env, stdio: 'inherit' });
}

try {
  try {
    // A prebuilt binary for this Electron, when one is published.
    const prebuild = require.resolve('prebuild-install/bin.js', { paths: [sqliteDir] });
    run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform]);
  } catch {
    // Otherwise compile against Electron's headers with the node-gyp that ships with npm.
    const npmCli = process.env.npm_execpath ?? path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    const npmDir = path.dirname(path.dirname(fs.realpathSync(npmCli)));
    const gyp = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const headers = path.join(os.homedir(), '.electron-gyp');
    run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', `--devdir=${headers}`]);
  }
  const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(built)) throw new Error(`no ${built} after the build`);
  checkAbi(built);
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(built, target);
  fs.writeFileSync(stamp, JSON.stringify(wanted));
  console.log(`${SQLITE_PACKAGE} ${sqliteVersion} for Electron ${electronVersion} → ${path.relative(root, target)}`);
} catch (error) {
  console.error(`desktop:prepare failed: ${error instanceof Error ? error.message : error}`);
  console.error('It needs Electron headers or a prebuilt binary from the internet. Browser mode (npm start -- --browser) needs neither.');
  process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
