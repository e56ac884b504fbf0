import { useTranslation } from 'react-i18next';
import type { SyncProgress } from '../../../shared/contract/contract';

/** Shown while a catch-up longer than one page streams in; it can be interrupted and resumes. */
export function SyncProgressBar({ progress }: { progress: SyncProgress | null }) {
  const { t, i18n } = useTranslation();
  if (!progress) return null;
  const fmt = new Intl.NumberFormat(i18n.language);
  return (
    <div className="sync-progress" role="status" data-testid="sync-progress">
      <label>
        {t('sync.progress', { received: fmt.format(progress.received), total: fmt.format(progress.total) })}
        <progress max={progress.total} value={progress.received} />
      </label>
    </div>
  );
}
