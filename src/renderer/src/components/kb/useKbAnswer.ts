import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { ContactType } from '../../../../shared/domain/contact';
import type { AnsweredArticle } from '../../../../shared/domain/lifecycle';
import { onArticleOffered } from './kbBus';

interface Options {
  /** Intake is on screen (not behind an open case). */
  visible: boolean;
  /** The direct answer as typed. */
  answer: string;
  set: (patch: { answer?: string; contactType?: ContactType }) => void;
  answerRef: RefObject<HTMLTextAreaElement | null>;
  /** Registers the call answered (intake's F7). */
  finishAnswer: () => void;
}

/**
 * Intake's side of answering from the knowledge base: an article offered by the KB panel or the
 * suggestions (Alt+I) fills the direct answer with its script and is linked to it; Alt+A does that
 * and registers the call answered. The article returned goes with the answer step; it is let go
 * when the answer is emptied (a finished, parked or discarded call).
 */
export function useKbAnswer({ visible, answer, set, answerRef, finishAnswer }: Options): AnsweredArticle | null {
  const [article, setArticle] = useState<AnsweredArticle | null>(null);
  const [finishAsked, setFinishAsked] = useState(0);
  const [focusAsked, setFocusAsked] = useState(0);
  const latest = useRef({ answer, set, finishAnswer });
  useLayoutEffect(() => {
    latest.current = { answer, set, finishAnswer };
  });

  useEffect(() => {
    if (!visible) return;
    return onArticleOffered((offer) => {
      const typed = latest.current.answer.trim();
      // A typed answer is kept when answering at once; inserting puts the script in its place.
      latest.current.set({ answer: offer.kind === 'answer' && typed !== '' ? latest.current.answer : offer.answerScript, contactType: 'consultation' });
      setArticle(offer.article);
      if (offer.kind === 'answer') setFinishAsked((n) => n + 1);
      else setFocusAsked((n) => n + 1);
    });
  }, [visible]);

  // After the render that shows the answer field (a consultation's), focus goes into it.
  useEffect(() => {
    if (focusAsked > 0) answerRef.current?.focus();
  }, [focusAsked, answerRef]);

  // Runs after the render that holds the script in the form, so the finish sends it.
  useEffect(() => {
    if (finishAsked > 0) latest.current.finishAnswer();
  }, [finishAsked]);

  const linked = answer.trim() === '' ? null : article;
  useEffect(() => {
    if (answer.trim() === '' && article !== null) setArticle(null);
  }, [answer, article]);
  return linked;
}
