import { useEffect, useState } from 'react';
import type { UnitInfo } from '../../../shared/contract/contract';
import type { SlaPolicy } from '../../../shared/reference/sla';
import { api } from '../api/client';

export interface Reference {
  units: ReadonlyMap<string, UnitInfo>;
  sla: SlaPolicy | null;
}

const EMPTY: Reference = { units: new Map(), sla: null };

/** Units and the SLA policy from the workstation's reference cache; retried after syncs until present. */
export function useReference(): Reference {
  const [ref, setRef] = useState<Reference>(EMPTY);
  useEffect(() => {
    let active = true;
    let have = false;
    const load = () =>
      void Promise.all([api.invoke('reference.units', {}), api.invoke('reference.sla', {})]).then(([units, sla]) => {
        if (!active || !units.ok || !sla.ok) return;
        have = units.value.length > 0 && sla.value !== null;
        setRef({ units: new Map(units.value.map((u) => [u.id, u])), sla: sla.value });
      });
    load();
    const off = api.on('sync.status', (s) => {
      if (!have && s.online && !s.syncing) load();
    });
    return () => {
      active = false;
      off();
    };
  }, []);
  return ref;
}

export function unitName(ref: Reference, unitId: string | null, language: string): string {
  if (!unitId) return '';
  const u = ref.units.get(unitId);
  if (!u) return unitId;
  return language.startsWith('zh') ? u.nameZh : u.nameEn;
}
