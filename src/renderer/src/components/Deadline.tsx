import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import { dueOf, dueState, type Due, type DueState } from '../../../shared/domain/queue';
import type { SlaPolicy } from '../../../shared/reference/sla';
import { useFormatters } from '../format';
import { useLiveNow } from '../hooks/useTick';

const SECOND = 1000;

/** "2 d 3 h", "3 h 20 min", "42:07" (under an hour, to the second) in the UI language. */
export function useDuration(): (ms: number) => string {
  const { i18n } = useTranslation();
  const unit = (u: 'day' | 'hour' | 'minute') => new Intl.NumberFormat(i18n.language, { style: 'unit', unit: u, unitDisplay: 'narrow', maximumFractionDigits: 0 });
  const two = new Intl.NumberFormat(i18n.language, { minimumIntegerDigits: 2, useGrouping: false });
  return (ms: number): string => {
    const seconds = Math.max(0, Math.floor(ms / SECOND));
    const minutes = Math.floor(seconds / 60);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days > 0) return `${unit('day').format(days)} ${unit('hour').format(hours)}`;
    if (hours > 0) return `${unit('hour').format(hours)} ${unit('minute').format(mins)}`;
    return `${two.format(mins)}:${two.format(seconds % 60)}`;
  };
}

/** The deadline of a case's state with how it stands now (the queues and the case view show this). */
export function dueNow(view: CaseView, now: number, sla: SlaPolicy | null): { due: Due; state: DueState } {
  const due = dueOf(view, sla);
  return { due, state: dueState(due, now, sla) };
}

interface Props {
  view: CaseView;
  sla: SlaPolicy | null;
  /** Drop the label (a column whose head says it). */
  compact?: boolean;
}

/**
 * The deadline that applies to the case in its state, counting down live (server time): dispatch,
 * re-dispatch, the unit's sign-for and reply, the callback when the citizen is due, the decision
 * after it; marked at risk and overdue; for a finished case, when it ended.
 */
export function Deadline({ view, sla, compact = false }: Props) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const fmt = useFormatters(i18n.language);
  const now = useLiveNow();
  const { due, state } = dueNow(view, now, sla);
  const label = t(`due.kind.${due.kind}`);
  let text: string;
  if (due.at === null) text = t('due.noPolicy');
  else if (state === 'done') text = fmt.listTime.format(due.at);
  else if (state === 'overdue') text = t('due.overdue', { time: duration(now - due.at) });
  else if (state === 'due') text = t('due.dueSince', { time: duration(now - due.at) });
  else text = t('due.left', { time: duration(due.at - now) });
  return (
    <span
      className={`deadline deadline--${state}`}
      data-testid="deadline"
      data-state={state}
      data-kind={due.kind}
      data-at={due.at ?? ''}
      title={due.at === null ? label : `${label} · ${fmt.fullTime.format(due.at)}`}
    >
      {!compact && <span className="deadline__label">{label}</span>} {text}
    </span>
  );
}
