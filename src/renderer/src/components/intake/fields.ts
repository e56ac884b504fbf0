import type { MethodInput } from '../../../../shared/contract/contract';
import { CallerLanguage, ContactType, normalizePhone, Urgency } from '../../../../shared/domain/contact';
import { DESCRIPTION_MAX, INTAKE_DEFAULTS } from '../../../../shared/domain/case';
import type { DraftFields } from '../../../../shared/domain/draft';

/** The intake form as typed: every field a plain value, the defaults the common call (no keys spent). */
export interface IntakeValues {
  callerPhone: string;
  callerName: string;
  categoryCode: string;
  address: string;
  description: string;
  answers: Record<string, string>;
  contactType: ContactType;
  urgency: Urgency;
  language: CallerLanguage;
  interpreter: boolean;
  anonymous: boolean;
  confidential: boolean;
  callbackPhone: string;
  callbackFrom: string;
  callbackTo: string;
  /** The number that rang, when intake opened from a call. */
  callFrom: string;
  /** The direct answer given on the call (consultations). */
  answer: string;
}

export const EMPTY_VALUES: IntakeValues = {
  callerPhone: '',
  callerName: '',
  categoryCode: '',
  address: '',
  description: '',
  answers: {},
  contactType: INTAKE_DEFAULTS.contactType,
  urgency: INTAKE_DEFAULTS.urgency,
  language: INTAKE_DEFAULTS.language,
  interpreter: INTAKE_DEFAULTS.interpreter,
  anonymous: INTAKE_DEFAULTS.anonymous,
  confidential: INTAKE_DEFAULTS.confidential,
  callbackPhone: '',
  callbackFrom: '',
  callbackTo: '',
  callFrom: '',
  answer: '',
};

/** Whether anything worth keeping was typed (an empty form is never saved as a draft). */
export function hasContent(v: IntakeValues): boolean {
  return (
    v.callerPhone.trim() !== '' ||
    v.callerName.trim() !== '' ||
    v.categoryCode !== '' ||
    v.address.trim() !== '' ||
    v.description.trim() !== '' ||
    v.answer.trim() !== '' ||
    Object.values(v.answers).some((a) => a !== '')
  );
}

/** The form as a draft keeps it (the direct answer travels in the description's draft only while typed). */
export function toDraft(v: IntakeValues): DraftFields {
  const { answer: _answer, ...rest } = v;
  return rest;
}

export function fromDraft(d: DraftFields): IntakeValues {
  return { ...EMPTY_VALUES, ...d };
}

/** What cases.create gets from the form (the core checks it all again with the contract's schema). */
export function toCaseInput(v: IntakeValues, answers: Record<string, string | number | boolean>): MethodInput<'cases.create'> {
  const callbackPhone = normalizePhone(v.callbackPhone);
  const window = v.callbackFrom !== '' || v.callbackTo !== '' ? { from: v.callbackFrom, to: v.callbackTo } : null;
  return {
    callerPhone: normalizePhone(v.callerPhone),
    callerName: v.anonymous ? '' : v.callerName,
    categoryCode: v.categoryCode,
    address: v.address,
    description: v.description,
    answers,
    contactType: v.contactType,
    urgency: v.urgency,
    language: v.language,
    interpreter: v.interpreter,
    anonymous: v.anonymous,
    confidential: v.confidential,
    callbackPhone: callbackPhone === '' ? null : callbackPhone,
    callbackWindow: window,
  };
}

/** A paste or a typed text cut to what a case keeps: the text kept and how many characters were lost. */
export function cutDescription(text: string): { text: string; cut: number } {
  // Counted as the case's schema counts (UTF-16 units: one per Chinese character).
  if (text.length <= DESCRIPTION_MAX) return { text, cut: 0 };
  return { text: text.slice(0, DESCRIPTION_MAX), cut: text.length - DESCRIPTION_MAX };
}

export const CONTACT_TYPES = ContactType.options;
export const URGENCIES = Urgency.options;
export const CALLER_LANGUAGES = CallerLanguage.options;
