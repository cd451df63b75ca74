import { GuildStore } from './guilds.js';
import { StoreFactory } from './stores.js';

export type { Change, GuildRecord } from './guilds.js';
export { GuildStore } from './guilds.js';
export { SUPPORTED_STORE_SCHEMES } from './stores.js';

/** Every store the bot uses, opened from one `KEYV_URL`. */
export interface State {
  readonly guilds: GuildStore;
  close(): Promise<void>;
}

/** Opens the bot's state. Storage errors are reported to `onError` and thrown to the caller. */
export function openState(url: string, onError: (error: unknown) => void): State {
  const stores = new StoreFactory(url, onError);
  return {
    guilds: new GuildStore(stores.open('guilds')),
    close: () => stores.close(),
  };
}
