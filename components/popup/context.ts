import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { PopupStore } from '../popup-store';

export const PopupStoreContext = createContext<PopupStore | undefined>(undefined);

export function usePopupStore(): PopupStore {
  const store = useContext(PopupStoreContext);
  if (!store) throw new Error('usePopupStore() outside <PopupStoreContext.Provider>');
  return store;
}
