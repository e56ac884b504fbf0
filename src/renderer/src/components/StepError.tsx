import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { errorText } from '../format';

/** Why the last step was refused on this workstation (the server's refusals arrive as rejections). */
export function StepError({ error }: { error: AppError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="alert alert--error" role="alert" data-testid="step-error">
      {errorText(t, error)} <small className="muted">{error.message}</small>
    </p>
  );
}
