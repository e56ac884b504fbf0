import { prep, type LocalDb } from '../../store/db';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';

/** Preferences live in the live space's store: one workstation, one set per user, whatever space they work in. */
function read(db: LocalDb, userId: string): Record<string, unknown> {
  const rows = prep(db, 'SELECT key, value FROM prefs WHERE user_id = ?').all(userId) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

/** prefs.*: the user's settings on this workstation (the workstation's own before anyone logs in). */
export function prefsFeature(ctx: CoreContext): Feature {
  const owner = () => ctx.account?.id ?? '';
  return {
    name: 'prefs',
    handlers: {
      'prefs.get': () => read(ctx.home, owner()),
      'prefs.set': (input) => {
        const value = JSON.stringify(input.value);
        if (input.value === null) prep(ctx.home, 'DELETE FROM prefs WHERE user_id = ? AND key = ?').run(owner(), input.key);
        else
          prep(ctx.home, 'INSERT INTO prefs (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value').run(
            owner(),
            input.key,
            value,
          );
        return null;
      },
    },
  };
}
