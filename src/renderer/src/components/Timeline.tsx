import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import { useFormatters } from '../format';
import { unitName, type Reference } from '../hooks/useReference';

const KNOWN_KINDS = new Set(['registered', 'reassigned', 'absorbed', 'answer', 'dispatch', 'accept', 'return', 'reply', 'evaluate', 'close', 'reopen', 'merge']);

/** Every change to the case: when, what, who, from which workstation or unit. */
export function Timeline({ view, reference }: { view: CaseView; reference: Reference }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  return (
    <ol className="timeline" data-testid="timeline">
      {view.timeline.map((e, i) => (
        <li key={`${e.at}-${i}`} className={`timeline__item timeline__item--${e.actorKind}`} data-testid="timeline-item" data-kind={e.kind}>
          <time dateTime={new Date(e.at).toISOString()}>{fmt.listTime.format(e.at)}</time>
          <span className="timeline__what">{KNOWN_KINDS.has(e.kind) ? t(`timeline.kind.${e.kind}`) : e.kind}</span>
          <span className="timeline__who">
            {e.actorKind === 'unit' ? unitName(reference, e.actor, i18n.language) : e.actorKind === 'system' ? t('timeline.system') : e.station ?? ''}
          </span>
          {e.kind === 'dispatch' && typeof e.data.unitId === 'string' && <span className="timeline__note">→ {unitName(reference, e.data.unitId, i18n.language)}</span>}
          {e.note && <span className="timeline__note">{e.note}</span>}
        </li>
      ))}
    </ol>
  );
}
