"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";

/**
 * A modal on the native <dialog>: focus moves in and is trapped by the browser, Escape closes,
 * focus returns to the opener. The parent owns `open`.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose(); // backdrop click
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/50 backdrop:backdrop-blur-[2px] dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {open && (
        <div className="flex flex-col">
          <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {description && <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{description}</p>}
          </div>
          <div className="px-5 py-4">{children}</div>
          {footer && <div className="flex justify-end gap-2 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

/**
 * The footer of a dialog whose body is a form (`form` is its id): Cancel and the submit button,
 * with any further buttons between them; once `done` (a secret shown once, say) only "Done".
 */
export function FormDialogFooter({
  done = false,
  onClose,
  form,
  submitLabel,
  busy,
  disabled,
  children,
}: {
  done?: boolean;
  onClose: () => void;
  form: string;
  submitLabel: ReactNode;
  busy: boolean;
  disabled?: boolean;
  children?: ReactNode;
}) {
  if (done) {
    return (
      <Button variant="primary" onClick={onClose}>
        Done
      </Button>
    );
  }
  return (
    <>
      <Button onClick={onClose}>Cancel</Button>
      {children}
      <Button variant="primary" type="submit" form={form} busy={busy} disabled={disabled}>
        {submitLabel}
      </Button>
    </>
  );
}

/** A destructive action to confirm: Cancel (the same as closing) and one danger button; an error replaces the body. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  busy,
  onConfirm,
  error,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: ReactNode;
  busy: boolean;
  onConfirm: () => void;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error !== null ? <Alert tone="danger">{error}</Alert> : children}
    </Dialog>
  );
}
