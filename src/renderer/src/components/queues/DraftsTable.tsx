import { useTranslation } from 'react-i18next';
import type { Draft } from '../../../../shared/domain/draft';
import { categoryName, errorText, useFormatters } from '../../format';
import { keymap } from '../../keys/registry';
import type { CategoryTree } from '../../store/categories';
import { openDraftInIntake } from '../intake/intakeBus';
import { onRowKeyDown } from './QueueRow';
import { useDrafts } from './useDrafts';

/** Takes a draft up in intake: an open case closes first (the phone field's action), then intake fills the form. */
function takeUp(draft: Draft): void {
  keymap.run('intake.focusPhone');
  openDraftInIntake(draft);
}

/** Calls parked (F8) or left half-typed, newest first; Enter takes one up again in intake. */
export function DraftsTable({ categories }: { categories: CategoryTree }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const { drafts, error } = useDrafts(true);
  if (error) {
    return (
      <p className="alert alert--error" role="alert">
        {t('cases.loadError', { reason: errorText(t, error) })}
      </p>
    );
  }
  if (drafts === null) return <p className="cases__empty">{t('cases.loading')}</p>;
  if (drafts.length === 0) return <p className="cases__empty">{t('queues.drafts.empty')}</p>;
  return (
    <table className="case-table queue-table" data-testid="drafts-table">
      <thead>
        <tr>
          <th scope="col" className="col-createdAt">
            {t('queues.drafts.saved')}
          </th>
          <th scope="col" className="col-phone">
            {t('queues.col.phone')}
          </th>
          <th scope="col" className="col-urgency">
            {t('queues.col.urgency')}
          </th>
          <th scope="col" className="col-category">
            {t('queues.col.category')}
          </th>
          <th scope="col">{t('queues.drafts.what')}</th>
        </tr>
      </thead>
      <tbody>
        {drafts.map((d) => {
          const f = d.fields;
          const cat = f.categoryCode ? categories.byCode.get(f.categoryCode) : undefined;
          const what = [f.address, f.description].filter(Boolean).join(' · ');
          return (
            <tr key={d.id} tabIndex={0} data-testid="draft-row" onClick={() => takeUp(d)} onKeyDown={(e) => onRowKeyDown(e, () => takeUp(d))}>
              <td className="col-createdAt">
                <time dateTime={new Date(d.updatedAt).toISOString()}>{fmt.listTime.format(d.updatedAt)}</time>
              </td>
              <td className="col-phone mono">{f.callerPhone || f.callFrom || ''}</td>
              <td className="col-urgency">
                <span className={`urg urg--${f.urgency ?? 'normal'}`}>{t(`urgency.${f.urgency ?? 'normal'}`)}</span>
              </td>
              <td className="col-category">{cat ? categoryName(cat, i18n.language) : (f.categoryCode ?? '')}</td>
              <td title={what}>{what || <span className="muted">{t('queues.drafts.nothing')}</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
