import { describe, expect, it } from 'vitest';
import { targetsCell } from '../../src/sim/kinds/autoscaling/metrics.js';
import { cronScheduleError } from '../../src/sim/kinds/batch/cron.js';
import { jobStatusCell } from '../../src/sim/kinds/batch/job.js';
import {
  goLabelSelector,
  goStringMap,
  selectorCell,
  selectorString,
} from '../../src/sim/kinds/common/labelselector.js';
import { validateIntOrPercent } from '../../src/sim/kinds/common/workload.js';

describe('selectors as upstream prints them', () => {
  it('sorts requirements by key and set values, as labels.Selector.String() does', () => {
    const sel = {
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
      ],
    };
    expect(selectorString(sel)).toBe('app=web,!canary,env in (dev,prod),tier=front,zone');
    expect(selectorCell({})).toBe('<none>');
  });

  it("quotes maps and selectors with Go's %#v, as field errors do", () => {
    expect(goStringMap({ tier: 'a', app: 'b' })).toBe('map[string]string{"app":"b", "tier":"a"}');
    expect(goStringMap(undefined)).toBe('map[string]string(nil)');
    expect(goLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] })).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"v"}}}}',
    );
  });
});

describe('cron schedules', () => {
  it.each([
    ['*/5 * * * *', undefined],
    ['0 0 29 2 sun', undefined],
    ['CRON_TZ=Europe/Paris 0 9 * * *', undefined],
    ['', 'empty spec string'],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['-1 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['@every tuesday', 'failed to parse duration @every tuesday: time: invalid duration "tuesday"'],
  ])('%j → %s', (schedule, error) => {
    expect(cronScheduleError(schedule)).toBe(error);
  });
});

describe('table cells', () => {
  it('derives a Job STATUS from its conditions and deletion', () => {
    const job = (conditions: any[], deleting = false) => ({
      metadata: deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {},
      status: { conditions },
    });
    expect(jobStatusCell(job([]))).toBe('Running');
    expect(jobStatusCell(job([{ type: 'Complete', status: 'True' }]))).toBe('Complete');
    expect(jobStatusCell(job([{ type: 'Failed', status: 'True' }], true))).toBe('Failed');
    expect(jobStatusCell(job([{ type: 'Suspended', status: 'True' }], true))).toBe('Terminating');
    expect(jobStatusCell(job([{ type: 'Suspended', status: 'True' }]))).toBe('Suspended');
  });

  it('formats HPA targets like formatHPAMetrics', () => {
    const cpu = {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
    };
    const mem = {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
    };
    const pods = {
      type: 'Pods',
      pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
    };
    expect(targetsCell([], undefined)).toBe('<none>');
    expect(
      targetsCell(
        [cpu],
        [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }],
      ),
    ).toBe('cpu: 12%/50%');
    expect(targetsCell([cpu, mem, pods], undefined)).toBe(
      'cpu: <unknown>/50%, memory: <unknown>/100Mi + 1 more...',
    );
  });
});

describe('int-or-percent fields', () => {
  it('quotes a bad percentage as intstr.IntOrString, as upstream does', () => {
    expect(validateIntOrPercent('25', 'spec.strategy.rollingUpdate.maxSurge')).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.strategy.rollingUpdate.maxSurge',
        message:
          "Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"25\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      },
    ]);
    expect(validateIntOrPercent('25%', 'x')).toEqual([]);
    expect(validateIntOrPercent(2, 'x')).toEqual([]);
  });
});
