import { describe, expect, it } from 'vitest';
import { confirmationOf } from '../../../src/renderer/src/components/intake/confirmation';

// The result of a finished call has three looks that never mix (issue 11: a green "registered"
// banner stood beside the server's refusal).
describe('the finished call’s confirmation', () => {
  const number = 'S0001-000042';

  it('is local while the case (or a step queued with it) waits for the server', () => {
    expect(confirmationOf(number, { pending: true }, [])).toBe('local');
    // Not even on this workstation's list yet (the store has not seen it).
    expect(confirmationOf(number, null, [])).toBe('local');
  });

  it('is confirmed once nothing about the case is pending', () => {
    expect(confirmationOf(number, { pending: false }, [])).toBe('confirmed');
  });

  it('is refused when the server refused anything about this case, whatever the view says', () => {
    expect(confirmationOf(number, { pending: false }, [{ caseNumber: number }])).toBe('refused');
    expect(confirmationOf(number, { pending: true }, [{ caseNumber: number }])).toBe('refused');
    expect(confirmationOf(number, null, [{ caseNumber: number }])).toBe('refused');
  });

  it('is not touched by another case’s refusal', () => {
    expect(confirmationOf(number, { pending: false }, [{ caseNumber: 'S0001-000041' }, { caseNumber: null }])).toBe('confirmed');
  });
});
