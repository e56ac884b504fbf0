import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { CaseView } from '../../../../shared/domain/case';
import type { SlaPolicy } from '../../../../shared/reference/sla';
import { categoryName } from '../../format';
import { unitName, type Reference } from '../../hooks/useReference';
import type { CategoryTree } from '../../store/categories';
import { Deadline } from '../Deadline';

/** What a queue table can show; each tab picks the columns its work needs. */
export type ColumnId = 'number' | 'createdAt' | 'meta' | 'urgency' | 'type' | 'language' | 'category' | 'phone' | 'address' | 'status' | 'unit' | 'reply' | 'callback' | 'returnReason' | 'deadline';

export interface CellContext {
  t: TFunction;
  language: string;
  categories: CategoryTree;
  reference: Reference;
  sla: SlaPolicy | null;
  listTime: Intl.DateTimeFormat;
}

/** The urgency chip: coloured, a repeat caller's count beside it. */
export function UrgencyChip({ view, t }: { view: Pick<CaseView, 'urgency' | 'repeatCount'>; t: TFunction }) {
  return (
    <span className={`urg urg--${view.urgency}`} data-testid="urgency" data-urgency={view.urgency}>
      {t(`urgency.${view.urgency}`)}
      {view.repeatCount > 0 && <span className="urg__repeat">{t('queues.repeat', { count: view.repeatCount })}</span>}
    </span>
  );
}

export function StatusChip({ view, t }: { view: Pick<CaseView, 'status' | 'pending'>; t: TFunction }) {
  return (
    <>
      <span className={`status status--${view.status}`}>{t(`status.${view.status}`)}</span>
      {view.pending && (
        <span className="badge badge--pending" title={t('cases.pendingHint')}>
          {t('cases.pending')}
        </span>
      )}
    </>
  );
}

/** The callback's facts: the window the citizen asked for, failed attempts, the number to call. */
function callbackCell(c: CaseView, { t }: CellContext): ReactNode {
  const parts: string[] = [];
  if (c.callbackWindow) parts.push(t('queues.window', { from: c.callbackWindow.from, to: c.callbackWindow.to }));
  if (c.callbackAttempts > 0) parts.push(t('queues.attempts', { count: c.callbackAttempts }));
  if (c.evaluation) parts.push(`${c.evaluation.resolved ? t('callback.yes') : t('callback.no')} · ${t(`satisfaction.${c.evaluation.satisfaction}`)}`);
  return parts.length > 0 ? parts.join(' · ') : <span className="muted">{t('queues.noAttempt')}</span>;
}

/** The header row of a case table: one translated, scoped heading per column. */
export function QueueHead({ columns, t }: { columns: readonly ColumnId[]; t: TFunction }) {
  return (
    <thead>
      <tr>
        {columns.map((col) => (
          <th key={col} scope="col" className={`col-${col}`}>
            {t(`queues.col.${col}`)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function cell(id: ColumnId, c: CaseView, ctx: CellContext): ReactNode {
  const { t, language } = ctx;
  switch (id) {
    case 'number':
      return <span className="mono">{c.number}</span>;
    case 'createdAt':
      return (
        <time dateTime={new Date(c.createdAt).toISOString()}>{ctx.listTime.format(c.createdAt)}</time>
      );
    case 'meta':
      // Urgency, type and language in one cell: a narrow pane still shows all three.
      return (
        <span className="meta">
          <UrgencyChip view={c} t={t} />
          <span className="meta__type">{t(`contactType.${c.contactType}`)}</span>
          {c.language !== 'zh' && <span className="chip chip--lang">{t(`callerLanguage.${c.language}`)}</span>}
          {c.interpreter && <span className="chip chip--interp" title={t('queues.interpreterHint')}>{t('queues.interpreter')}</span>}
        </span>
      );
    case 'urgency':
      return <UrgencyChip view={c} t={t} />;
    case 'type':
      return t(`contactType.${c.contactType}`);
    case 'language':
      return (
        <>
          {t(`callerLanguage.${c.language}`)}
          {c.interpreter && <span className="chip chip--interp" title={t('queues.interpreterHint')}>{t('queues.interpreter')}</span>}
        </>
      );
    case 'category': {
      const cat = ctx.categories.byCode.get(c.categoryCode);
      return cat ? categoryName(cat, language) : c.categoryCode;
    }
    case 'phone':
      return c.callerHidden ? <span className="muted">{t('caseView.hidden')}</span> : <span className="mono">{c.callerPhone}</span>;
    case 'address':
      return c.address;
    case 'status':
      return <StatusChip view={c} t={t} />;
    case 'unit':
      return unitName(ctx.reference, c.unitId, language) || <span className="muted">—</span>;
    case 'reply':
      return c.reply ? (
        <>
          <span className={`outcome outcome--${c.reply.outcome}`}>{t(`outcome.${c.reply.outcome}`)}</span> {c.reply.text}
        </>
      ) : (
        <span className="muted">—</span>
      );
    case 'callback':
      return callbackCell(c, ctx);
    case 'returnReason':
      return c.returnReason ?? <span className="muted">—</span>;
    case 'deadline':
      return <Deadline view={c} sla={ctx.sla} />;
  }
}

/** A cell's text for its tooltip (long cells are cut with an ellipsis). */
export function cellTitle(id: ColumnId, c: CaseView, ctx: CellContext): string | undefined {
  switch (id) {
    case 'address':
      return c.address;
    case 'reply':
      return c.reply?.text;
    case 'returnReason':
      return c.returnReason ?? undefined;
    case 'category': {
      const cat = ctx.categories.byCode.get(c.categoryCode);
      return cat ? categoryName(cat, ctx.language) : c.categoryCode;
    }
    case 'meta':
      return [ctx.t(`urgency.${c.urgency}`), ctx.t(`contactType.${c.contactType}`), ctx.t(`callerLanguage.${c.language}`)].join(' · ');
    case 'unit':
      return unitName(ctx.reference, c.unitId, ctx.language) || undefined;
    default:
      return undefined;
  }
}
