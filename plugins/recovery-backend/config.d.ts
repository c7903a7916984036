import { HumanDuration } from '@backstage/types';

export interface Config {
  recovery?: {
    storage?: {
      /** Folder for uploaded sources and exports. Default ./storage. */
      dir?: string;
      /**
       * How long an uploaded source file is kept after its job succeeded
       * or was cancelled; then it is removed and the job shows when. The
       * source of a pending, running, failed or waiting job is always
       * kept. At least one minute. Default 30 days.
       */
      sourceRetention?: HumanDuration;
      /**
       * How often expired sources, and half-written files a stopped
       * process left, are removed. Default 1 hour.
       */
      cleanupFrequency?: HumanDuration;
    };

    /**
     * Upload targets by id. A request names a target; it never gives a URL.
     * `http` targets take `api_upload` jobs, `table` targets `csv_import`.
     */
    targets?: {
      [id: string]: {
        /** 'http' (the upload protocol of docs/api.md) or 'table'. */
        type: 'http' | 'table';
        /** http: the bulk endpoint that receives POSTed batches. */
        url?: string;
        /** table: the table in Rebound's database, created on first use. */
        table?: string;
        /** Rows per batch; default recovery.pipeline.batchSize. */
        batchSize?: number;
        /** http: how long a batch may take. Default 30 seconds. */
        timeout?: HumanDuration;
        /**
         * http: headers sent with every batch, e.g. Authorization.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      };
    };

    autoRecovery?: {
      /** The automatic recovery sweep. Default true. */
      enabled?: boolean;
      /** How often the sweep runs. Default 30 seconds. */
      frequency?: HumanDuration;
    };

    reaper?: {
      /** How often expired leases are looked for. Default 15 seconds. */
      frequency?: HumanDuration;
    };

    workers?: {
      /** Jobs one backend process runs at once. Default 2. */
      concurrency?: number;
      /** How long a lease lasts without renewal. Default 30 seconds. */
      lease?: HumanDuration;
      /** How often an idle worker looks for pending jobs. Default 1 second. */
      pollInterval?: HumanDuration;
    };

    pipeline?: {
      /** Rows per batch when neither job nor target says. Default 500. */
      batchSize?: number;
      /** Timeout of an http batch when the target gives none. Default 30 s. */
      timeout?: HumanDuration;
      /** Share of invalid rows a job may set aside; more fails it. Default 0.05. */
      maxInvalidShare?: number;
      /** Invalid rows always tolerated, whatever the share. Default 100. */
      maxInvalidRows?: number;
      /** Largest record in bytes; a larger one fails the job. Default 1 MiB. */
      maxRecordBytes?: number;
      /** Largest upload in bytes. Default 2 GiB. */
      maxFileBytes?: number;
    };

    retry?: {
      /**
       * Automatic or batch recoveries of a job in a row that made no
       * progress (its checkpoint did not move past where they resumed)
       * before it needs a person. A recovery that moves the checkpoint
       * resets the count. Default 8.
       */
      maxAttempts?: number;
      /**
       * Automatic or batch recoveries of one job in all, progress or not,
       * before it needs a person; at least maxAttempts. Default 200.
       */
      maxTotalAttempts?: number;
      backoff?: {
        /** First backoff ceiling; it doubles per attempt. Default 2 s. */
        base?: HumanDuration;
        /** Largest backoff ceiling. Default 60 s. */
        cap?: HumanDuration;
      };
      /** Automatic retries per target per window, shared by all jobs. */
      targetBudget?: {
        /** Default 60. */
        retries?: number;
        /** Default 60 seconds. */
        window?: HumanDuration;
      };
      /** Longest timeout a recovery may raise a job to. Default 5 minutes. */
      maxTimeout?: HumanDuration;
      /** Smallest batch a recovery may shrink a job to. Default 10. */
      minBatchSize?: number;
      /**
       * Failure types never retried on their own; their jobs wait for a
       * person. Default none.
       */
      manualFailureTypes?: string[];
    };

    alerts?: {
      /** How often alerts are evaluated. Default 1 minute. */
      frequency?: HumanDuration;
      /** The window failure rates and export failures are counted over. Default 1 hour. */
      window?: HumanDuration;
      /** Share of failed recoveries that opens an alert. Default 0.15. */
      failureRateThreshold?: number;
      /** Recoveries in the window before the rate counts. Default 5. */
      minAttempts?: number;
      /** Free bytes in the storage folder below which an alert opens. Default 1 GiB. */
      storageMinFreeBytes?: number;
    };

    quarantine?: {
      /** Share of rows a quarantining recovery may set aside. Default 0.25. */
      maxShare?: number;
    };

    exports?: {
      /** Largest PDF export in rows; larger ones are refused. Default 20000. */
      pdfMaxRows?: number;
      /** How long an export and its file are kept. Default 30 days. */
      retention?: HumanDuration;
      /** Exports up to this many rows finish within POST /exports. Default 2000. */
      inlineRows?: number;
      /** Background exports one backend process runs at once. Default 2. */
      concurrency?: number;
      /** How often expired files are deleted. Default 5 minutes. */
      cleanupFrequency?: HumanDuration;
    };

    schedules?: {
      /** How often the runner looks for due scheduled runs. Default 30 seconds. */
      frequency?: HumanDuration;
      /** A slot this late still runs under missedRunPolicy skip. Default 5 minutes. */
      grace?: HumanDuration;
    };

    /** How scheduled exports are delivered; see docs/schedules.md. */
    delivery?: {
      email?: {
        /** The SMTP server; without it, email deliveries are refused. */
        smtp?: {
          host: string;
          /** Default 587. */
          port?: number;
          /** TLS from the start; default true on port 465, else STARTTLS when offered. */
          secure?: boolean;
          auth?: {
            user: string;
            /** @visibility secret */
            pass: string;
          };
          /** The sender, e.g. "Rebound <rebound@example.com>". */
          from: string;
        };
        /** Largest attachment after base64; larger files go as a link. Default 10 MiB. */
        maxAttachmentBytes?: number;
      };
      webhook?: {
        /** Host names (or host:port) a webhook may call. Default none. */
        allowedHosts?: string[];
        /** How long a webhook may take to answer. Default 30 seconds. */
        timeout?: HumanDuration;
      };
      storage?: {
        /** Folder that storage deliveries write under. Default <recovery.storage.dir>/deliveries. */
        root?: string;
      };
      slack?: {
        /**
         * Bot token with files:write and chat:write; without it, Slack deliveries are refused.
         * @visibility secret
         */
        token: string;
        /** The Web API's base URL. Default https://slack.com/api. */
        baseUrl?: string;
        /** Larger files are posted as a download link. Default 50 MiB. */
        maxFileBytes?: number;
      };
      retry?: {
        /** Attempts per delivery and recipient, the first included. Default 3. */
        maxAttempts?: number;
        backoff?: {
          /** First backoff ceiling; it doubles per attempt. Default 5 seconds. */
          base?: HumanDuration;
          /** Largest backoff ceiling. Default 5 minutes. */
          cap?: HumanDuration;
        };
      };
      /**
       * Deliveries (as in a schedule) that hear of failed runs and alerts,
       * e.g. [{ type: slack, channel: C0123456789 }].
       * @deepVisibility secret
       */
      alerts?: Array<{ type: string; [key: string]: unknown }>;
    };
  };
}
