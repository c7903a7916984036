import { inputError } from '../errors';
import type { Dataset } from './Dataset';
import { analyticsDataset } from './datasets/analytics';
import { errorsDataset } from './datasets/errors';
import { jobsDataset } from './datasets/jobs';
import { recoveriesDataset } from './datasets/recoveries';
import type { ExportDatasetInfo } from './wire';

/**
 * The datasets an export may name. The built-in ones are always there;
 * others join with register().
 *
 * @public
 */
export class DatasetRegistry {
  private readonly datasets = new Map<string, Dataset>();

  static withDefaults(): DatasetRegistry {
    const registry = new DatasetRegistry();
    registry.register(jobsDataset);
    registry.register(errorsDataset);
    registry.register(recoveriesDataset);
    registry.register(analyticsDataset);
    return registry;
  }

  register(dataset: Dataset): void {
    if (this.datasets.has(dataset.name)) {
      throw new Error(
        `A dataset named '${dataset.name}' is registered already.`,
      );
    }
    this.datasets.set(dataset.name, dataset);
  }

  names(): string[] {
    return [...this.datasets.keys()];
  }

  get(name: unknown): Dataset {
    const dataset =
      typeof name === 'string' ? this.datasets.get(name) : undefined;
    if (!dataset) {
      throw inputError(
        'unknown_dataset',
        `dataset ${JSON.stringify(
          name,
        )} is not known; allowed: ${this.names().join(', ')}.`,
      );
    }
    return dataset;
  }

  describe(): ExportDatasetInfo[] {
    return [...this.datasets.values()].map(dataset => ({
      name: dataset.name,
      title: dataset.title,
      columns: dataset.columns.map(column => ({
        name: column.name,
        type: column.type,
        label: column.label,
        filterable: column.source !== undefined,
        sortable: column.source !== undefined,
      })),
      defaultColumns: [...dataset.defaultColumns],
      defaultSort: [...dataset.defaultSort],
    }));
  }
}
