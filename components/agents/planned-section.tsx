/** A section of the agent page whose data arrives with later work: say so instead of showing nothing. */
export function PlannedSection({ title, what }: { title: string; what: string }) {
  return (
    <section aria-labelledby={`planned-${title}`} className="card p-4 md:p-6">
      <h2 id={`planned-${title}`} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{what} This arrives with later work.</p>
    </section>
  );
}
