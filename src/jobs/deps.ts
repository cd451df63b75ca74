import type { Corpus } from '../core/corpus/types.js';
import type { CommandMentions } from '../core/mentions.js';
import type { CorpusSearch } from '../core/search.js';
import type { Logger } from '../logger.js';
import type { Polls } from '../polls/service.js';
import type { State } from '../state/index.js';
import type { Poster } from './poster.js';

/** What scheduled work uses; time and chance are injected. */
export interface BaseDeps {
  readonly corpus: Corpus;
  readonly search: CorpusSearch;
  readonly state: State;
  readonly poster: Poster;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly logger: Logger;
  /** How long a server's data is kept after the bot left it. */
  readonly retentionMs: number;
  /** Names commands in posts, clickable once Discord has given their ids. */
  readonly mentions: CommandMentions;
}

/** Scheduled work's dependencies, with the poll service it drives. */
export interface JobDeps extends BaseDeps {
  readonly polls: Polls;
}
