import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Rejection } from '../../../shared/contract/contract';
import { rejectionReasonText, useFormatters } from '../format';

function mutationLabel(t: TFunction, name: string, exists: (key: string) => boolean): string {
  const key = `mutations.${name}`;
  return /^[a-zA-Z]+$/.test(name) && exists(key) ? t(key) : name;
}

/** Changes the server refused: they were rolled back locally, and the operator must know why. */
export function RejectionBanner({
  rejections,
  onDismiss,
  onRedo,
}: {
  rejections: readonly Rejection[];
  onDismiss: (mutationId: string) => void;
  onRedo: (mutationId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  if (rejections.length === 0) return null;
  return (
    <section className="rejections" role="alert" data-testid="rejection-banner" aria-labelledby="rejections-title">
      <h2 id="rejections-title" className="rejections__title">
        {t('rejections.title')}
      </h2>
      <ul className="rejections__list">
        {rejections.map((r) => (
          <li key={r.mutationId} className="rejections__item" data-mutation-id={r.mutationId}>
            <span className="case-number mono">{r.caseNumber ?? t('rejections.noNumber')}</span>
            <span className="rejections__what">{mutationLabel(t, r.name, (key) => i18n.exists(key))}</span>
            {/* The reason in the UI language; the server's own sentence is English: shown beside it in English, else kept for support in the tooltip. */}
            <strong className="rejections__reason" title={r.message ? t('rejections.serverSaid', { message: r.message }) : undefined}>
              {rejectionReasonText(t, r.code)}
            </strong>
            {r.message && !i18n.language.startsWith('zh') && <span className="rejections__message">{t('rejections.serverSaid', { message: r.message })}</span>}
            <time className="rejections__time" dateTime={new Date(r.at).toISOString()}>
              {fmt.listTime.format(r.at)}
            </time>
            {r.redoable && (
              <button type="button" className="btn btn--small" data-testid="rejection-redo" onClick={() => onRedo(r.mutationId)}>
                {t('rejections.redo')}
              </button>
            )}
            <button
              type="button"
              className="btn btn--small"
              onClick={() => onDismiss(r.mutationId)}
              aria-label={t('rejections.dismissLabel', { number: r.caseNumber ?? t('rejections.noNumber') })}
            >
              {t('rejections.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
