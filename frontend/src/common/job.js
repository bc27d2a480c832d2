// SPDX-License-Identifier: AGPL-3.0-or-later
// The page of a job being carried out (a workshop's sheet or package, a person's archive
// of their data): follows the job through the API and shows its progress; when it ends,
// the page is loaded again and shows the download (or the failure). Without JavaScript
// the page's "Refresh" link does the same by hand.
import { api } from "../common/api.js";

const config = JSON.parse(document.getElementById("job-config").textContent);
const progress = document.getElementById("job-progress");
const message = document.getElementById("job-message");

async function follow() {
  let response;
  try {
    response = await api(config.jobUrl);
  } catch {
    window.setTimeout(follow, 3000); // no network for a moment: try again
    return;
  }
  if (!response.ok) return;
  const job = response.data;
  if (job.status === "succeeded" || job.status === "failed") {
    window.location.reload();
    return;
  }
  if (progress) progress.value = job.progress;
  if (message && job.message) message.textContent = job.message;
  window.setTimeout(follow, 1000);
}

follow();
