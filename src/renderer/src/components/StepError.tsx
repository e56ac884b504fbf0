import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { errorText, fieldText } from '../format';

/**
 * Why the last step was refused, in the UI language: the error's code and each field's reason code
 * (the core's own sentence, in English, is kept for support in the tooltip only).
 */
export function StepError({ error }: { error: AppError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const reasons = Object.values(error.fields ?? {}).map((code) => fieldText(t, code));
  return (
    <p className="alert alert--error" role="alert" data-testid="step-error" data-code={error.code} title={error.message}>
      {errorText(t, error)}
      {reasons.length > 0 && <> {[...new Set(reasons)].join(' · ')}</>}
    </p>
  );
}
