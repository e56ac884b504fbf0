import { useTranslation } from 'react-i18next';
import type { IntakeQuestion } from '../../../shared/reference/categories';
import type { IntakeAnswers } from '../../../shared/reference/intake';
import { fieldText } from '../format';

interface Props {
  idPrefix: string;
  questions: readonly IntakeQuestion[];
  /** What the operator typed or picked, per question key ('' = not answered). */
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, string>>;
  onChange: (key: string, value: string) => void;
}

export const questionInputId = (idPrefix: string, key: string) => `${idPrefix}-q-${key}`;

/** The answers as the case stores them: numbers and yes/no typed, blanks left out. */
export function toAnswers(questions: readonly IntakeQuestion[], values: Readonly<Record<string, string>>): IntakeAnswers {
  const out: IntakeAnswers = {};
  for (const q of questions) {
    const raw = (values[q.key] ?? '').trim();
    if (raw === '') continue;
    if (q.type === 'number') out[q.key] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else if (q.type === 'boolean') out[q.key] = raw === 'true';
    else out[q.key] = raw;
  }
  return out;
}

/**
 * The category's intake questions, asked in order after the description. Yes/no questions are a
 * select with a blank first entry, so "not asked yet" is visible and the keyboard picks an answer.
 */
export function IntakeQuestions({ idPrefix, questions, values, errors, onChange }: Props) {
  const { t, i18n } = useTranslation();
  if (questions.length === 0) return null;
  const zh = i18n.language.startsWith('zh');
  return (
    <fieldset className="intake__questions" data-testid="intake-questions">
      <legend>{t('intake.questions')}</legend>
      {questions.map((q) => {
        const inputId = questionInputId(idPrefix, q.key);
        const error = errors[q.key];
        const common = {
          id: inputId,
          'data-testid': `intake-q-${q.key}`,
          'data-question-type': q.type,
          'aria-required': q.required,
          'aria-invalid': error !== undefined,
          'aria-describedby': error ? `${inputId}-error` : undefined,
          value: values[q.key] ?? '',
        };
        return (
          <div className="field" key={q.key}>
            <label className="field__label" htmlFor={inputId}>
              {zh ? q.labelZh : q.labelEn} {q.required && <span className="field__req" aria-hidden="true">*</span>}
            </label>
            {q.type === 'choice' || q.type === 'boolean' ? (
              <select {...common} onChange={(e) => onChange(q.key, e.target.value)}>
                <option value="">{t('intake.notAnswered')}</option>
                {q.type === 'boolean' ? (
                  <>
                    <option value="true">{t('intake.yes')}</option>
                    <option value="false">{t('intake.no')}</option>
                  </>
                ) : (
                  (q.choices ?? []).map((c) => (
                    <option key={c.value} value={c.value}>
                      {zh ? c.labelZh : c.labelEn}
                    </option>
                  ))
                )}
              </select>
            ) : (
              <input
                {...common}
                type={q.type === 'number' ? 'number' : q.type === 'datetime' ? 'datetime-local' : 'text'}
                autoComplete="off"
                maxLength={q.type === 'text' ? 1000 : undefined}
                onChange={(e) => onChange(q.key, e.target.value)}
              />
            )}
            {error && (
              <p className="field__error" id={`${inputId}-error`} role="alert">
                {fieldText(t, error)}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
