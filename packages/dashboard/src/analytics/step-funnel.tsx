import { duration } from '../format.js';
import { getFunnel } from './analytics-api.js';
import { FunnelChart } from './funnel-chart.js';
import { stepLabel } from './step-label.js';
import { ReportSection } from './report-section.js';
import { useReport } from './use-report.js';

const seconds = (value: number | null) => (value === null ? '—' : duration(value));

/** How far the window's students got: a bar per step, then each step's times, who left there, went back, is there now. */
export function StepFunnel({ query, onError }: { query: URLSearchParams; onError: (error: unknown) => void }) {
  const { data, problem } = useReport(getFunnel, query, onError);
  const summary = data && `${data.students} ${data.students === 1 ? 'student' : 'students'} navigated`;
  return (
    <ReportSection id="step-funnel" title="Step funnel" summary={summary} problem={problem}>
      {data !== null && data.steps.length > 0 && (
        <>
          <FunnelChart steps={data.steps} />
          <div class="table-scroll">
            <table class="report funnel">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Reached</th>
                  <th>Median time</th>
                  <th>90th percentile</th>
                  <th>Left here</th>
                  <th>Went back</th>
                  <th>On step now</th>
                </tr>
              </thead>
              <tbody>
                {data.steps.map((step) => (
                  <tr key={`${step.step ?? ''}\n${step.stepName ?? ''}`}>
                    <th scope="row">{stepLabel(step)}</th>
                    <td data-label="Reached" class="number">{step.reached}</td>
                    <td data-label="Median time">{seconds(step.medianSeconds)}</td>
                    <td data-label="90th percentile">{seconds(step.p90Seconds)}</td>
                    <td data-label="Left here" class="number">{step.leftHere}</td>
                    <td data-label="Went back" class="number">{step.wentBack}</td>
                    <td data-label="On step now" class="number">{step.onStepNow}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ReportSection>
  );
}
