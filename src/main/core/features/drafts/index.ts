import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import { deleteDraft, listDrafts, saveDraft } from './store';

export { deleteDraft } from './store';

/**
 * drafts.*: the intake form kept as the operator types (the renderer saves it a moment after each
 * change). Written with the store's full durability, like a case, so a power cut keeps it too.
 */
export function draftsFeature(ctx: CoreContext): Feature {
  return {
    name: 'drafts',
    handlers: {
      'drafts.save': (input) => saveDraft(ctx.store(), ctx.requireAccount().id, input.id, input.fields, Date.now()),
      'drafts.list': () => listDrafts(ctx.store(), ctx.requireAccount().id),
      'drafts.discard': (input) => {
        deleteDraft(ctx.store(), ctx.requireAccount().id, input.id);
        return null;
      },
    },
  };
}
