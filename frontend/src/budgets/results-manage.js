// SPDX-License-Identifier: AGPL-3.0-or-later
// The agents' results page while a count runs: follows the counts' jobs through the
// results API and shows their progress; when every job has ended, the page is loaded
// again and shows the runs (or the failure). Without JavaScript the page's "Refresh"
// link does the same by hand.
import { api } from "../common/api.js";

const config = JSON.parse(document.getElementById("results-config").textContent);
const ENDED = ["succeeded", "failed"];

async function follow() {
  let response;
  try {
    response = await api(config.runsUrl);
  } catch {
    window.setTimeout(follow, 3000); // no network for a moment: try again
    return;
  }
  if (!response.ok) return;
  const jobs = new Map();
  for (const run of response.data.runs) {
    if (run.job) jobs.set(run.job.id, run.job);
  }
  const waited = config.jobs.map((id) => jobs.get(id)).filter(Boolean);
  if (waited.every((job) => ENDED.includes(job.status))) {
    window.location.reload();
    return;
  }
  for (const job of waited) {
    const progress = document.querySelector(`progress[data-job="${job.id}"]`);
    const message = document.querySelector(`[data-job-message="${job.id}"]`);
    if (progress) progress.value = job.progress;
    if (message && job.message) message.textContent = job.message;
  }
  window.setTimeout(follow, 1500);
}

follow();
