import type { ArticleHit } from '../../../../shared/contract/contract';
import type { AnsweredArticle } from '../../../../shared/domain/lifecycle';

/** What intake needs of an article to answer from it: the words to say and the link for the case. */
export interface ArticleForAnswer {
  article: AnsweredArticle;
  answerScript: string;
}

/** insert: the answer script goes into intake's direct-answer field; answer: and the call is registered answered. */
export interface ArticleOffer extends ArticleForAnswer {
  kind: 'insert' | 'answer';
}

/** Opens the KB panel: on an article, or on the intake's suggestions. */
export interface PanelRequest {
  articleId?: string;
  suggestions?: readonly ArticleHit[];
}

function channel<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    emit(value: T): boolean {
      for (const l of listeners) l(value);
      return listeners.size > 0;
    },
    on(listener: (value: T) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const offers = channel<ArticleOffer>();
const panel = channel<PanelRequest>();

/** The KB panel and the suggestions hand an article to intake; false when no intake is listening. */
export const offerToIntake = (offer: ArticleOffer): boolean => offers.emit(offer);
export const onArticleOffered = (listener: (offer: ArticleOffer) => void): (() => void) => offers.on(listener);

export const openKbPanel = (request: PanelRequest): boolean => panel.emit(request);
export const onOpenKbPanel = (listener: (request: PanelRequest) => void): (() => void) => panel.on(listener);

export function forAnswer(a: { id: string; version: number; title: string; answerScript: string }): ArticleForAnswer {
  return { article: { id: a.id, version: a.version, title: a.title.slice(0, 120) }, answerScript: a.answerScript };
}
