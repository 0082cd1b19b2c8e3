// Two panes side by side with a draggable divider; the side pane's width is remembered.
import { useCallback, useRef, useState, type PointerEvent, type ReactNode } from 'react';

export function SplitPane(props: { id: string; main: ReactNode; side: ReactNode; defaultSide?: number; minSide?: number; minMain?: number }) {
  const { id, defaultSide = 440, minSide = 260, minMain = 320 } = props;
  const key = `dumpscope.split.${id}`;
  const [side, setSide] = useState(() => Number(localStorage.getItem(key)) || defaultSide);
  const box = useRef<HTMLDivElement | null>(null);

  const onPointerDown = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      const el = box.current;
      if (!el) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      const rect = el.getBoundingClientRect();
      const move = (ev: globalThis.PointerEvent) => {
        const w = Math.max(minSide, Math.min(rect.right - ev.clientX, rect.width - minMain));
        setSide(w);
        localStorage.setItem(key, String(Math.round(w)));
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [key, minSide, minMain],
  );

  return (
    <div className="split" ref={box} style={{ gridTemplateColumns: `minmax(${minMain}px, 1fr) 5px ${side}px` }}>
      <div className="split-main">{props.main}</div>
      <div className="split-handle" role="separator" aria-orientation="vertical" onPointerDown={onPointerDown} />
      <div className="split-side">{props.side}</div>
    </div>
  );
}
