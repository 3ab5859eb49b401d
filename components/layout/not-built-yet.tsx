export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <div>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="card mt-6 p-6 text-sm text-slate-600 dark:text-slate-400">{what} is not built yet. It is planned; see the project issues.</div>
    </div>
  );
}
