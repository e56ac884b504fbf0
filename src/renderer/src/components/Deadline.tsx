import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../shared/domain/case';
import { useFormatters } from '../format';
import { deadlineState, type DeadlineState, type SlaPolicy } from '../../../shared/reference/sla';

const MINUTE = 60_000;

/** The deadline that matters now: signing for while dispatched, replying while with the unit. */
export function currentDeadline(c: CaseView): { kind: 'sign' | 'reply'; at: number; start: number } | null {
  if (c.dispatchedAt === null) return null;
  if (c.status === 'dispatched' && c.signBy !== null && c.acceptedAt === null) return { kind: 'sign', at: c.signBy, start: c.dispatchedAt };
  if ((c.status === 'dispatched' || c.status === 'accepted') && c.replyBy !== null) return { kind: 'reply', at: c.replyBy, start: c.dispatchedAt };
  return null;
}

export function deadlineOf(c: CaseView, now: number, sla: SlaPolicy | null): { kind: 'sign' | 'reply'; at: number; state: DeadlineState } | null {
  const d = currentDeadline(c);
  if (!d) return null;
  const state = sla ? deadlineState(d.start, d.at, now, sla) : now > d.at ? 'overdue' : 'on_time';
  return { kind: d.kind, at: d.at, state };
}

/** "2 d 3 h", "3 h 20 min", "12 min" in the UI language. */
function useDuration() {
  const { i18n } = useTranslation();
  const unit = (u: 'day' | 'hour' | 'minute') => new Intl.NumberFormat(i18n.language, { style: 'unit', unit: u, unitDisplay: 'narrow', maximumFractionDigits: 0 });
  return (ms: number): string => {
    const minutes = Math.max(0, Math.floor(ms / MINUTE));
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days > 0) return `${unit('day').format(days)} ${unit('hour').format(hours)}`;
    if (hours > 0) return `${unit('hour').format(hours)} ${unit('minute').format(mins)}`;
    return unit('minute').format(mins);
  };
}

interface Props {
  view: CaseView;
  now: number;
  sla: SlaPolicy | null;
}

/** A countdown to the current deadline, flagged at risk and overdue (computed against server time). */
export function Deadline({ view, now, sla }: Props) {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const fullTime = useFormatters(i18n.language).fullTime;
  const d = deadlineOf(view, now, sla);
  if (!d) return null;
  const label = d.kind === 'sign' ? t('deadline.signBy') : t('deadline.replyBy');
  const text = d.state === 'overdue' ? t('deadline.overdue', { time: duration(now - d.at) }) : t('deadline.left', { time: duration(d.at - now) });
  return (
    <span className={`deadline deadline--${d.state}`} data-testid="deadline" data-state={d.state} title={fullTime.format(d.at)}>
      <span className="deadline__label">{label}</span> {text}
    </span>
  );
}
