import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_GROUPS, ACTIONS, CONDITION_LABELS, GROUP_LABELS, WIDGET_KEYS, type ActionDeclaration } from '../keys/actions';
import { showChord } from '../keys/chords';
import { Dialog } from './Dialog';

function Keys({ keys }: { keys: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <>
      {keys.map((k, i) => (
        <span key={k}>
          {i > 0 && <span className="cheatsheet__or"> {t('keymap.cheatSheet.or')} </span>}
          <kbd>{showChord(k)}</kbd>
        </span>
      ))}
    </>
  );
}

/** F1: every action of the keymap by group, with its keys and when it applies, then the widgets' own keys. */
export function CheatSheet({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const bodyRef = useRef<HTMLDivElement>(null);
  const when = (a: ActionDeclaration) => (a.when.length === 0 ? t(CONDITION_LABELS.always) : a.when.map((c) => t(CONDITION_LABELS[c])).join(' · '));
  return (
    <Dialog labelledBy={`${id}-title`} onClose={onClose} initialFocus={bodyRef} className="cheatsheet" testId="cheat-sheet">
      <header className="dialog__head">
        <h2 id={`${id}-title`} className="dialog__title">
          {t('keymap.cheatSheet.title')}
        </h2>
        <button type="button" className="btn btn--small" onClick={onClose} data-testid="cheat-sheet-close">
          {t('keymap.cheatSheet.close')} <kbd>Esc</kbd>
        </button>
      </header>
      {/* Focusable so PageDown and the arrows scroll it. */}
      <div ref={bodyRef} className="cheatsheet__body" tabIndex={0} aria-labelledby={`${id}-title`}>
        {ACTION_GROUPS.map((group) => (
          <section key={group} className="cheatsheet__group" data-testid="cheat-sheet-group" data-group={group}>
            <h3>{t(GROUP_LABELS[group])}</h3>
            <table className="cheatsheet__table">
              <thead>
                <tr>
                  <th scope="col">{t('keymap.cheatSheet.keys')}</th>
                  <th scope="col">{t('keymap.cheatSheet.action')}</th>
                  <th scope="col">{t('keymap.cheatSheet.when')}</th>
                </tr>
              </thead>
              <tbody>
                {ACTIONS.filter((a) => a.group === group).map((a) => (
                  <tr key={a.id} data-action-id={a.id}>
                    <td className="cheatsheet__keys">
                      <Keys keys={a.keys} />
                    </td>
                    <td>{t(a.label)}</td>
                    <td className="muted">{when(a)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        <section className="cheatsheet__group" data-testid="cheat-sheet-group" data-group="widget">
          <h3>{t(GROUP_LABELS.widget)}</h3>
          <table className="cheatsheet__table">
            <tbody>
              {WIDGET_KEYS.map((w) => (
                <tr key={w.label}>
                  <td className="cheatsheet__keys">
                    {w.keys.map((k) => (
                      <kbd key={k}>{showChord(k)}</kbd>
                    ))}
                  </td>
                  <td colSpan={2}>{t(w.label)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </Dialog>
  );
}
