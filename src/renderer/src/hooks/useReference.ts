import type { Reference } from '../store/store';

export type { Reference } from '../store/store';
export { useReference } from '../store/hooks';

export function unitName(ref: Reference, unitId: string | null, language: string): string {
  if (!unitId) return '';
  const u = ref.units.get(unitId);
  if (!u) return unitId;
  return language.startsWith('zh') ? u.nameZh : u.nameEn;
}
