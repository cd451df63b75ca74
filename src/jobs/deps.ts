import type { Corpus } from '../core/corpus/types.js';
import type { CommandMentions } from '../core/mentions.js';
import type { PauseReason } from '../core/schedule/plan.js';
import type { CorpusSearch } from '../core/search.js';
import type { Logger } from '../logger.js';
import type { PostKind } from '../observability/metrics.js';
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
  /** Counts what scheduled work did, for `/metrics`; absent when no port is configured. */
  readonly metrics?: JobMetrics;
}

/** What scheduled work reports to the metrics. */
export interface JobMetrics {
  posted(kind: PostKind): void;
  paused(reason: PauseReason): void;
}

/** Scheduled work's dependencies, with the poll service it drives. */
export interface JobDeps extends BaseDeps {
  readonly polls: Polls;
}
