const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether Enter in this element means "next field" (a one-line field or a select; never a textarea or a button). */
export function movesOnEnter(target: EventTarget | null): target is HTMLInputElement | HTMLSelectElement {
  if (target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TEXT.has(target.type);
}

/**
 * The field after `from` in the form's Enter path: the next input, select or textarea in document
 * order that is shown, enabled and not in a part marked `data-skip-enter` (the record's options,
 * reached with Tab or their own keys).
 */
export function nextField(form: HTMLElement, from: Element): HTMLElement | null {
  const fields = [...form.querySelectorAll<HTMLElement>('input, select, textarea')].filter(
    (el) => !el.closest('[data-skip-enter]') && !(el as HTMLInputElement).disabled && el.getClientRects().length > 0 && (el as HTMLInputElement).type !== 'checkbox',
  );
  const at = fields.indexOf(from as HTMLElement);
  return at >= 0 ? (fields[at + 1] ?? null) : null;
}

/** Full-width digits and plus/minus as typed by an IME in full-width mode, made plain as they are typed. */
export function plainDigits(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0b\uff0d]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0xff0b) return '+';
    if (code === 0xff0d) return '-';
    return String.fromCharCode(code - 0xff10 + 0x30);
  });
}
