import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';

/** app.info: which build, in which host, with its data where. */
export function appFeature(ctx: CoreContext): Feature {
  const { version, mode, dataDir } = ctx.opts;
  return { name: 'app', handlers: { 'app.info': () => ({ version, mode, dataDir }) } };
}
