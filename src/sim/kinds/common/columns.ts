import { col } from '../../api/table.js';
import type { ColumnDefinition } from '../types.js';

/** The `-o wide` columns every workload table ends with, described as upstream does. */

export const containersColumn = (): ColumnDefinition =>
  col('Containers', 'string', '', 'Names of each container in the template.', 1);

export const imagesColumn = (): ColumnDefinition =>
  col('Images', 'string', '', 'Images referenced by each container in the template.', 1);

export const selectorColumn = (description: string): ColumnDefinition =>
  col('Selector', 'string', '', description, 1);

export const LABEL_SELECTOR_DOC =
  "A label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this controller. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";
