import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface Props {
  /** Id of the element that names the dialog (its heading). */
  labelledBy: string;
  /** Esc, or a click outside. Where focus goes back to is the opener's business (Workspace). */
  onClose: () => void;
  /** Focused when the dialog opens; else the dialog itself. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/**
 * A modal dialog: role=dialog, aria-modal, named by its heading; Tab and Shift+Tab cycle inside
 * it, Esc closes it (handled here, so the keymap leaves that Esc alone). The page behind it is
 * made `inert` by the opener, which also puts focus back where it was after it closes.
 */
export function Dialog({ labelledBy, onClose, initialFocus, className, testId, children }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    (initialFocus?.current ?? ref.current)?.focus();
  }, [initialFocus]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={labelledBy} tabIndex={-1} className={['dialog', className].filter(Boolean).join(' ')} data-testid={testId} onKeyDown={onKeyDown}>
        {children}
      </div>
    </div>
  );
}
