/** The message under an invalid field; the field points at it with aria-describedby. */
export function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p id={id} className="field__error">
      <span aria-hidden="true">⚠ </span>
      {text}
    </p>
  );
}
