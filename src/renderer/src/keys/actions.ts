/**
 * The keymap: every keyboard action of the workstation, declared once. The window's one keydown
 * listener (keymap.ts), the command palette (Ctrl+K), the cheat sheet (F1) and README's shortcut
 * table (`npm run docs:shortcuts`) are all generated from these declarations.
 *
 * No React or DOM here: scripts/gen-shortcuts.ts and the unit tests import this file in Node.
 */
import { chordId, parseChord } from './chords';

/**
 * Facts about the screen that decide whether an action applies, set by the components that know
 * them (keymap.ts `useKeyFlag`): a modal dialog is open, a case is open, a case was just registered.
 */
export const KEY_FLAGS = ['dialog', 'caseOpen', 'created'] as const;
export type KeyFlag = (typeof KEY_FLAGS)[number];

/** `caseOpen`: only while the flag is set; `!dialog`: only while it is not. All must hold. */
export type Condition = KeyFlag | `!${KeyFlag}`;

export const ACTION_GROUPS = ['general', 'intake', 'lists', 'case', 'kb', 'kbEditor'] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

/** i18n keys of the groups' titles; widget keys come last under their own title. */
export const GROUP_LABELS: Readonly<Record<ActionGroup | 'widget', string>> = {
  general: 'keymap.groups.general',
  intake: 'keymap.groups.intake',
  lists: 'keymap.groups.lists',
  case: 'keymap.groups.case',
  kb: 'keymap.groups.kb',
  kbEditor: 'keymap.groups.kbEditor',
  widget: 'keymap.groups.widget',
};

/** i18n keys of the conditions, as the cheat sheet and README say them. */
export const CONDITION_LABELS: Readonly<Record<Condition | 'always', string>> = {
  always: 'keymap.when.always',
  dialog: 'keymap.when.dialog',
  '!dialog': 'keymap.when.notDialog',
  caseOpen: 'keymap.when.caseOpen',
  '!caseOpen': 'keymap.when.notCaseOpen',
  created: 'keymap.when.created',
  '!created': 'keymap.when.notCreated',
};

export interface ActionDeclaration {
  readonly id: string;
  /** Default chords, the first one shown (e.g. `Alt+N`, `Ctrl+K`, `F1`, `Alt+1`, `Escape`). */
  readonly keys: readonly string[];
  /** i18n key of what the action does, in the imperative ("Open the command palette"). */
  readonly label: string;
  readonly group: ActionGroup;
  /** Conditions that must all hold; empty: always. */
  readonly when: readonly Condition[];
  /**
   * Whether the chord fires while focus is in a text field (input, textarea, select). Alt chords
   * and F-keys do; a bare key such as `/` must not, or it could never be typed.
   */
  readonly inTextField: boolean;
}

/**
 * Focus is part of each action's contract; where it goes is said here and done by the handler
 * (the component that registers it with `useAction`).
 */
export const ACTIONS = [
  // Command palette: a dialog listing every action available now. Focus: its filter field; Esc returns it.
  { id: 'palette.open', keys: ['Ctrl+K'], label: 'actions.palette.open', group: 'general', when: [], inTextField: true },
  // Cheat sheet: every action by group with its keys. Focus: the sheet; Esc returns it.
  { id: 'help.shortcuts', keys: ['F1'], label: 'actions.help.shortcuts', group: 'general', when: [], inTextField: true },
  /** Sign out: the session ends on the server too (the status bar's button). */
  { id: 'session.logout', keys: ['Alt+Shift+L'], label: 'actions.session.logout', group: 'general', when: ['!dialog'], inTextField: true },
  /** Change the password (the status bar's button); the user's sessions elsewhere end. */
  { id: 'session.changePassword', keys: ['Alt+Shift+P'], label: 'actions.session.changePassword', group: 'general', when: ['!dialog'], inTextField: true },
  // The next call: closes an open case and puts focus in the caller's phone field.
  { id: 'intake.focusPhone', keys: ['Alt+N'], label: 'actions.intake.focusPhone', group: 'intake', when: ['!dialog'], inTextField: true },
  // Opens the case just registered. Focus: the case's first action (dispatch, answer, …).
  { id: 'intake.openCreated', keys: ['Alt+O'], label: 'actions.intake.openCreated', group: 'intake', when: ['created', '!dialog'], inTextField: true },
  // The finish keys of intake. Each saves the call as a case in one step (with its draft gone in the
  // same transaction); focus: the phone field, ready for the next call. F9 also dispatches to the
  // suggested unit shown in the context pane; F7 answers on the call (a consultation); F8 parks
  // the call as a draft and clears the form.
  { id: 'intake.finishDispatch', keys: ['F9'], label: 'actions.intake.finishDispatch', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.finishAnswer', keys: ['F7'], label: 'actions.intake.finishAnswer', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.parkDraft', keys: ['F8'], label: 'actions.intake.parkDraft', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  // Links the call to the first open possible duplicate (a repeat call on its timeline, urgency may rise). Focus: the phone field.
  { id: 'intake.linkDuplicate', keys: ['Alt+L'], label: 'actions.intake.linkDuplicate', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  // Urgency and contact type of the call being typed, one chord each (again: back to normal). Focus stays.
  { id: 'intake.urgent', keys: ['Alt+U'], label: 'actions.intake.urgent', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.emergency', keys: ['Alt+E'], label: 'actions.intake.emergency', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.complaint', keys: ['Alt+Shift+1'], label: 'actions.intake.type.complaint', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.help', keys: ['Alt+Shift+2'], label: 'actions.intake.type.help', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.consultation', keys: ['Alt+Shift+3'], label: 'actions.intake.type.consultation', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.suggestion', keys: ['Alt+Shift+4'], label: 'actions.intake.type.suggestion', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.praise', keys: ['Alt+Shift+5'], label: 'actions.intake.type.praise', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  { id: 'intake.type.report', keys: ['Alt+Shift+6'], label: 'actions.intake.type.report', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  // Copies the number of the case just registered (to read it or paste it). Focus stays.
  { id: 'intake.copyNumber', keys: ['Alt+C'], label: 'actions.intake.copyNumber', group: 'intake', when: ['created', '!dialog'], inTextField: true },
  // Brings back the call that Esc Esc threw away. Focus: the phone field.
  { id: 'intake.undoDiscard', keys: ['Alt+Z'], label: 'actions.intake.undoDiscard', group: 'intake', when: ['!caseOpen', '!dialog'], inTextField: true },
  // The four lists. Focus stays where the operator is typing; if it was in the list, it goes to the new tab.
  { id: 'lists.mine', keys: ['Alt+1'], label: 'actions.lists.mine', group: 'lists', when: ['!dialog'], inTextField: true },
  { id: 'lists.team', keys: ['Alt+2'], label: 'actions.lists.team', group: 'lists', when: ['!dialog'], inTextField: true },
  { id: 'lists.callback', keys: ['Alt+3'], label: 'actions.lists.callback', group: 'lists', when: ['!dialog'], inTextField: true },
  { id: 'lists.withUnits', keys: ['Alt+4'], label: 'actions.lists.withUnits', group: 'lists', when: ['!dialog'], inTextField: true },
  { id: 'lists.returned', keys: ['Alt+5'], label: 'actions.lists.returned', group: 'lists', when: ['!dialog'], inTextField: true },
  // Replies since the last look: opening the tab marks them seen (the count on it goes).
  { id: 'lists.replies', keys: ['Alt+6'], label: 'actions.lists.replies', group: 'lists', when: ['!dialog'], inTextField: true },
  // Drafts: Enter on one takes it up in intake (an open case closes). Focus: the intake form.
  { id: 'lists.drafts', keys: ['Alt+7'], label: 'actions.lists.drafts', group: 'lists', when: ['!dialog'], inTextField: true },
  // Into the list shown. Focus: its first row (arrows move, Enter opens).
  { id: 'lists.focusRows', keys: ['Alt+Q'], label: 'actions.lists.focusRows', group: 'lists', when: ['!dialog'], inTextField: true },
  // Search cases as you type (this workstation, then older ones on the server). Focus: the search box; Esc clears it and returns focus.
  { id: 'search.focus', keys: ['Ctrl+F', 'F3'], label: 'actions.search.focus', group: 'lists', when: ['!dialog'], inTextField: true },
  // Closes the open case. Focus: back where the case was opened from (its row), else the phone field.
  { id: 'case.close', keys: ['Escape'], label: 'actions.case.close', group: 'case', when: ['caseOpen', '!dialog'], inTextField: true },
  // A confidential caller: asks the reason, then shows the caller (the reason is logged on the case). Focus: the reason field.
  { id: 'case.reveal', keys: ['Alt+R'], label: 'actions.case.reveal', group: 'case', when: ['caseOpen', '!dialog'], inTextField: true },
  // Change the case's type, urgency, language, interpreter, confidentiality or callback. Focus: the first field of the form.
  { id: 'case.amend', keys: ['Alt+M'], label: 'actions.case.amend', group: 'case', when: ['caseOpen', '!dialog'], inTextField: true },
  // The KB panel: free search of the knowledge base during a call (again: closes it). Focus: its search box; Esc returns it.
  { id: 'kb.panel', keys: ['F2', 'Alt+K'], label: 'actions.kb.panel', group: 'kb', when: ['!dialog'], inTextField: true },
  // Intake's suggested articles in the KB panel, the first one open (↑↓ and Enter for the others). Focus: the article.
  { id: 'kb.openSuggestion', keys: ['Alt+J'], label: 'actions.kb.openSuggestion', group: 'kb', when: ['!caseOpen', '!dialog'], inTextField: true },
  // The answer script of the article open in the KB panel (else the first suggestion) into intake's direct answer, the article linked. Focus: the answer field.
  { id: 'kb.insertScript', keys: ['Alt+I'], label: 'actions.kb.insertScript', group: 'kb', when: ['!caseOpen', '!dialog'], inTextField: true },
  // Registers the call answered on the call with that article (its script as the answer unless one is typed; the article linked on the case). Focus: the phone field.
  { id: 'kb.answerWith', keys: ['Alt+A'], label: 'actions.kb.answerWith', group: 'kb', when: ['!caseOpen', '!dialog'], inTextField: true },
  // The knowledge editor's screen. Focus: the article list's filter.
  { id: 'kbEditor.list', keys: ['F6'], label: 'actions.kbEditor.list', group: 'kbEditor', when: ['!dialog'], inTextField: true },
  // A new article. Focus: its title.
  { id: 'kbEditor.new', keys: ['Alt+Shift+N'], label: 'actions.kbEditor.new', group: 'kbEditor', when: ['!dialog'], inTextField: true },
  // Saves the article as a new draft version (nothing goes live). Focus stays.
  { id: 'kbEditor.save', keys: ['Ctrl+S'], label: 'actions.kbEditor.save', group: 'kbEditor', when: ['!dialog'], inTextField: true },
  // Publishes the latest version (saved first if changed): every workstation receives it. Focus stays.
  { id: 'kbEditor.publish', keys: ['Alt+P'], label: 'actions.kbEditor.publish', group: 'kbEditor', when: ['!dialog'], inTextField: true },
  // Retires the article: it leaves every workstation (publish it again to bring it back). Asks first. Focus: the confirmation.
  { id: 'kbEditor.retire', keys: ['Alt+Shift+R'], label: 'actions.kbEditor.retire', group: 'kbEditor', when: ['!dialog'], inTextField: true },
  // Version history with a diff; Enter on a version restores it as the latest draft. Focus: the versions list.
  { id: 'kbEditor.history', keys: ['Alt+H'], label: 'actions.kbEditor.history', group: 'kbEditor', when: ['!dialog'], inTextField: true },
] as const satisfies readonly ActionDeclaration[];

export type ActionId = (typeof ACTIONS)[number]['id'];

/**
 * Keys that belong to one widget and are handled on it (not by the window's listener): listed so
 * the cheat sheet and README show them beside the actions. They never conflict with an action:
 * the widget handles them first and the keymap ignores a key a widget has handled.
 */
export interface WidgetKeys {
  readonly keys: readonly string[];
  readonly label: string;
}

export const WIDGET_KEYS: readonly WidgetKeys[] = [
  { keys: ['Enter'], label: 'widgetKeys.intakeEnter' },
  { keys: ['Ctrl+Enter'], label: 'widgetKeys.intakeCtrlEnter' },
  { keys: ['Escape'], label: 'widgetKeys.intakeEscape' },
  { keys: ['ArrowUp', 'ArrowDown', 'Enter'], label: 'widgetKeys.intakeCombo' },
  { keys: ['ArrowUp', 'ArrowDown', 'Home', 'End'], label: 'widgetKeys.rows' },
  { keys: ['Enter', 'Space'], label: 'widgetKeys.rowOpen' },
  { keys: ['ArrowLeft', 'ArrowRight', 'Home', 'End'], label: 'widgetKeys.tabs' },
  { keys: ['ArrowUp', 'ArrowDown', 'Enter'], label: 'widgetKeys.dispatch' },
  { keys: ['ArrowUp', 'ArrowDown', 'Enter', 'Escape'], label: 'widgetKeys.palette' },
  { keys: ['Ctrl+Enter'], label: 'widgetKeys.caseForms' },
  { keys: ['ArrowDown', 'Enter', 'Escape'], label: 'widgetKeys.search' },
  { keys: ['ArrowUp', 'ArrowDown', 'Enter', 'Escape'], label: 'widgetKeys.kbPanel' },
  { keys: ['ArrowUp', 'ArrowDown', 'Enter'], label: 'widgetKeys.kbEditorList' },
];

const BY_ID: ReadonlyMap<string, ActionDeclaration> = new Map(ACTIONS.map((a) => [a.id, a]));

export function actionById(id: ActionId): ActionDeclaration {
  const action = BY_ID.get(id);
  if (!action) throw new Error(`no action ${id}`);
  return action;
}

/** The chord shown for an action (its first), e.g. for a button's `aria-keyshortcuts` and hint. */
export function primaryKeys(id: ActionId): string {
  return actionById(id).keys[0] ?? '';
}

function parseCondition(condition: Condition): { flag: KeyFlag; on: boolean } {
  for (const flag of KEY_FLAGS) {
    if (condition === flag) return { flag, on: true };
    if (condition === `!${flag}`) return { flag, on: false };
  }
  throw new Error(`unknown condition ${condition}`);
}

/** Whether no flag is asked to be on by one list and off by the other (or by the same list). */
function compatible(a: readonly Condition[], b: readonly Condition[]): boolean {
  const wanted = new Map<KeyFlag, boolean>();
  for (const { flag, on } of [...a, ...b].map(parseCondition)) {
    if (wanted.get(flag) === !on) return false;
    wanted.set(flag, on);
  }
  return true;
}

/** Whether `when` can hold at all (it does not ask for a flag both on and off). */
export function satisfiable(when: readonly Condition[]): boolean {
  return compatible(when, []);
}

/** Whether some screen state satisfies both conditions at once. */
export function overlaps(a: readonly Condition[], b: readonly Condition[]): boolean {
  return compatible(a, b);
}

export function holds(when: readonly Condition[], isSet: (flag: KeyFlag) => boolean): boolean {
  return when.map(parseCondition).every(({ flag, on }) => isSet(flag) === on);
}

export interface ChordConflict {
  chord: string;
  actions: [string, string];
}

/** Pairs of actions that claim the same chord in contexts that can both hold at once. */
export function findConflicts(actions: readonly ActionDeclaration[]): ChordConflict[] {
  const conflicts: ChordConflict[] = [];
  const chords = actions.map((a) => a.keys.map((k) => chordId(parseChord(k))));
  actions.forEach((a, i) => {
    actions.forEach((b, j) => {
      if (j <= i || !overlaps(a.when, b.when)) return;
      const shared = (chords[i] ?? []).find((c) => (chords[j] ?? []).includes(c));
      if (shared !== undefined) conflicts.push({ chord: shared, actions: [a.id, b.id] });
    });
  });
  return conflicts;
}
