/** A section of the agent page whose data arrives with later work: say so instead of showing nothing. */
export function PlannedSection({ title, what }: { title: string; what: string }) {
  // ids are space-separated lists in aria-labelledby: no spaces in this one
  const headingId = `planned-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={headingId} className="card p-4 md:p-6">
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{what} This arrives with later work.</p>
    </section>
  );
}
