import { useEffect, useRef, type RefObject } from 'react';
import { useWorkspace, type FocusTarget } from './workspace-store';

/** Focuses (and selects) the element when a shortcut asks for `target`. */
export function useFocusRequest<T extends HTMLElement>(target: FocusTarget, ref: RefObject<T | null>): void {
  const focus = useWorkspace((s) => s.focus);
  // A request made just before this view mounted (a shortcut that also switched views) counts.
  const seen = useRef(focus && Date.now() - focus.at < 1000 ? focus.seq - 1 : (focus?.seq ?? 0));
  useEffect(() => {
    if (!focus || focus.seq === seen.current) return;
    seen.current = focus.seq;
    if (focus.target !== target) return;
    const el = ref.current;
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
  }, [focus, target, ref]);
}
