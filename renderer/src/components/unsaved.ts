/**
 * Nothing typed is lost without a word: a form with edits registers itself here; closing a drawer or dialog,
 * switching tab or programme, or leaving the page asks first. Closing the window asks too (the browser's own
 * prompt; in the desktop shell, main.ts shows the same question).
 */
import { App as AntApp } from 'antd';
import { useCallback, useEffect, useState } from 'react';

const dirty = new Set<symbol>();

window.addEventListener('beforeunload', (e) => {
  if (dirty.size === 0) return;
  e.preventDefault();
  // Older engines need the legacy property as well as preventDefault() to show their prompt.
  (e as unknown as { returnValue: string }).returnValue = '';
});

export function hasUnsaved(): boolean {
  return dirty.size > 0;
}

/** Registers a form's unsaved edits while `isDirty` holds (and forgets them when the form goes away). */
export function useUnsaved(isDirty: boolean): void {
  const [id] = useState(() => Symbol('form'));
  useEffect(() => {
    if (isDirty) dirty.add(id);
    else dirty.delete(id);
    return () => {
      dirty.delete(id);
    };
  }, [isDirty, id]);
}

/** `(proceed) => …`: goes on at once when nothing is unsaved, else only once the clerk agrees to discard. */
export function useConfirmLeave(): (proceed: () => void) => void {
  const { modal } = AntApp.useApp();
  return useCallback(
    (proceed: () => void) => {
      if (dirty.size === 0) return proceed();
      modal.confirm({
        title: '有未保存的修改',
        content: '刚才填写或修改的内容还没有保存，离开后将丢失。确定放弃这些修改吗？',
        okText: '放弃修改',
        okButtonProps: { danger: true },
        cancelText: '继续编辑',
        onOk: () => {
          dirty.clear();
          proceed();
        },
      });
    },
    [modal],
  );
}

/** Both at once, for a form that is its own container (a dialog). */
export function useUnsavedGuard(isDirty: boolean): (proceed: () => void) => void {
  useUnsaved(isDirty);
  return useConfirmLeave();
}
