import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { NotBuiltYet } from '@/components/layout/not-built-yet';
import { PLANNED_SECTIONS } from '@/components/layout/planned-sections';

// Sections that are planned but not built yet share this page; built sections have their own
// folder, which Next prefers over this dynamic segment. Each is still permission-checked.
export default async function PlannedSectionPage({ params }: { params: Promise<{ tenant: string; section: string }> }) {
  const { tenant, section } = await params;
  const planned = PLANNED_SECTIONS[section];
  if (!planned) notFound();
  await guardPage(tenant, planned.permission);
  return <NotBuiltYet title={planned.title} what={planned.what} />;
}
