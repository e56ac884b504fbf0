import type { Rejection } from '../../../../shared/contract/contract';
import type { CaseView } from '../../../../shared/domain/case';

/** Three looks that never mix: on this workstation only, confirmed by the server, refused (with the reason). */
export type Confirmation = 'local' | 'confirmed' | 'refused';

/**
 * Where a finished call's case stands: refused as soon as the server refused anything about it
 * (even after it once looked confirmed), confirmed once nothing about it is pending, else local.
 */
export function confirmationOf(number: string, view: Pick<CaseView, 'pending'> | null, rejections: readonly Pick<Rejection, 'caseNumber'>[]): Confirmation {
  if (rejections.some((r) => r.caseNumber === number)) return 'refused';
  return view && !view.pending ? 'confirmed' : 'local';
}
