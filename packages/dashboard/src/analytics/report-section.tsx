import type { ComponentChildren } from 'preact';

interface ReportSectionProps {
  id: string;
  title: string;
  /** One line on what the report found; null while it loads. */
  summary: string | null;
  problem: string | null;
  children: ComponentChildren;
}

/** One analytics report: its title and summary, "Loading…" until it is in, or why it is not. */
export function ReportSection({ id, title, summary, problem, children }: ReportSectionProps) {
  return (
    <section class="report-section" id={id} aria-labelledby={`${id}-title`} aria-busy={summary === null && problem === null}>
      <h3 id={`${id}-title`}>
        {title} <span class="muted">· {problem !== null ? 'not loaded' : (summary ?? 'loading…')}</span>
      </h3>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
      {children}
    </section>
  );
}
