import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CaseView, TimelineEvent } from '../../../shared/domain/case';
import { useFormatters } from '../format';
import { unitName, type Reference } from '../hooks/useReference';

const KNOWN_KINDS = new Set([
  'registered',
  'reassigned',
  'absorbed',
  'answer',
  'dispatch',
  'accept',
  'return',
  'reply',
  'evaluate',
  'close',
  'reopen',
  'merge',
  'amended',
  'repeat_call',
  'callback_attempt',
  'caller_revealed',
]);

/** Field values an amendment names, as the UI says them. */
function valueText(t: TFunction, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('timeline.none');
  if (typeof value === 'boolean') return value ? t('timeline.yes') : t('timeline.no');
  if (typeof value === 'string') {
    if (field === 'urgency') return t(`urgency.${value}`, { defaultValue: value });
    if (field === 'contactType') return t(`contactType.${value}`, { defaultValue: value });
    if (field === 'language') return t(`callerLanguage.${value}`, { defaultValue: value });
    return value;
  }
  if (typeof value === 'object' && 'from' in value && 'to' in value) return `${String(value.from)}–${String(value.to)}`;
  return JSON.stringify(value);
}

/** What an event adds beyond its kind: the unit it went to, the fields changed, the attempt's outcome. */
function detail(t: TFunction, e: TimelineEvent, reference: Reference, language: string): string | null {
  const d = e.data;
  switch (e.kind) {
    case 'dispatch':
      return typeof d.unitId === 'string' ? `→ ${unitName(reference, d.unitId, language)}` : null;
    case 'reply':
      return typeof d.outcome === 'string' ? t(`outcome.${d.outcome}`, { defaultValue: d.outcome }) : null;
    case 'evaluate':
      return typeof d.resolved === 'boolean' && typeof d.satisfaction === 'string'
        ? `${d.resolved ? t('callback.yes') : t('callback.no')} · ${t(`satisfaction.${d.satisfaction}`, { defaultValue: d.satisfaction })}`
        : null;
    case 'amended': {
      const changes = d.changes;
      if (typeof changes !== 'object' || changes === null) return null;
      return Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>)
        .map(([field, c]) => `${t(`caseView.field.${field}`, { defaultValue: field })}: ${valueText(t, field, c.from)} → ${valueText(t, field, c.to)}`)
        .join('; ');
    }
    case 'repeat_call':
      return typeof d.repeatCount === 'number' ? t('queues.repeat', { count: d.repeatCount }) : null;
    case 'answer': {
      // Answered from a knowledge-base article: its title as it was read on the call.
      const article = d.article;
      return typeof article === 'object' && article !== null && 'title' in article && typeof article.title === 'string' ? t('timeline.fromArticle', { title: article.title }) : null;
    }
    case 'callback_attempt':
      return typeof d.outcome === 'string' ? t(`attempt.outcomes.${d.outcome}`, { defaultValue: d.outcome }) : null;
    default:
      return null;
  }
}

/** Every change to the case: when, what, who (the operator's name, the unit's), from which workstation. */
export function Timeline({ view, reference }: { view: CaseView; reference: Reference }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const who = (e: TimelineEvent): string => {
    if (e.actorKind === 'unit') return unitName(reference, e.actor, i18n.language);
    if (e.actorKind === 'system') return t('timeline.system');
    return reference.users.get(e.actor)?.displayName ?? t('timeline.unknownUser');
  };
  return (
    <ol className="timeline" data-testid="timeline">
      {view.timeline.map((e, i) => {
        const extra = detail(t, e, reference, i18n.language);
        return (
          <li key={`${e.at}-${i}`} className={`timeline__item timeline__item--${e.actorKind} timeline__item--${e.kind}`} data-testid="timeline-item" data-kind={e.kind}>
            <time dateTime={new Date(e.at).toISOString()} title={fmt.fullTime.format(e.at)}>
              {fmt.listTime.format(e.at)}
            </time>
            <span className="timeline__what">{KNOWN_KINDS.has(e.kind) ? t(`timeline.kind.${e.kind}`) : e.kind}</span>
            <span className="timeline__who" data-testid="timeline-who">
              {who(e)}
              {e.actorKind === 'staff' && e.station && <span className="timeline__station"> · {e.station}</span>}
            </span>
            {extra && <span className="timeline__extra">{extra}</span>}
            {e.note && <span className="timeline__note">{e.note}</span>}
          </li>
        );
      })}
    </ol>
  );
}
