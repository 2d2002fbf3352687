"use client";

import { useEffect, type RefObject } from "react";

// A filter form is remounted when its filters change (its key is the filters,
// so its uncontrolled fields show what the URL now says), which would drop the
// keyboard's focus to the top of the page after every choice. The control that
// applied the change — by its name, or its data-focus-name — takes it back.

const WITHIN_MS = 10_000;
let pending: { form: string; control: string; at: number } | null = null;

/** Call as the form submits: notes which of its controls had the focus. */
export function rememberFocus(form: HTMLFormElement): void {
  const active = document.activeElement;
  const label = form.getAttribute("aria-label");
  const control = active instanceof HTMLElement && form.contains(active) ? (active.getAttribute("name") ?? active.dataset.focusName) : undefined;
  pending = label && control ? { form: label, control, at: Date.now() } : null;
}

/** On mount, gives the focus back to the control noted for this form (by its aria-label), if it was noted just now. */
export function useRestoredFocus(formRef: RefObject<HTMLFormElement | null>): void {
  useEffect(() => {
    const form = formRef.current;
    const noted = pending;
    if (!form || !noted || noted.form !== form.getAttribute("aria-label")) return;
    pending = null;
    if (Date.now() - noted.at > WITHIN_MS) return;
    const name = CSS.escape(noted.control);
    form.querySelector<HTMLElement>(`[name="${name}"], [data-focus-name="${name}"]`)?.focus();
  }, [formRef]);
}
