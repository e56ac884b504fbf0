import { IncomingCall } from '../../../../shared/contract/contract';
import { normalizePhone } from '../../../../shared/domain/contact';
import { AppFailure } from '../../../../shared/result';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';

/** How long a call that rang stays the current one (a reloaded window still pops it). */
const CURRENT_FOR_MS = 10 * 60_000;

/**
 * Calls from the telephone system: the softphone's hook (host/telephony.ts) reports a ringing
 * line, the renderer opens intake with the number filled and the caller's history beside it.
 */
export class CallsService {
  private last: IncomingCall | null = null;

  constructor(private readonly ctx: CoreContext) {}

  /** A call rings on this workstation's line. */
  ring(input: { from: string; line?: string | undefined }): IncomingCall {
    const parsed = IncomingCall.safeParse({ from: normalizePhone(input.from), line: input.line ?? null, at: Date.now() });
    if (!parsed.success) throw new AppFailure('invalid_input', 'not a phone number', { from: 'phone_format' });
    this.last = parsed.data;
    this.ctx.events.emit('call.incoming', parsed.data);
    return parsed.data;
  }

  current(now = Date.now()): IncomingCall | null {
    return this.last && now - this.last.at < CURRENT_FOR_MS ? this.last : null;
  }

  /** The operator has taken the call (intake opened with it): it pops no more. */
  taken(): void {
    this.last = null;
  }
}

/** call.*: the call ringing now, and marking it taken. */
export function callsFeature(calls: CallsService): Feature {
  return {
    name: 'calls',
    handlers: {
      'call.current': () => calls.current(),
      'call.taken': () => {
        calls.taken();
        return null;
      },
    },
  };
}
