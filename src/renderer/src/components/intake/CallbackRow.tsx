import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldText } from '../../format';
import { FieldError } from '../FieldError';
import { plainDigits } from './enterNav';
import type { IntakeValues } from './fields';

interface Props {
  idPrefix: string;
  values: IntakeValues;
  set: (patch: Partial<IntakeValues>) => void;
  errors: Partial<Record<string, string>>;
}

/** The number to call back when it is not the calling one, and the time of day the citizen prefers (HH:MM–HH:MM). */
function CallbackRowView({ idPrefix, values, set, errors }: Props) {
  const { t } = useTranslation();
  const phoneError = errors.callbackPhone;
  const windowError = errors.callbackWindow;
  return (
    <div className="callback-row" data-skip-enter="">
      <div className="field field--cbphone">
        <label className="field__label" htmlFor={`${idPrefix}-callbackPhone`}>
          {t('intakePane.callbackPhone')} <span className="field__opt">{t('intake.optional')}</span>
        </label>
        <input
          id={`${idPrefix}-callbackPhone`}
          data-testid="intake-callback-phone"
          type="tel"
          className="mono"
          autoComplete="off"
          maxLength={30}
          value={values.callbackPhone}
          aria-invalid={phoneError ? true : undefined}
          onChange={(e) => set({ callbackPhone: plainDigits(e.target.value) })}
        />
        {phoneError && <FieldError id={`${idPrefix}-callbackPhone-error`} text={fieldText(t, phoneError)} />}
      </div>
      <div className="field field--window">
        <label className="field__label" htmlFor={`${idPrefix}-callbackWindow`}>
          {t('intakePane.callbackWindow')}
        </label>
        <span className="window-inputs">
          <input
            id={`${idPrefix}-callbackWindow`}
            data-testid="intake-callback-from"
            className="mono"
            placeholder="09:00"
            maxLength={5}
            aria-label={t('intakePane.callbackFrom')}
            aria-invalid={windowError ? true : undefined}
            value={values.callbackFrom}
            onChange={(e) => set({ callbackFrom: plainDigits(e.target.value).replace('：', ':') })}
          />
          –
          <input
            data-testid="intake-callback-to"
            className="mono"
            placeholder="18:00"
            maxLength={5}
            aria-label={t('intakePane.callbackTo')}
            aria-invalid={windowError ? true : undefined}
            value={values.callbackTo}
            onChange={(e) => set({ callbackTo: plainDigits(e.target.value).replace('：', ':') })}
          />
        </span>
        {windowError && <FieldError id={`${idPrefix}-callbackWindow-error`} text={fieldText(t, windowError)} />}
      </div>
    </div>
  );
}

const SHOWN = ['callbackPhone', 'callbackFrom', 'callbackTo'] as const;

/** Re-renders only when one of its own fields or their errors change. */
export const CallbackRow = memo(
  CallbackRowView,
  (a, b) =>
    a.idPrefix === b.idPrefix &&
    a.set === b.set &&
    a.errors.callbackPhone === b.errors.callbackPhone &&
    a.errors.callbackWindow === b.errors.callbackWindow &&
    SHOWN.every((k) => a.values[k] === b.values[k]),
);
