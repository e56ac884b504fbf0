import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rejectionReasonText } from '../../format';
import { confirmationOf } from './confirmation';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { useAction } from '../../keys/hooks';
import { useCase, useRejections } from '../../store/hooks';

/** What the last call ended in: a case registered (and maybe dispatched or answered), or a repeat call linked. */
export interface Finished {
  kind: 'registered' | 'dispatched' | 'answered' | 'linked';
  caseId: string;
  number: string;
  /** The unit it went to (dispatched). */
  unitName?: string | undefined;
}

/**
 * The number to read to the caller, large and copyable, with where it stands: saved on this
 * workstation, confirmed by the central server, or refused by it (the reason in the UI language;
 * never a success look beside a refusal).
 */
export const FinishResult = memo(function FinishResult({ finished, onOpen }: { finished: Finished; onOpen: (caseId: string) => void }) {
  const { t } = useTranslation();
  const { view } = useCase(finished.caseId);
  const { rejections } = useRejections();
  const [copied, setCopied] = useState(false);
  const refusal = rejections.find((r) => r.caseNumber === finished.number);
  const state = confirmationOf(finished.number, view, rejections);

  const copy = () => {
    void navigator.clipboard.writeText(finished.number).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  useAction('intake.copyNumber', copy);

  return (
    <div className={`finish finish--${state}`} data-testid="intake-finish" data-state={state} data-kind={finished.kind} role="status" aria-live="polite">
      <p className="finish__what">{t(`intakePane.finished.${finished.kind}`, { unit: finished.unitName ?? '' })}</p>
      <p className="finish__number">
        <output className="case-number case-number--big mono" data-testid="intake-number" tabIndex={-1}>
          {finished.number}
        </output>
        <button type="button" className="btn btn--small" onClick={copy} aria-keyshortcuts={primaryKeys('intake.copyNumber')} data-testid="intake-copy">
          {copied ? t('intakePane.copied') : t('intakePane.copy')} <kbd>{showChord(primaryKeys('intake.copyNumber'))}</kbd>
        </button>
        <button type="button" className="btn btn--small" onClick={() => onOpen(finished.caseId)} aria-keyshortcuts={primaryKeys('intake.openCreated')} data-testid="intake-open">
          {t('intakePane.open')} <kbd>{showChord(primaryKeys('intake.openCreated'))}</kbd>
        </button>
      </p>
      <p className="finish__state" data-testid="intake-confirmation">
        <span className="finish__mark" aria-hidden="true">
          {state === 'confirmed' ? '✓' : state === 'refused' ? '✕' : '…'}
        </span>{' '}
        {state === 'refused' && refusal
          ? t('intakePane.state.refused', { reason: rejectionReasonText(t, refusal.code) })
          : t(`intakePane.state.${state}`)}
      </p>
      {state !== 'refused' && <p className="finish__read">{t('intakePane.readNumber')}</p>}
    </div>
  );
});
