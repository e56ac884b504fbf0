import type { DispatchSuggestion } from '../../../../shared/contract/contract';
import { AppFailure } from '../../../../shared/result';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import type { CasesService } from '../cases';
import type { ReferenceService } from '../reference';

/** dispatch.suggest: ranked units for a case from the routing data on this workstation (no server needed). */
export function dispatchFeature(ctx: CoreContext, deps: { cases: CasesService; reference: ReferenceService }): Feature {
  const suggest = (caseId: string): DispatchSuggestion[] => {
    ctx.requireAccount();
    const view = deps.cases.view(caseId);
    const ref = deps.reference.now();
    const router = ref.routerNow();
    if (!router) throw new AppFailure('not_found', 'routing data has not been synced to this workstation yet');
    let district = view.districtCode;
    let street = view.streetCode;
    if (!district) {
      const resolved = ref.geographyIndex()?.resolve(view.address);
      district = resolved?.district?.code ?? resolved?.street?.districtCode ?? null;
      street = resolved?.street?.code ?? null;
    }
    // A unit that handed the case back is not suggested again.
    const exclude = view.status === 'returned' && view.unitId ? [view.unitId] : [];
    const names = new Map(ref.unitList().map((u) => [u.id, u]));
    return router
      .suggest({ categoryCode: view.categoryCode, territory: { district: district ? { code: district } : undefined, street: street ? { code: street } : undefined }, excludeUnitIds: exclude })
      .map((s) => ({ ...s, nameZh: names.get(s.unitId)?.nameZh ?? s.unitId, nameEn: names.get(s.unitId)?.nameEn ?? s.unitId }));
  };
  return { name: 'dispatch', handlers: { 'dispatch.suggest': (input) => suggest(input.caseId) } };
}
