import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, isLanguage } from '../i18n';
import { chooseLanguage } from '../hooks/useLanguagePref';

/** UI language picker; each language is named in itself so anyone can find theirs. Remembered in the user's preferences. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t } = useTranslation(); // also re-renders this on a language change
  const id = useId();
  return (
    <span className={['lang-switch', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="lang-switch__label">
        {t('language.label')}
      </label>
      <select
        id={id}
        data-testid="lang-switch"
        value={currentLanguage()}
        onChange={(e) => {
          if (isLanguage(e.target.value)) chooseLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`language.names.${lng}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
