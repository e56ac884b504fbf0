/**
 * Minimal declarations for what the benchmark's PouchDB peer uses of `pouchdb` 9 and
 * `express-pouchdb` 4. Written here instead of installing @types/pouchdb: its pouchdb-core
 * declarations carry `/// <reference lib="dom" />`, which would pull DOM globals into the whole
 * Node tsconfig (src/main, src/server, tests) and hide real mistakes there.
 */

declare module 'pouchdb' {
  import type { EventEmitter } from 'node:events';

  namespace PouchDB {
    interface DatabaseOptions {
      /** leveldb adapter: directory prefix prepended to the database name. */
      prefix?: string;
      adapter?: string;
      skip_setup?: boolean;
    }

    interface NewDoc {
      _id: string;
      [field: string]: unknown;
    }

    interface ExistingDoc extends NewDoc {
      _rev: string;
    }

    interface BulkOk {
      ok: true;
      id: string;
      rev: string;
    }

    interface BulkError {
      error: string | boolean;
      id?: string;
      name?: string;
      status?: number;
      message?: string;
      reason?: string;
    }

    interface Info {
      db_name: string;
      doc_count: number;
      update_seq: number | string;
      adapter?: string;
      backend_adapter?: string;
    }

    interface AllDocsOptions {
      include_docs?: boolean;
      limit?: number;
      startkey?: string;
      endkey?: string;
      skip?: number;
    }

    interface AllDocsRow {
      id: string;
      key: string;
      value: { rev: string; deleted?: boolean };
      doc?: ExistingDoc;
    }

    interface AllDocsResponse {
      total_rows: number;
      offset: number;
      rows: AllDocsRow[];
    }

    interface ReplicateOptions {
      batch_size?: number;
      batches_limit?: number;
      live?: boolean;
      retry?: boolean;
      checkpoint?: false | 'source' | 'target';
    }

    interface ReplicationResult {
      ok: boolean;
      start_time: string | Date;
      end_time?: string | Date;
      docs_read: number;
      docs_written: number;
      doc_write_failures: number;
      errors: unknown[];
      last_seq?: number | string;
      status?: string;
    }

    /** What `PouchDB.replicate` returns: an event emitter that is also a promise of the result. */
    interface Replication extends EventEmitter, PromiseLike<ReplicationResult> {
      cancel(): void;
      on(event: 'change' | 'complete', listener: (info: ReplicationResult) => void): this;
      on(event: 'paused' | 'error' | 'denied', listener: (err?: unknown) => void): this;
      on(event: 'active', listener: () => void): this;
    }

    interface Database {
      readonly name: string;
      info(): Promise<Info>;
      bulkDocs(docs: NewDoc[]): Promise<(BulkOk | BulkError)[]>;
      allDocs(options?: AllDocsOptions): Promise<AllDocsResponse>;
      close(): Promise<void>;
      destroy(): Promise<void>;
    }

    interface Static {
      new (name: string, options?: DatabaseOptions): Database;
      defaults(options: DatabaseOptions): Static;
      replicate(source: Database | string, target: Database | string, options?: ReplicateOptions): Replication;
      readonly version: string;
    }
  }

  const PouchDB: PouchDB.Static;
  export = PouchDB;
}

declare module 'express-pouchdb' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';
  import type PouchDB from 'pouchdb';

  namespace expressPouchDB {
    interface Options {
      /** 'fullCouchDB' (default) or 'minimumForPouchDB' (just the routes PouchDB replication needs). */
      mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
      overrideMode?: { include?: string[]; exclude?: string[] };
      /** fullCouchDB only: where config.json and log.txt go (default: the working directory). */
      configPath?: string;
      logPath?: string;
      inMemoryConfig?: boolean;
    }

    interface App {
      (req: IncomingMessage, res: ServerResponse): void;
      listen(port: number, host: string, callback?: () => void): Server;
    }
  }

  function expressPouchDB(pouchDB: PouchDB.Static, options?: expressPouchDB.Options): expressPouchDB.App;
  export = expressPouchDB;
}
