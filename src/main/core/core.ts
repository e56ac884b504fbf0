import { contract } from '../../shared/contract/contract';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/names';
import { AppFailure, fail, issuesToFields, ok, type Result } from '../../shared/result';
import { CoreContext, type CoreOptions } from './context';
import type { ContractEvents } from './events';
import { composeHandlers, type Handlers } from './feature';
import { appFeature } from './features/app';
import { casesFeature, CasesService } from './features/cases';
import { dispatchFeature } from './features/dispatch';
import { ratesFeature } from './features/rates';
import { referenceFeature, ReferenceService } from './features/reference';
import { sessionFeature } from './features/session';
import { HttpSession } from './features/session/http-session';
import { SyncService, syncFeature } from './features/sync';
import { callsFeature, CallsService } from './features/calls';
import { draftsFeature } from './features/drafts';
import { prefsFeature } from './features/prefs';
import { kbFeature } from './features/kb';
import { describeControlChar, findControlChar } from '../../shared/text/control';
import { ALLOW_INSECURE_ENV, checkServerUrl } from './server-url';

export type { CoreOptions } from './context';

/**
 * The workstation core: everything an operator does goes through `invoke`, which validates the
 * input against the contract, runs the feature that answers the method and returns a Result. This
 * is its composition root: it builds the shared context and the features, and nothing else. It
 * never imports electron.
 */
export class WorkstationCore {
  private readonly ctx: CoreContext;
  private readonly sync: SyncService;
  private readonly handlers: Handlers;
  /** The telephone system's way in (host/telephony.ts): not a renderer method. */
  readonly calls: CallsService;

  constructor(opts: CoreOptions) {
    const ctx = new CoreContext(opts);
    const allowInsecure = opts.allowInsecureServer ?? process.env[ALLOW_INSECURE_ENV] === '1';
    const http = new HttpSession(checkServerUrl(opts.serverUrl, allowInsecure).replace(/\/+$/, ''));
    const sync = new SyncService(ctx, http);
    const reference = new ReferenceService(ctx);
    const cases = new CasesService(ctx);
    const calls = new CallsService(ctx);
    this.ctx = ctx;
    this.sync = sync;
    this.calls = calls;
    this.handlers = composeHandlers([
      appFeature(ctx),
      sessionFeature(ctx, http, sync),
      casesFeature(ctx, { cases, reference, sync, http }),
      dispatchFeature(ctx, { cases, reference }),
      referenceFeature(ctx, reference),
      syncFeature(ctx, sync),
      ratesFeature(ctx, { http, sync }),
      callsFeature(calls),
      draftsFeature(ctx),
      prefsFeature(ctx),
      kbFeature(ctx, { http, sync }),
    ]);
  }

  get events(): ContractEvents {
    return this.ctx.events;
  }

  async invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (!(METHOD_NAMES as readonly string[]).includes(method)) return fail('unknown_method', `unknown method ${method}`);
    const name = method as MethodName;
    const spec = contract.methods[name];
    // A NUL or other control character is refused here, naming the field, rather than by the server later.
    const control = findControlChar(input);
    if (control) return fail('invalid_input', describeControlChar(control), { [control.field || '_']: 'control_character' });
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) return fail('invalid_input', 'invalid input', issuesToFields(parsed.error));
    try {
      const handler = this.handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      // The output is checked too: the contract is a promise to the renderer.
      return ok(spec.output.parse(value));
    } catch (error) {
      if (error instanceof AppFailure) return { ok: false, error: error.toAppError() };
      return fail('internal', error instanceof Error ? error.message : String(error));
    }
  }

  /** For hosts that learn the network is back (Electron's online event, browser mode's page). */
  reconnectNow(): void {
    this.sync.reconnectNow();
  }

  /** Shuts down: waits for a running sync round to let go of the store, then closes the stores. */
  async close(): Promise<void> {
    await this.sync.stop();
    this.ctx.close();
  }
}
