import type { KeyboardEvent } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { cell, cellTitle, type CellContext, type ColumnId } from './columns';

/** Rows: Enter or Space opens, arrows move between rows, Home/End to the ends. */
export function onRowKeyDown(e: KeyboardEvent<HTMLTableRowElement>, open: () => void) {
  const row = e.currentTarget;
  let next: Element | null = null;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    open();
    return;
  }
  if (e.key === 'ArrowDown') next = row.nextElementSibling;
  else if (e.key === 'ArrowUp') next = row.previousElementSibling;
  else if (e.key === 'Home') next = row.parentElement?.firstElementChild ?? null;
  else if (e.key === 'End') next = row.parentElement?.lastElementChild ?? null;
  else return;
  e.preventDefault();
  if (next instanceof HTMLElement) next.focus();
}

export function QueueRow({ view: c, columns, ctx, selected, onSelect, testId = 'case-row' }: { view: CaseView; columns: readonly ColumnId[]; ctx: CellContext; selected: boolean; onSelect: (caseId: string) => void; testId?: string }) {
  return (
    <tr
      data-testid={testId}
      data-case-number={c.number}
      data-pending={c.pending}
      data-status={c.status}
      data-urgency={c.urgency}
      className={[c.pending ? 'is-pending' : '', selected ? 'is-selected' : '', `urg-row--${c.urgency}`].join(' ').trim()}
      tabIndex={0}
      aria-selected={selected}
      onClick={() => onSelect(c.id)}
      onKeyDown={(e) => onRowKeyDown(e, () => onSelect(c.id))}
    >
      {columns.map((col) => (
        <td key={col} className={`col-${col}`} title={cellTitle(col, c, ctx)}>
          {cell(col, c, ctx)}
        </td>
      ))}
    </tr>
  );
}

