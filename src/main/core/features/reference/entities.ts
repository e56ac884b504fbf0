import { clearCategories, deleteCategory, putCategory } from './categories-store';
import { clearUsers, deleteUser, putUser } from './users-store';
import type { LocalEntity } from '../../sync/local';

// Reference data as the reference scope brings it: categories and the user directory get view
// tables; reference documents are read from the confirmed state itself (offline-reference.ts).

export const categoryEntity: LocalEntity<'category'> = {
  project: (db, id, state) => (state ? putCategory(db, state) : deleteCategory(db, id)),
  clear: clearCategories,
  notify: (events) => events.emit('reference.changed', { kinds: ['category'] }),
};

export const userEntity: LocalEntity<'user'> = {
  project: (db, id, state) => (state ? putUser(db, state) : deleteUser(db, id)),
  clear: clearUsers,
  notify: (events) => events.emit('reference.changed', { kinds: ['user'] }),
};

export const refdocEntity: LocalEntity<'refdoc'> = {
  project: () => undefined,
  clear: () => undefined,
  notify: (events) => events.emit('reference.changed', { kinds: ['refdoc'] }),
};
