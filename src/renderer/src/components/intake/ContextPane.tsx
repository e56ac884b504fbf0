import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../../../../shared/domain/case';
import { categoryName, useFormatters } from '../../format';
import { primaryKeys } from '../../keys/actions';
import { showChord } from '../../keys/chords';
import type { CategoryTree } from '../../store/categories';
import { spanText } from './durations';
import type { IntakeContext } from './useIntakeContext';

interface Props {
  context: IntakeContext;
  categories: CategoryTree;
  phone: string;
  categoryCode: string;
  /** A repeat call is being linked (the button waits). */
  linking: boolean;
  onLink: (c: CaseView) => void;
  onOpen: (caseId: string) => void;
}

/** The last thing that happened to a case, in a few words: its reply's outcome, the evaluation, or the answer. */
function LastOutcome({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  if (c.evaluation) return <>{t(`satisfaction.${c.evaluation.satisfaction}`)}</>;
  if (c.reply) return <>{t(`outcome.${c.reply.outcome}`)}</>;
  if (c.answer) return <>{t('intakePane.answeredAtIntake')}</>;
  if (c.returnReason && c.status === 'returned') return <>{t('intakePane.returned')}</>;
  return null;
}

/**
 * The context of the call beside intake: where the case would go (unit, reason, deadlines), possible
 * duplicates with one key to link the call to one of them, this caller's earlier cases (the
 * knowledge base's suggestions follow in the same column, see KbSlot).
 */
export const ContextPane = memo(function ContextPane({ context, categories, phone, categoryCode, linking, onLink, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters(i18n.language);
  const zh = i18n.language.startsWith('zh');
  const { preview, similar, history } = context;
  const top = preview?.suggestions[0];
  const categoryOf = (code: string) => {
    const c = categories.byCode.get(code);
    return c ? categoryName(c, i18n.language) : code;
  };
  const linkKey = showChord(primaryKeys('intake.linkDuplicate'));

  return (
    <>
      <section className="context__block" aria-labelledby="ctx-dispatch">
        <h3 id="ctx-dispatch" className="context__title">
          {t('intakePane.suggestion')}
        </h3>
        {top ? (
          <div className="suggestion" data-testid="intake-suggestion" data-unit-id={top.unitId}>
            <p className="suggestion__unit">{zh ? top.nameZh : top.nameEn}</p>
            <p className="suggestion__reason">{zh ? top.reason.zh : top.reason.en}</p>
            {preview.deadlines && (
              <p className="suggestion__deadlines" data-testid="intake-deadlines">
                {t('intakePane.deadlines', {
                  dispatch: spanText(t, preview.deadlines.dispatchWithinMinutes),
                  sign: spanText(t, preview.deadlines.signWithinMinutes),
                  reply: spanText(t, preview.deadlines.replyWithinMinutes),
                })}
              </p>
            )}
            <p className="suggestion__key">
              <kbd>{showChord(primaryKeys('intake.finishDispatch'))}</kbd> {t('intakePane.finishDispatchHint')}
            </p>
          </div>
        ) : (
          <p className="context__empty">{t(categoryCode === '' ? 'intakePane.suggestionNeedsCategory' : 'intakePane.suggestionNeedsAddress')}</p>
        )}
      </section>

      <section className="context__block" aria-labelledby="ctx-similar">
        <h3 id="ctx-similar" className="context__title">
          {t('intakePane.similar')} {similar.length > 0 && <span className="context__count">{fmt.integer.format(similar.length)}</span>}
        </h3>
        {similar.length === 0 ? (
          <p className="context__empty">{t('intakePane.noSimilar')}</p>
        ) : (
          <ol className="context__list" data-testid="intake-similar">
            {similar.map(({ case: c, reasons }, i) => (
              <li key={c.id} className="ctx-case" data-testid="similar-case" data-number={c.number}>
                <div className="ctx-case__head">
                  <button type="button" className="link mono" onClick={() => onOpen(c.id)}>
                    {c.number}
                  </button>
                  <span className={`status status--${c.status}`}>{t(`status.${c.status}`)}</span>
                  <span className="ctx-case__why">{reasons.map((r) => t(`intakePane.reason.${r}`)).join(' · ')}</span>
                </div>
                <p className="ctx-case__what">
                  {categoryOf(c.categoryCode)} · {c.address}
                </p>
                <p className="ctx-case__desc">{c.description}</p>
                <button type="button" className="btn btn--small" disabled={linking} onClick={() => onLink(c)} data-testid="similar-link" aria-keyshortcuts={i === 0 ? primaryKeys('intake.linkDuplicate') : undefined}>
                  {t('intakePane.link')} {i === 0 && <kbd>{linkKey}</kbd>}
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="context__block" aria-labelledby="ctx-history">
        <h3 id="ctx-history" className="context__title">
          {t('intakePane.history')} {history && history.length > 0 && <span className="context__count">{fmt.integer.format(history.length)}</span>}
        </h3>
        {history === null ? (
          <p className="context__empty">{t('intakePane.historyNeedsPhone')}</p>
        ) : history.length === 0 ? (
          <p className="context__empty" data-testid="intake-history-empty">
            {t('intakePane.noHistory', { phone })}
          </p>
        ) : (
          <ol className="context__list" data-testid="intake-history">
            {history.map((c) => (
              <li key={c.id} className="ctx-case ctx-case--compact" data-testid="history-case" data-number={c.number}>
                <div className="ctx-case__head">
                  <button type="button" className="link mono" onClick={() => onOpen(c.id)}>
                    {c.number}
                  </button>
                  <span className="ctx-case__date">{fmt.listTime.format(c.createdAt)}</span>
                  <span className={`status status--${c.status}`}>{t(`status.${c.status}`)}</span>
                  <span className="ctx-case__outcome">
                    <LastOutcome c={c} />
                  </span>
                </div>
                <p className="ctx-case__what">{categoryOf(c.categoryCode)}</p>
              </li>
            ))}
          </ol>
        )}
      </section>

    </>
  );
});
