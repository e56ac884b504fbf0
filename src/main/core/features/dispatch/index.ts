import type { DispatchPreview, DispatchSuggestion } from '../../../../shared/contract/contract';
import type { Urgency } from '../../../../shared/domain/contact';
import { deadlineClassOf } from '../../../../shared/reference/sla';
import { getCategory, placeInfo } from '../reference';
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
  /** Where the address is, who would take the case and why, and its deadlines: while the operator types. */
  const preview = (input: { categoryCode: string; address: string; urgency: Urgency }): DispatchPreview => {
    ctx.requireAccount();
    const ref = deps.reference.now();
    const geo = ref.geographyIndex();
    const resolved = geo && input.address.trim().length >= 2 ? geo.resolve(input.address) : null;
    const place = resolved?.community ?? resolved?.street ?? resolved?.district ?? null;
    const districtCode = resolved?.district?.code ?? resolved?.street?.districtCode ?? null;
    const streetCode = resolved?.street?.code ?? resolved?.community?.streetCode ?? null;
    const category = getCategory(ctx.store(), input.categoryCode);
    const router = ref.routerNow();
    const names = new Map(ref.unitList().map((u) => [u.id, u]));
    const suggestions =
      router && category
        ? router
            .suggest({ categoryCode: category.code, territory: { district: districtCode ? { code: districtCode } : undefined, street: streetCode ? { code: streetCode } : undefined } })
            .map((s) => ({ ...s, nameZh: names.get(s.unitId)?.nameZh ?? s.unitId, nameEn: names.get(s.unitId)?.nameEn ?? s.unitId }))
        : [];
    const policy = ref.slaPolicy();
    const slaClass = category && policy ? deadlineClassOf(input.urgency, category.slaClass, policy) : null;
    const deadlines =
      policy && slaClass
        ? {
            dispatchWithinMinutes: policy.urgencies[input.urgency].dispatchWithinMinutes,
            signWithinMinutes: policy.classes[slaClass].signWithinMinutes,
            replyWithinMinutes: policy.classes[slaClass].replyWithinMinutes,
            slaClass,
          }
        : null;
    return {
      place: place && geo ? placeInfo(geo, place.code) : null,
      confidence: resolved?.confidence ?? 0,
      suggestions,
      deadlines,
    };
  };

  return {
    name: 'dispatch',
    handlers: {
      'dispatch.suggest': (input) => suggest(input.caseId),
      'dispatch.preview': (input) => preview(input),
    },
  };
}
