import { useEffect } from 'react';
import { api } from '../api/client';
import { currentLanguage, isLanguage, setLanguage, type Language } from '../i18n';

/** The preference that keeps the UI language: per user on this workstation (the workstation's own before login). */
export const LANGUAGE_PREF = 'ui.language';

/** Switches the UI language now and remembers it in the user's preferences (the core's `prefs`). */
export function chooseLanguage(language: Language): void {
  setLanguage(language);
  void api.invoke('prefs.set', { key: LANGUAGE_PREF, value: language });
}

/**
 * Applies the remembered language whenever whose preferences apply changes (`owner`: the signed-in
 * user, or '' before login): a user gets their language back on any workstation start.
 */
export function useLanguagePref(owner: string): void {
  useEffect(() => {
    let live = true;
    void api.invoke('prefs.get', {}).then((res) => {
      if (!live || !res.ok) return;
      const value = res.value[LANGUAGE_PREF];
      if (isLanguage(value) && value !== currentLanguage()) setLanguage(value);
    });
    return () => {
      live = false;
    };
  }, [owner]);
}
