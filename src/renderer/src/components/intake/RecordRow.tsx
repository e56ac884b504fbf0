import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallerLanguage, ContactType, Urgency } from '../../../../shared/domain/contact';
import { primaryKeys, type ActionId } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import { CALLER_LANGUAGES, CONTACT_TYPES, URGENCIES, type IntakeValues } from './fields';

interface Props {
  idPrefix: string;
  values: IntakeValues;
  set: (patch: Partial<IntakeValues>) => void;
}

/** The action that sets each contact type with one chord (keys/actions.ts). */
export const TYPE_ACTIONS: Readonly<Record<ContactType, ActionId>> = {
  complaint: 'intake.type.complaint',
  help: 'intake.type.help',
  consultation: 'intake.type.consultation',
  suggestion: 'intake.type.suggestion',
  praise: 'intake.type.praise',
  report: 'intake.type.report',
};
const URGENCY_ACTIONS: Readonly<Partial<Record<Urgency, ActionId>>> = { urgent: 'intake.urgent', emergency: 'intake.emergency' };

/**
 * The intake record beyond what the caller reports: the type of contact and the urgency (one chord
 * each, shown beside the options), the caller's language with the interpreter flag, anonymity and
 * confidentiality. Kept out of Enter's path: the defaults are the common call.
 */
function RecordRowView({ idPrefix, values, set }: Props) {
  const { t } = useTranslation();
  return (
    <div className="record" data-skip-enter="">
      <div className="record__group" role="radiogroup" aria-label={t('intakePane.type')}>
        <span className="record__label" aria-hidden="true">
          {t('intakePane.type')}
        </span>
        {CONTACT_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            role="radio"
            aria-checked={values.contactType === type}
            className="seg"
            data-testid={`intake-type-${type}`}
            aria-keyshortcuts={primaryKeys(TYPE_ACTIONS[type])}
            title={showChord(primaryKeys(TYPE_ACTIONS[type]))}
            onClick={() => set({ contactType: type })}
          >
            {t(`contactType.${type}`)}
            <kbd className="seg__key">{CONTACT_TYPES.indexOf(type) + 1}</kbd>
          </button>
        ))}
      </div>
      <div className="record__group" role="radiogroup" aria-label={t('intakePane.urgency')}>
        <span className="record__label" aria-hidden="true">
          {t('intakePane.urgency')}
        </span>
        {URGENCIES.map((u) => {
          const action = URGENCY_ACTIONS[u];
          return (
            <button
              key={u}
              type="button"
              role="radio"
              aria-checked={values.urgency === u}
              className={`seg seg--${u}`}
              data-testid={`intake-urgency-${u}`}
              aria-keyshortcuts={action ? primaryKeys(action) : undefined}
              onClick={() => set({ urgency: u })}
            >
              {t(`urgency.${u}`)}
              {action && <kbd className="seg__key">{showChord(primaryKeys(action))}</kbd>}
            </button>
          );
        })}
      </div>
      <div className="record__group">
        <label className="record__label" htmlFor={`${idPrefix}-language`}>
          {t('intakePane.language')}
        </label>
        <select
          id={`${idPrefix}-language`}
          data-testid="intake-language"
          value={values.language}
          onChange={(e) => {
            const language = CALLER_LANGUAGES.find((l) => l === e.target.value);
            if (language) set({ language: language satisfies CallerLanguage });
          }}
        >
          {CALLER_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`callerLanguage.${l}`)}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" data-testid="intake-interpreter" checked={values.interpreter} onChange={(e) => set({ interpreter: e.target.checked })} />
          {t('intakePane.interpreter')}
        </label>
        <label className="check">
          <input type="checkbox" data-testid="intake-anonymous" checked={values.anonymous} onChange={(e) => set({ anonymous: e.target.checked })} />
          {t('intakePane.anonymous')}
        </label>
        <label className="check">
          <input type="checkbox" data-testid="intake-confidential" checked={values.confidential} onChange={(e) => set({ confidential: e.target.checked })} />
          {t('intakePane.confidential')}
        </label>
      </div>
    </div>
  );
}

const SHOWN = ['contactType', 'urgency', 'language', 'interpreter', 'anonymous', 'confidential'] as const;

/** Re-renders only when one of its own fields changes (not on every keystroke elsewhere). */
export const RecordRow = memo(RecordRowView, (a, b) => a.idPrefix === b.idPrefix && a.set === b.set && SHOWN.every((k) => a.values[k] === b.values[k]));
