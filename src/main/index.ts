import path from 'node:path';
import fs from 'node:fs';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import { WorkstationCore } from './core/core';
import { unsealStoreKey } from './core/store/cache-key';
import { electronNativeBinding, projectRoot } from './core/host/paths';
import { resolveInside, CONTENT_SECURITY_POLICY } from './core/host/static';
import { DEFAULT_TELEPHONY_PORT, startTelephonyHook } from './core/host/telephony';
import { devRendererUrl, externalLinkAllowed, externalLinkOrigins } from './core/host/external-links';
import { IPC_EVENT, IPC_INVOKE } from '../shared/contract/names';

// The thin Electron shell: one window, the contract over IPC, nothing else touches Node.
const APP_SCHEME = 'app';
const APP_ORIGIN = `${APP_SCHEME}://workstation`;
// The renderer's dev server only in a run that says it is development (HOTLINE_DEV=1), unpackaged, on loopback.
const devServerUrl = devRendererUrl(process.env, app.isPackaged);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function rendererDir(): string {
  return path.join(__dirname, '../renderer');
}

function isAppUrl(url: string): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}

function dataDir(): string {
  return process.env.HOTLINE_DATA_DIR ?? path.join(app.getPath('userData'), 'data');
}

function createCore(storeKey: Buffer | undefined): WorkstationCore {
  const binding = electronNativeBinding(projectRoot(__dirname));
  if (!fs.existsSync(binding)) {
    throw new Error(`SQLite (better-sqlite3-multiple-ciphers) for Electron is missing at ${binding}: run npm run desktop:prepare`);
  }
  return new WorkstationCore({
    dataDir: dataDir(),
    serverUrl: process.env.HOTLINE_SERVER_URL ?? 'http://127.0.0.1:4100',
    mode: 'electron',
    version: app.getVersion(),
    nativeBinding: binding,
    storeKey,
  });
}

/**
 * The local stores' key, sealed by the OS keychain (DPAPI, Keychain, libsecret) through
 * safeStorage; the core keeps the sealed copy (store-keys.json) and never imports electron.
 */
async function osStoreKey(): Promise<Buffer | undefined> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return undefined;
  return unsealStoreKey(dataDir(), {
    encrypt: (plain) => safeStorage.encryptStringAsync(plain.toString('base64')),
    decrypt: async (sealed) => Buffer.from((await safeStorage.decryptStringAsync(sealed)).result, 'base64'),
  });
}

function serveApp(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'workstation' ? resolveInside(rendererDir(), url.pathname) : null;
    if (!file || !fs.existsSync(file)) return new Response('not found', { status: 404 });
    const body = await fs.promises.readFile(file);
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    return new Response(body, { headers: { 'content-type': type, 'content-security-policy': CONTENT_SECURITY_POLICY } });
  });
}

function lockDown(): void {
  // No page gets a permission (camera, notifications, geolocation …): asked or merely checked.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Links leave the app only for the configured origins (resources/security/external-links.json or HOTLINE_EXTERNAL_LINKS).
  const origins = externalLinkOrigins(path.join(projectRoot(__dirname), 'resources'));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Allowed links open in the system browser, never inside the app; others nowhere.
      if (externalLinkAllowed(url, origins)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function wireIpc(core: WorkstationCore, win: BrowserWindow): void {
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    // Only our own page in our own window may call the core.
    const frameUrl = event.senderFrame?.url ?? '';
    if (event.sender.id !== win.webContents.id || !isAppUrl(frameUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'unknown_method', message: 'method must be a string' } };
    return core.invoke(method, input);
  });
  core.events.onAny((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  lockDown();
  serveApp();
  const core = createCore(await osStoreKey());
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'Hotline Workstation',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  wireIpc(core, win);
  // The softphone's hook: a ringing line pops intake (and brings the window forward).
  const telephony = await startTelephonyHook({ calls: core.calls, dataDir: dataDir(), port: Number(process.env.HOTLINE_CALL_PORT ?? DEFAULT_TELEPHONY_PORT) });
  core.events.on('call.incoming', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  app.on('window-all-closed', () => {
    void telephony
      .close()
      .then(() => core.close())
      .finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
