import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Your role does not allow this page. Ask an admin if you need access.</p>
      <Link href="/" className="mt-4 inline-block text-sm text-indigo-600 hover:underline">
        Back to the console
      </Link>
    </main>
  );
}
