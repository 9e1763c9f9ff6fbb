import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export interface ConfirmRequest {
  title: string;
  lines: string[];
  okLabel: string;
  tone: 'buy' | 'sell' | 'danger' | 'neutral';
  /** a free-text field shown in the dialog (e.g. the kill switch's reason) */
  input?: { label: string; placeholder: string };
}

export interface ConfirmAnswer {
  ok: boolean;
  input: string;
}

interface ConfirmState {
  pending: ConfirmRequest | null;
  ask(req: ConfirmRequest): Promise<ConfirmAnswer>;
  answer(a: ConfirmAnswer): void;
}

/** One modal question at a time; a new question cancels the one before. Plain TS, no DOM. */
export function createConfirmStore() {
  let resolve: ((a: ConfirmAnswer) => void) | null = null;
  return createStore<ConfirmState>()((set) => ({
    pending: null,
    ask: (req) => {
      resolve?.({ ok: false, input: '' });
      set({ pending: req });
      return new Promise<ConfirmAnswer>((r) => (resolve = r));
    },
    answer: (a) => {
      const r = resolve;
      resolve = null;
      set({ pending: null });
      r?.(a);
    },
  }));
}

export const confirmStore = createConfirmStore();

export function useConfirm<T>(selector: (s: ConfirmState) => T): T {
  return useStore(confirmStore, selector);
}
